"""The local Google Cloud stack: Firestore, Storage and Cloud Tasks emulators and an SMTP server.

Used by `make dev`, the test suite (tests/conftest.py) and the benchmark. Each service runs in
its own process group so that stopping the stack stops the Java and Node children too; every
start waits for the service to answer, by polling, never by sleeping a fixed time.

    python -m tools.stack          # start on the development ports, stop on Ctrl-C
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from tools.devkeys import ensure_signing_key

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
TASKS_VENV_BIN = ROOT / ".venv-tasks" / "bin"
DEV_PROJECT = "helpdesk-dev"
TASKS_LOCATION = "southamerica-east1"
TASKS_QUEUE = "sla-timers"


@dataclass
class Ports:
    firestore: int = 8681
    storage: int = 9023
    tasks: int = 8123
    smtp: int = 1025
    mail_web: int = 1080
    storage_emulator: int = 9024  # behind the CORS proxy on `storage`
    pubsub: int = 8685  # Gmail's watch publishes the mailbox's changes here

    @classmethod
    def free(cls) -> Ports:
        return cls(*(free_port() for _ in range(7)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pubsub_launcher() -> str:
    """The Pub/Sub emulator's own launcher, from the Google Cloud CLI."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        raise SystemExit("the Google Cloud CLI (gcloud) is needed for the Pub/Sub emulator")
    sdk = Path(os.path.realpath(gcloud)).parent.parent
    launcher = sdk / "platform" / "pubsub-emulator" / "bin" / "cloud-pubsub-emulator"
    if not launcher.exists():
        raise SystemExit(
            "the Pub/Sub emulator is missing: gcloud components install pubsub-emulator"
        )
    return str(launcher)


def firestore_launcher() -> str:
    """The emulator's own launcher (gcloud's wrapper would leave the Java process behind)."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        raise SystemExit("the Google Cloud CLI (gcloud) is needed for the Firestore emulator")
    sdk = Path(os.path.realpath(gcloud)).parent.parent
    launcher = sdk / "platform" / "cloud-firestore-emulator" / "cloud_firestore_emulator"
    if not launcher.exists():
        raise SystemExit(
            "the Firestore emulator is missing: gcloud components install cloud-firestore-emulator"
        )
    return str(launcher)


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    project: str = DEV_PROJECT
    bucket: str = "helpdesk-dev-evidence"
    logs: Path = ROOT / ".dev" / "logs"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        """The variables that point the help desk's clients at this stack."""
        return {
            "GOOGLE_CLOUD_PROJECT": self.project,
            "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{self.ports.firestore}",
            "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{self.ports.pubsub}",
            "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{self.ports.storage}",
            "HELPDESK_TASKS_EMULATOR_HOST": f"127.0.0.1:{self.ports.tasks}",
            "HELPDESK_TASKS_QUEUE": (
                f"projects/{self.project}/locations/{TASKS_LOCATION}/queues/{TASKS_QUEUE}"
            ),
            "HELPDESK_EVIDENCE_BUCKET": self.bucket,
            "HELPDESK_SMTP_HOST": "127.0.0.1",
            "HELPDESK_SMTP_PORT": str(self.ports.smtp),
            "HELPDESK_MAIL_INBOX_URL": f"http://127.0.0.1:{self.ports.mail_web}",
            "HELPDESK_MAIL_FROM": "central@metalvale.com.br",
            "HELPDESK_MAIL_FROM_NAME": "Central de Atendimento Metalvale",
            # Development-only secrets: production reads them from Secret Manager.
            "HELPDESK_LINK_SECRET": "dev-link-secret-change-me-0123456789abcdef",
            "HELPDESK_SIGNING_KEY_FILE": str(
                ensure_signing_key(ROOT / ".dev" / "signing-key.json", self.project)
            ),
        }

    def start(self) -> Stack:
        self.logs.mkdir(parents=True, exist_ok=True)
        p = self.ports
        for port in vars(p).values():
            if port_in_use(port):
                raise SystemExit(
                    f"port {port} is already in use: is another `make dev` (or test run) still up?"
                )
        try:
            self._spawn(
                "firestore",
                [
                    firestore_launcher(),
                    "start",
                    "--host=127.0.0.1",
                    f"--port={p.firestore}",
                    "--database-mode=firestore-native",
                    f"--rules={ROOT / 'firestore.rules'}",
                ],
            )
            self._spawn(
                "storage",
                [
                    str(VENV_BIN / "gcp-storage-emulator"),
                    "start",
                    "--host=127.0.0.1",
                    f"--port={p.storage_emulator}",
                    "--in-memory",
                    f"--default-bucket={self.bucket}",
                ],
            )
            # The emulator answers no CORS: browsers reach it through this proxy.
            self._spawn(
                "cors",
                [sys.executable, "-m", "tools.cors_proxy", str(p.storage), str(p.storage_emulator)],
            )
            self._spawn(
                "tasks",
                [
                    str(TASKS_VENV_BIN / "gcloud-tasks-emulator"),
                    "start",
                    f"--port={p.tasks}",
                    "--quiet",
                    f"--default-queue={self.env()['HELPDESK_TASKS_QUEUE']}",
                ],
            )
            self._spawn("pubsub", [pubsub_launcher(), "--host=127.0.0.1", f"--port={p.pubsub}"])
            self._spawn(
                "mail",
                [
                    str(ROOT / "node_modules" / ".bin" / "maildev"),
                    f"--smtp={p.smtp}",
                    f"--web={p.mail_web}",
                    "--ip=127.0.0.1",
                    "--web-ip=127.0.0.1",
                    "--silent",
                ],
            )
            wait_for_http("firestore", f"http://127.0.0.1:{p.firestore}/", self)
            wait_for_http("storage", f"http://127.0.0.1:{p.storage_emulator}/storage/v1/b", self)
            wait_for_http("cors", f"http://127.0.0.1:{p.storage}/storage/v1/b", self)
            wait_for_port("tasks", p.tasks, self)
            wait_for_http("mail", f"http://127.0.0.1:{p.mail_web}/healthz", self)
            wait_for_http("pubsub", f"http://127.0.0.1:{p.pubsub}/", self)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}-{self.ports.firestore}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=ROOT,
        )

    def check_alive(self, name: str) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is not None:
            log = self.logs / f"{name}-{self.ports.firestore}.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{name} emulator exited with {process.returncode}:\n{tail}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def reset_firestore(self, project: str | None = None) -> None:
        """Delete every document of a project in the emulator (its own reset endpoint)."""
        reset_firestore(f"127.0.0.1:{self.ports.firestore}", project or self.project)


