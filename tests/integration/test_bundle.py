"""Deployment: the dry run says what it would do, the scripts pass shellcheck, and every staged
bundle (entry as main.py + shared/ + requirements) imports and answers on its own."""

import json
import os
import re
import subprocess
import sys

import pytest
import requests
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent

from tools.stack import ROOT, start_server

# One worker stages and serves the bundles: build/ is shared by every test here.
pytestmark = pytest.mark.xdist_group("deploy-bundles")

HTTP_FUNCTIONS = ["intake", "pages", "media", "out_of_sla", "assets", "sla_timer", "reports"]
HTTP_FUNCTIONS += ["mailbox_watch", "digest", "console"]
EVENT_FUNCTIONS = ["notifications", "sla_scheduler"]  # Firestore's events
TOPIC_FUNCTIONS = ["mailbox"]  # Gmail's watch, through Pub/Sub
BUNDLES = {"mailbox_watch": "mailbox"}  # entry points that share a module


@pytest.fixture(scope="module")
def dry_run() -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "deploy.sh"), "--project", "fabrica", "--dry-run"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def deploy_line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f"functions deploy {name} " in line)


def test_every_function_is_deployed_with_its_own_service_account(dry_run):
    accounts = set()
    for name in HTTP_FUNCTIONS + EVENT_FUNCTIONS + TOPIC_FUNCTIONS:
        line = deploy_line(dry_run, name)
        assert "--gen2" in line
        assert "--runtime=python311" in line
        assert f"--entry-point={name}" in line
        account = re.search(r"--service-account=(\S+)", line).group(1)
        accounts.add(account)
    assert len(accounts) == len(HTTP_FUNCTIONS + EVENT_FUNCTIONS + TOPIC_FUNCTIONS)


