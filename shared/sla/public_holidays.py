"""A country's public holidays without importing every country's rules.

`holidays.country_holidays` imports the package that holds all the library's countries
(about 170 of them, some 170 ms of every function's cold start here). This loads the one
module the library's registry names for the country and builds the same holidays (a test
keeps the two equal).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from pathlib import Path
from typing import Any

import holidays
from holidays import registry

_PACKAGE = "holidays.countries"
_lock = threading.Lock()


def country_holidays(country: str, subdivision: str | None = None) -> holidays.HolidayBase:
    """Raises NotImplementedError, as the library does, for an unknown country or subdivision."""
    for module, (class_name, *codes) in registry.COUNTRIES.items():
        if country in codes:
            return getattr(_module(module), class_name)(subdiv=subdivision)
    raise NotImplementedError(f"Country {country} is not available")


def _module(name: str) -> Any:
    qualified = f"{_PACKAGE}.{name}"
    with _lock:
        if qualified in sys.modules or _PACKAGE in sys.modules:
            return importlib.import_module(qualified)
        path = Path(holidays.__file__).parent / "countries" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(qualified, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[qualified]
            raise
        return module