def reset_firestore(host: str, project: str) -> None:
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    with urlopen(Request(url, method="DELETE"), timeout=30) as answer:
        answer.read()


def start_server(
    command_for_port, env: dict, cwd: Path, timeout: float = 30, attempts: int = 3
) -> tuple[subprocess.Popen, int]:
    """Start a server on a free port and wait until it listens.

    A port found free can be taken by another process before the server binds it (tests run
    in parallel): a server that exits before listening is started again on another port.
    """
    last_error = ""
    for _ in range(attempts):
        port = free_port()
        process = subprocess.Popen(
            command_for_port(port),
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while process.poll() is None and not port_in_use(port):
            if time.monotonic() > deadline:
                process.kill()
                raise TimeoutError(f"{command_for_port(port)[0]} did not listen within {timeout} s")
            time.sleep(0.05)
        if process.poll() is None:
            return process, port
        last_error = process.stderr.read().decode(errors="replace")[-2000:]
    raise RuntimeError(f"the server did not start:\n{last_error}")


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_interrupted() -> None:
    """Block until Ctrl-C or SIGTERM (the signals must be blocked for sigwait to see them)."""
    stop = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    signal.sigwait(stop)


def wait_for_http(name: str, url: str, stack: Stack, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        stack.check_alive(name)
        try:
            with urlopen(url, timeout=2) as answer:  # noqa: S310
                if answer.status < 500:
                    return
        except HTTPError as error:
            if error.code < 500:
                return
        except (URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} did not answer at {url} within {timeout} s")
        time.sleep(0.1)


def wait_for_port(name: str, port: int, stack: Stack, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        stack.check_alive(name)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not listen on {port} within {timeout} s") from None
            time.sleep(0.1)


def main() -> None:
    stack = Stack().start()
    for key, value in stack.env().items():
        print(f"{key}={value}")
    print("stack running; Ctrl-C stops it", flush=True)
    try:
        wait_until_interrupted()
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
