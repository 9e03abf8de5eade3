"""Check an organisation's configuration file and load it into Firestore.

    python -m tools.load_org config/demo-organisation.yaml [--check]

Points at the emulator when FIRESTORE_EMULATOR_HOST is set, else at GOOGLE_CLOUD_PROJECT.
"""

from __future__ import annotations

import argparse
import sys

from shared.config import Config
from shared.orgconfig import ConfigError, read_organisation
from shared.repositories.firestore import client
from shared.repositories.organisation_load import load_organisation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--check", action="store_true", help="only check the file")
    args = parser.parse_args(argv)
    try:
        organisation = read_organisation(args.file)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        print(f"{args.file}: valid")
        return 0
    config = Config.from_env()
    report = load_organisation(client(config), organisation)
    written = ", ".join(f"{count} {name}" for name, count in report.written.items())
    print(f"loaded {organisation.organisation.name} into {config.project}: {written}")
    for name, keys in report.withdrawn.items():
        if keys:
            print(f"  no longer in the file, withdrawn from {name}: {', '.join(keys)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