def test_mail_goes_out_with_a_credential_of_the_help_desk_mailbox_only(dry_run):
    """By default the mailbox's own OAuth token (a secret only the senders read); domain-
    wide delegation, which reaches every mailbox of the domain, only when asked for."""
    for name in ("notifications", "reports"):
        line = deploy_line(dry_run, name)
        assert "HELPDESK_MAIL_TRANSPORT=gmail" in line
        assert "HELPDESK_GMAIL_OAUTH_TOKEN=helpdesk-gmail-token:latest" in line
        assert "HELPDESK_GMAIL_DELEGATED_USER" not in line
    for name in ("intake", "media", "out_of_sla", "assets", "sla_timer"):
        assert "HELPDESK_MAIL_TRANSPORT" not in deploy_line(dry_run, name)
    assert "Domain-wide delegation" not in dry_run
    for mail_auth, expected in (
        ("delegation", "HELPDESK_GMAIL_DELEGATED_USER="),
        ("smtp-relay", "HELPDESK_SMTP_PASSWORD=helpdesk-smtp-password:latest"),
    ):
        other = subprocess.run(
            [
                "bash",
                str(ROOT / "deploy.sh"),
                "--project",
                "fabrica",
                "--dry-run",
                "--mail-auth",
                mail_auth,
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        assert expected in deploy_line(other, "notifications")


# Every IAM binding deploy.sh makes, and nothing broader: (account, role, on what).
BUCKET = "projects/_/buckets/fabrica-helpdesk-evidence/objects"
PROJECT_ROLES = {
    (name, "roles/datastore.user", "project")
    for name in (
        *("intake", "notifications", "sla-scheduler", "sla-timer", "pages"),
        *("media", "assets", "reports", "mailbox", "mailbox-watch", "digest", "console"),
    )
} | {
    ("out-of-sla", "roles/datastore.viewer", "project"),
    ("notifications", "roles/eventarc.eventReceiver", "project"),
    ("sla-scheduler", "roles/eventarc.eventReceiver", "project"),
    ("mailbox", "roles/eventarc.eventReceiver", "project"),
    ("intake", "roles/cloudtasks.enqueuer", "project"),
    ("sla-scheduler", "roles/cloudtasks.enqueuer", "project"),
    ("sla-timer", "roles/cloudtasks.enqueuer", "project"),
    ("reports", "roles/cloudtasks.enqueuer", "project"),
    ("digest", "roles/cloudtasks.enqueuer", "project"),  # one task per person
    ("console", "roles/cloudtasks.enqueuer", "project"),  # a long period's report, queued
    ("pages", "roles/logging.logWriter", "project"),
}
BUCKET_ROLES = {
    ("intake", "roles/storage.objectCreator", f"{BUCKET}/tickets/"),
    ("media", "roles/storage.objectAdmin", f"{BUCKET}/tickets/"),
    ("pages", "roles/storage.objectViewer", f"{BUCKET}/tickets/"),
    ("notifications", "roles/storage.objectViewer", f"{BUCKET}/tickets/"),
    ("reports", "roles/storage.objectAdmin", f"{BUCKET}/reports/"),
    ("mailbox", "roles/storage.objectAdmin", f"{BUCKET}/tickets/"),
    ("console", "roles/storage.objectViewer", f"{BUCKET}/reports/"),  # a queued report's links
}
TOPIC_ROLES = {("gmail-api-push", "roles/pubsub.publisher", "topic:helpdesk-mailbox")}
ACCOUNT_ROLES = {  # on a service account: sign as itself, or act as the queue's invoker
    ("pages", "roles/iam.serviceAccountTokenCreator", "pages"),
    ("notifications", "roles/iam.serviceAccountTokenCreator", "notifications"),
    ("reports", "roles/iam.serviceAccountTokenCreator", "reports"),
    ("console", "roles/iam.serviceAccountTokenCreator", "console"),
    ("intake", "roles/iam.serviceAccountUser", "tasks-invoker"),
    ("sla-scheduler", "roles/iam.serviceAccountUser", "tasks-invoker"),
    ("sla-timer", "roles/iam.serviceAccountUser", "tasks-invoker"),
    ("reports", "roles/iam.serviceAccountUser", "tasks-invoker"),
    ("digest", "roles/iam.serviceAccountUser", "tasks-invoker"),
    ("console", "roles/iam.serviceAccountUser", "tasks-invoker"),
}
SECRET_ROLES = {
    ("intake", "helpdesk-intake-clients"),
    ("media", "helpdesk-intake-clients"),
    ("notifications", "helpdesk-link-secret"),
    ("pages", "helpdesk-link-secret"),
    ("media", "helpdesk-link-secret"),
    ("reports", "helpdesk-link-secret"),
    ("out-of-sla", "helpdesk-manager-keys"),
    ("assets", "helpdesk-manager-keys"),
    ("reports", "helpdesk-manager-keys"),
    ("notifications", "helpdesk-gmail-token"),
    ("reports", "helpdesk-gmail-token"),
    ("mailbox", "helpdesk-link-secret"),
    ("mailbox", "helpdesk-gmail-token"),
    ("mailbox-watch", "helpdesk-gmail-token"),
    ("pages", "helpdesk-gmail-token"),  # a fresh link when one has expired
    ("digest", "helpdesk-link-secret"),  # its links to tickets and lists
    ("digest", "helpdesk-gmail-token"),  # it mails the digests
    ("console", "helpdesk-link-secret"),  # its sessions and links
}


def bindings(output: str) -> set[tuple[str, str, str]]:
    account = r"serviceAccount:helpdesk-([a-z-]+)@fabrica"
    found = set()
    for line in output.splitlines():
        if "add-iam-policy-binding" not in line:
            continue
        if line.startswith("gcloud pubsub topics"):  # Gmail's own account publishes the watch
            topic = re.search(r"add-iam-policy-binding (\S+)", line).group(1)
            member = re.search(r"--member=serviceAccount:([a-z-]+)@system", line).group(1)
            found.add((member, re.search(r"--role=(\S+)", line).group(1), f"topic:{topic}"))
            continue
        member = re.search(rf"--member={account}", line).group(1)
        role = re.search(r"--role=(\S+)", line).group(1)
        if line.startswith("gcloud projects"):
            assert "--condition=None" in line
            found.add((member, role, "project"))
        elif line.startswith("gcloud storage buckets"):
            prefix = re.search(r"startsWith\\\(\\'([^\\]+)\\'", line)
            assert prefix, f"a bucket role without a prefix condition: {line}"
            found.add((member, role, prefix.group(1)))
        elif line.startswith("gcloud iam service-accounts"):
            target = re.search(r"add-iam-policy-binding helpdesk-([a-z-]+)@", line).group(1)
            found.add((member, role, target))
        elif line.startswith("gcloud secrets"):
            secret = re.search(r"add-iam-policy-binding (\S+)", line).group(1)
            assert role == "roles/secretmanager.secretAccessor"
            found.add((member, role, secret))
        else:
            raise AssertionError(f"a binding of an unknown kind: {line}")
    return found


def test_every_iam_binding_is_what_its_function_needs_and_no_more(dry_run):
    expected = PROJECT_ROLES | BUCKET_ROLES | ACCOUNT_ROLES | TOPIC_ROLES
    expected |= {(name, "roles/secretmanager.secretAccessor", s) for name, s in SECRET_ROLES}
    assert bindings(dry_run) == expected


def test_the_report_and_media_functions_have_the_memory_they_need(dry_run):
    assert "--memory=1Gi" in deploy_line(dry_run, "reports")  # WeasyPrint
    assert "--memory=2Gi" in deploy_line(dry_run, "media")  # a 48-megapixel HEIC


def test_the_rollups_shards_are_folded_hourly_by_cloud_scheduler(dry_run):
    job = next(line for line in dry_run.splitlines() if "jobs create http helpdesk-fold" in line)
    assert "--uri=https://southamerica-east1-fabrica.cloudfunctions.net/reports/rollups/fold" in job
    assert "--oidc-service-account-email=helpdesk-tasks-invoker@" in job
    assert "--http-method=POST" in job


def test_uploads_never_checked_are_swept_hourly(dry_run):
    job = next(line for line in dry_run.splitlines() if "jobs create http helpdesk-sweep" in line)
    assert "--uri=https://southamerica-east1-fabrica.cloudfunctions.net/media/sweep" in job
    assert "--oidc-service-account-email=helpdesk-tasks-invoker@" in job


def test_only_cloud_tasks_may_call_the_timer(dry_run):
    assert "--no-allow-unauthenticated" in deploy_line(dry_run, "sla_timer")
    assert "add-invoker-policy-binding sla_timer" in dry_run
    assert "helpdesk-tasks-invoker@fabrica.iam.gserviceaccount.com" in dry_run


def test_the_digest_is_private_and_planned_daily_by_cloud_scheduler(dry_run):
    line = deploy_line(dry_run, "digest")
    assert "--no-allow-unauthenticated" in line
    assert "HELPDESK_MAIL_TRANSPORT=gmail" in line  # it sends mail, as the help desk
    assert "add-invoker-policy-binding digest" in dry_run
    job = next(line for line in dry_run.splitlines() if "jobs create http helpdesk-daily" in line)
    assert "--uri=https://southamerica-east1-fabrica.cloudfunctions.net/digest/start" in job
    assert "--time-zone=America/Sao_Paulo" in job
    assert "--oidc-service-account-email=helpdesk-tasks-invoker@" in job


def test_the_console_never_trusts_the_stand_in_issuer_when_deployed(dry_run):
    line = deploy_line(dry_run, "console")
    assert "HELPDESK_DEV_ISSUER_URL" not in dry_run
    assert "HELPDESK_WORKSPACE_DOMAIN=example.com" in line
    assert "--allow-unauthenticated" in line  # every request signed in, in the application
    assert "--collection-group=console_sessions" in dry_run


def test_event_functions_follow_new_ticket_events_with_retries(dry_run):
    for name in EVENT_FUNCTIONS:
        line = deploy_line(dry_run, name)
        assert "type=google.cloud.firestore.document.v1.created" in line
        assert "ticket_events/\\{event\\}" in line
        assert "--retry" in line


def test_the_mailbox_follows_gmails_topic_and_its_watch_is_renewed_daily(dry_run):
    line = deploy_line(dry_run, "mailbox")
    assert "--trigger-topic=helpdesk-mailbox" in line
    assert "--retry" in line
    assert "HELPDESK_MAILBOX_KIND=gmail" in line
    assert "HELPDESK_GMAIL_OAUTH_TOKEN=helpdesk-gmail-token:latest" in line
    assert "gcloud pubsub topics create helpdesk-mailbox" in dry_run
    assert "--no-allow-unauthenticated" in deploy_line(dry_run, "mailbox_watch")
    job = next(line for line in dry_run.splitlines() if "jobs create http helpdesk-watch" in line)
    assert "--uri=https://southamerica-east1-fabrica.cloudfunctions.net/mailbox_watch" in job
    assert "--oidc-service-account-email=helpdesk-tasks-invoker@" in job
    assert "ttls update expires_at" in dry_run
    assert "--collection-group=mail_answer_allowances" in dry_run


def test_bucket_queue_secrets_and_indexes(dry_run):
    assert "--public-access-prevention" in dry_run
    assert "--uniform-bucket-level-access" in dry_run
    assert "tasks queues update sla-timers" in dry_run
    for secret in (
        "helpdesk-intake-clients",
        "helpdesk-link-secret",
        "helpdesk-manager-keys",
        "helpdesk-gmail-token",
    ):
        assert f"secrets create {secret}" in dry_run
    declared = json.loads((ROOT / "firestore.indexes.json").read_text())["indexes"]
    assert dry_run.count("indexes composite create") == len(declared)


def test_the_scripts_pass_shellcheck():
    scripts = [ROOT / "deploy.sh", ROOT / "tools" / "deploy_rules.sh", ROOT / ".ci" / "run"]
    done = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("name", HTTP_FUNCTIONS + EVENT_FUNCTIONS + TOPIC_FUNCTIONS)
def test_each_staged_bundle_imports_and_answers(dry_run, emulator_env, name):
    bundle = ROOT / "build" / BUNDLES.get(name, name)
    assert sorted(p.name for p in bundle.iterdir()) == [
        ".gcloudignore",
        "__pycache__",
        "main.py",
        "requirements.txt",
        "shared",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HELPDESK_INTAKE_CLIENTS"] = json.dumps({"api": {"auth": "key", "secret": "k" * 20}})
    events = EVENT_FUNCTIONS + TOPIC_FUNCTIONS
    signature = ["--signature-type=cloudevent"] if name in events else []
    server, port = start_server(
        lambda port: [
            sys.executable,
            "-m",
            "functions_framework",
            f"--target={name}",
            f"--port={port}",
            *signature,
        ],
        env,
        bundle,
    )
    try:
        if name in events:  # an event it does not handle: read, ignored, acknowledged
            event = CloudEvent({"type": "com.example.unrelated", "source": "//test"}, b"")
            headers, body = to_binary(event)
            answer = requests.post(
                f"http://127.0.0.1:{port}/", data=body, headers=headers, timeout=10
            )
            assert answer.status_code == 200
        else:  # no credentials: a clear refusal from the application itself
            answer = requests.post(f"http://127.0.0.1:{port}/", json={}, timeout=10)
            assert answer.status_code in (401, 403, 404, 405), (name, answer.status_code)
    finally:
        server.terminate()
        server.wait(timeout=10)


# Imports main (and through it shared/) the way a new instance does, with bytecode writing off,
# and names every module of the bundle that had to be compiled from its source.
COMPILED_AT_START = """
import importlib.machinery, runpy, sys
compiled = []
original = importlib.machinery.SourceFileLoader.source_to_code
def source_to_code(self, data, path, *args, **kwargs):
    compiled.append(path)
    return original(self, data, path, *args, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = source_to_code
sys.dont_write_bytecode = True
sys.path.insert(0, ".")
import main
print("\\n".join(p for p in compiled if p.startswith(sys.argv[1])))
"""


def compiled_at_start(bundle) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", COMPILED_AT_START, str(bundle)],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.parametrize("name", ["intake", "reports"])
def test_a_new_instance_reads_the_bundles_bytecode_instead_of_compiling(dry_run, name):
    bundle = ROOT / "build" / name
    ignored = (bundle / ".gcloudignore").read_text().split()
    assert "__pycache__/" not in ignored  # gcloud's default list would leave the bytecode behind
    assert compiled_at_start(bundle) == []

    # Bytecode that no longer matches its source is not used: the edited module compiles.
    edited = bundle / "shared" / "errors.py"
    edited.write_text(edited.read_text() + "\nEDITED = True\n")
    assert compiled_at_start(bundle) == [str(edited)]
