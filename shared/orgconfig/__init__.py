"""Reading, checking and loading an organisation's configuration file."""

from shared.orgconfig.parse import ConfigError, parse_organisation, read_organisation

__all__ = ["ConfigError", "parse_organisation", "read_organisation"]
