"""One place that starts the local Google Cloud stack and isolates tests from each other.

The controlling pytest process starts the emulators once (unless only unit tests were asked
for, or HELPDESK_TEST_STACK=external says they already run) and exports their addresses;
pytest-xdist workers inherit them. Each worker uses its own Firestore project, reset before
every test through the emulator's own endpoint.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from tools.stack import Ports, Stack, reset_firestore

ROOT = Path(__file__).resolve().parent.parent
_stack: Stack | None = None


def _needs_stack(config: pytest.Config) -> bool:
    args = [arg for arg in config.args if not arg.startswith("-")] or ["tests"]
    return any("unit" not in Path(arg).parts for arg in args)


def pytest_configure(config: pytest.Config) -> None:
    global _stack
    is_worker = hasattr(config, "workerinput")
    if is_worker or os.environ.get("HELPDESK_TEST_STACK") == "external":
        return
    if not _needs_stack(config):
        return
    _stack = Stack(ports=Ports.free(), project="helpdesk-test").start()
    os.environ.update(_stack.env())


def pytest_unconfigure(config: pytest.Config) -> None:
    if _stack is not None:
        _stack.stop()


@pytest.fixture(autouse=True)
def _restore_environment_and_logging():
    """Tests never leak configuration or log handlers into each other."""
    environ = dict(os.environ)
    loggers = {name: list(logging.getLogger(name).handlers) for name in ("", "helpdesk")}
    yield
    os.environ.clear()
    os.environ.update(environ)
    for name, handlers in loggers.items():
        logging.getLogger(name).handlers[:] = handlers


@pytest.fixture(scope="session")
def project(worker_id: str) -> str:
    """A Firestore project of this worker's own in the emulator."""
    return f"helpdesk-test-{worker_id}"


@pytest.fixture
def emulator_env(project: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    if "FIRESTORE_EMULATOR_HOST" not in os.environ:
        pytest.fail("the emulators are not running: run the suite with `make test`")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project)
    reset_firestore(os.environ["FIRESTORE_EMULATOR_HOST"], project)
    return dict(os.environ)


@pytest.fixture
def db(emulator_env):
    from google.cloud import firestore

    return firestore.Client(project=emulator_env["GOOGLE_CLOUD_PROJECT"])
