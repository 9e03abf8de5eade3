"""Build the real collaborators once per function instance (from the environment)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from shared import log
from shared.config import Config
from shared.domain.report_share import Rollup
from shared.repositories.firestore import client
from shared.repositories.firestore_directory import FirestoreDirectory
from shared.repositories.tickets import FirestoreTickets

if TYPE_CHECKING:  # types only: each function imports what it uses when it first needs it
    from shared.links import LinkSigner
    from shared.mail import Mailer
    from shared.mail.mailbox import Mailbox
    from shared.mailbox.ports import HistoryCursor, MessageClaims
    from shared.mailbox.service import MailboxService
    from shared.notify.compose import Composer
    from shared.repositories.deliveries import FirestoreDeliveries
    from shared.repositories.uploads import FirestoreUploads
    from shared.storage.drive import DriveFolder
    from shared.storage.evidence import UploadStore
    from shared.timers.queue import TaskQueue


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    config: Config
    directory: FirestoreDirectory
    tickets: FirestoreTickets
    now: Callable[[], datetime]


@functools.cache
def services() -> Services:
    config = Config.from_env()
    log.configure(config.log_level)
    db = _db(config)
    directory = FirestoreDirectory(
        db, ttl=config.directory_cache_seconds, deadline=config.firestore_deadline_seconds
    )
    return Services(
        config=config,
        directory=directory,
        tickets=FirestoreTickets(db, Rollup(directory), config.firestore_deadline_seconds),
        now=utc_now,
    )


@functools.cache
def _db(config: Config):
    return client(config)


@dataclass(frozen=True)
class NotificationServices:
    base: Services
    mailer: Mailer
    composer: Composer
    deliveries: FirestoreDeliveries


@functools.cache
def notification_services() -> NotificationServices:
    """The notification function's collaborators (mail, links, evidence), built once."""
    from shared.display.ticket import TicketFacts
    from shared.links import LinkSigner, PersonalLinks
    from shared.mail.factory import build_mailer
    from shared.notify.compose import Composer, Sender
    from shared.repositories.deliveries import FirestoreDeliveries
    from shared.repositories.directory import leads

    base = services()
    config = base.config
    if not config.link_secret:
        raise RuntimeError("HELPDESK_LINK_SECRET is not set")
    # Most messages carry no evidence: the Storage client is built when one first does.
    evidence = _Deferred(lambda: _evidence_store(config))
    composer = Composer(
        Sender(
            config.mail.sender,
            config.mail.sender_name,
            config.mail.sender.rpartition("@")[2] or "helpdesk",
        ),
        base.directory.settings().name,
        LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl),
        evidence,
        config.link_ttl,
        TicketFacts(base.directory),
        _reply_addresses(config),
        PersonalLinks(config.link_secret, config.pages_base_url, config.personal_link_ttl),
        config.console_url,
        lambda email: leads(base.directory, email),
    )
    db = _db(config)
    return NotificationServices(
        base, build_mailer(config.mail), composer, FirestoreDeliveries(db, base.now)
    )


def _reply_addresses(config: Config):
    """The messages' reply addresses, when a mailbox reads the replies."""
    if not config.mailbox or not config.link_secret:
        return None
    from shared.mail.reply_address import ReplyAddresses

    return ReplyAddresses(config.link_secret, config.mailbox)


@dataclass(frozen=True)
class TimerServices:
    base: Services
    queue: TaskQueue


@functools.cache
def timer_services() -> TimerServices:
    """The SLA timer and scheduler functions' collaborators, built once."""
    base = services()
    config = base.config
    # Many timers find their milestone met or their ticket closed and schedule nothing: the
    # Cloud Tasks client (and its import) waits until one does.
    return TimerServices(base, _task_queue(config, config.timer_url))


@functools.cache
def page_services():
    """The pages function's collaborators, built once."""
    from shared.actions.ports import Context
    from shared.actions.service import TicketActions
    from shared.links import LinkSigner, PersonalLinks
    from shared.mail.factory import build_mailer
    from shared.pages.csrf import FormTokens
    from shared.pages.handlers import PageServices
    from shared.pages.lists import ListServices
    from shared.pages.renewal import RenewalServices
    from shared.repositories.allowances import FirestoreAllowances
    from shared.repositories.digests import FirestoreDigestRecords
    from shared.repositories.personal_lists import FirestorePersonalLists
    from shared.repositories.uploads import FirestoreUploads

    base = services()
    config = base.config
    if not config.link_secret:
        raise RuntimeError("HELPDESK_LINK_SECRET is not set")
    uploads = FirestoreUploads(_db(config), config.firestore_deadline_seconds)
    actions = TicketActions(
        base.tickets, Context(config, base.directory, uploads, base.tickets), base.now
    )
    links = LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl)
    lists = ListServices(
        base.directory,
        FirestorePersonalLists(_db(config)),
        PersonalLinks(config.link_secret, config.pages_base_url, config.personal_link_ttl),
        links,
        base.now,
        FormTokens(config.link_secret),
        FirestoreDigestRecords(_db(config), base.now),
    )
    return PageServices(
        config,
        base.directory,
        base.tickets,
        actions,
        uploads,
        links,
        FormTokens(config.link_secret),
        base.now,
        _Deferred(lambda: _evidence_store(config)),  # scripts and forms need no bucket
        config.media_url,
        config.storage_origin,
        lists,
        RenewalServices(
            base.directory,
            links,
            lists.personal,
            _Deferred(lambda: build_mailer(config.mail)),  # type: ignore[arg-type]
            FirestoreAllowances(_db(config)),
            (config.mail.sender, config.mail.sender_name),
            lambda: base.directory.settings().name,
            base.now,
        ),
    )


class _Deferred:
    """Stands for an object built on first use (from any thread), which a cold start then
    does not pay for when its first request does not need it."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build, self._built, self._lock = build, None, threading.Lock()

    def __getattr__(self, name: str):
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = self._build()
        return getattr(self._built, name)


def _task_queue(config: Config, target_url: str) -> TaskQueue:
    """Cloud Tasks for a function's own endpoint, built when first used."""
    from shared.timers.queue import CloudTasksQueue

    return _Deferred(  # type: ignore[return-value]  # stands for the queue
        lambda: CloudTasksQueue(
            config.tasks_queue,
            target_url,
            emulator_host=config.tasks_emulator_host,
            invoker=config.timer_invoker,
            secret=config.timer_secret,
        )
    )


def _evidence_store(config: Config):
    """The evidence bucket, with the local signing key in development (IAM signing otherwise)."""
    from google.cloud import storage

    from shared.storage.evidence import GcsEvidenceStore

    signing = None
    if config.signing_key_file:
        from google.oauth2 import service_account

        signing = service_account.Credentials.from_service_account_file(config.signing_key_file)
    return GcsEvidenceStore(storage.Client(project=config.project), config.evidence_bucket, signing)


@dataclass(frozen=True)
class MediaServices:
    config: Config
    uploads: FirestoreUploads  # the uploads' records and allowances
    tickets: FirestoreTickets
    links: LinkSigner | None
    store: UploadStore
    pages_origin: str
    now: Callable[[], datetime]
    directory: FirestoreDirectory | None = None
    drive: DriveFolder | None = None  # Google Drive (AppSheet's photos), built when first used
    drive_queue: TaskQueue | None = None  # Cloud Tasks: Drive photos are fetched by media

    @property
    def drive_url(self) -> str:
        return self.config.media_url.rstrip("/") + "/drive"


@functools.cache
def media_services() -> MediaServices:
    """The media function's collaborators, built once."""
    from urllib.parse import urlsplit

    from google.cloud import storage

    from shared.links import LinkSigner
    from shared.storage.evidence import GcsEvidenceStore

    base = services()
    config = base.config
    from shared.storage.drive import build_drive

    pages = urlsplit(config.pages_base_url)
    store = GcsEvidenceStore(
        storage.Client(project=config.project),
        config.evidence_bucket,
        send_tokens=not config.storage_emulated,
    )
    drive_queue = _task_queue(config, config.media_url.rstrip("/") + "/drive")
    from shared.repositories.uploads import FirestoreUploads

    return MediaServices(
        config,
        FirestoreUploads(_db(config), config.firestore_deadline_seconds),
        base.tickets,
        LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl)
        if config.link_secret
        else None,
        store,
        f"{pages.scheme}://{pages.netloc}",
        base.now,
        base.directory,
        _Deferred(build_drive),
        drive_queue,
    )


@functools.cache
def report_services():
    """The report function's collaborators: rollups, bucket, queue, mail and ticket links."""
    from shared.links import LinkSigner
    from shared.mail.factory import build_mailer
    from shared.reports.sla.api import ReportServices
    from shared.repositories.deliveries import FirestoreDeliveries
    from shared.repositories.report_jobs import FirestoreReportJobs
    from shared.repositories.rollups import FirestoreRollups
    from shared.repositories.ticket_queries import FirestoreTicketQueries

    base = services()
    config = base.config
    if not config.link_secret:
        raise RuntimeError("HELPDESK_LINK_SECRET is not set")
    db = _db(config)
    # Only long periods (a background job) use the queue and the bucket: built when needed.
    queue = _task_queue(config, config.reports_url.rstrip("/") + "/jobs")
    return ReportServices(
        base,
        FirestoreRollups(db),
        FirestoreTicketQueries(db),
        FirestoreReportJobs(db),
        _Deferred(lambda: _evidence_store(config)),
        queue,
        build_mailer(config.mail),
        FirestoreDeliveries(db, base.now),
        LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl),
    )


@functools.cache
def registry_services():
    """The asset registry's and the managers' lists' collaborators, built once."""
    from shared.reports.registry import RegistryServices
    from shared.repositories.assets import FirestoreAssets
    from shared.repositories.ticket_queries import FirestoreTicketQueries

    base = services()
    db = _db(base.config)
    return RegistryServices(base, FirestoreTicketQueries(db), FirestoreAssets(db))


@dataclass(frozen=True)
class MailboxServices:
    base: Services
    mailbox: Mailbox
    claims: MessageClaims
    cursor: HistoryCursor
    service: MailboxService


@functools.cache
def mailbox_services() -> MailboxServices:
    """The mailbox function's collaborators: the mailbox, the core service, the evidence
    bucket, the answers' mail."""
    from shared.actions.ports import Context
    from shared.actions.service import TicketActions
    from shared.intake.service import open_ticket
    from shared.links import LinkSigner
    from shared.mail.factory import build_mailer
    from shared.mailbox.answers import MailAnswers
    from shared.mailbox.new_tickets import NewTicketsByMail
    from shared.mailbox.replies import ReplyChannel
    from shared.mailbox.service import MailboxService
    from shared.media.received import receive_files
    from shared.repositories.mail_messages import (
        FirestoreAnswerRecords,
        FirestoreBounces,
        FirestoreHistoryCursor,
        FirestoreMessageClaims,
    )
    from shared.repositories.uploads import FirestoreUploads

    base = services()
    config = base.config
    addresses = _reply_addresses(config)
    if addresses is None:
        raise RuntimeError("HELPDESK_MAILBOX and HELPDESK_LINK_SECRET must be set")
    db = _db(config)
    uploads = FirestoreUploads(db, config.firestore_deadline_seconds)
    actions = TicketActions(
        base.tickets, Context(config, base.directory, uploads, base.tickets), base.now
    )
    store = _Deferred(lambda: _upload_store(config))  # most replies carry no file

    class Files:
        def receive(self, ticket_id, key, files, by):
            return receive_files(
                uploads,
                store,  # type: ignore[arg-type]  # stands for the bucket
                ticket_id=ticket_id,
                key=key,
                files=files,
                by=by,
                limits=config.attachment_limits,
                quota=config.upload_quota,
                now=base.now(),
            )

    answers = MailAnswers(
        FirestoreAnswerRecords(db, base.now),
        build_mailer(config.mail),
        LinkSigner(config.link_secret or "", config.pages_base_url, config.link_ttl),
        (config.mail.sender, config.mail.sender_name),
        lambda: base.directory.settings().name,
        config.form_url,
        base.now,
    )
    replies = ReplyChannel(
        addresses,
        actions,
        base.tickets,
        base.directory,
        Files(),
        answers,
        lambda: base.directory.settings().locale,
    )

    def opened(submission, client_id, evidence):
        return open_ticket(
            submission,
            client_id,
            directory=base.directory,
            tickets=base.tickets,
            config=config,
            now=base.now,
            missing_allowed=True,
            evidence=evidence,
        )

    new_tickets = NewTicketsByMail(
        addresses,
        base.directory,
        opened,
        Files(),
        answers,
        lambda: base.directory.settings().locale,
    )
    service = MailboxService(
        addresses,
        frozenset({config.mail.sender.lower()}),
        replies,
        FirestoreBounces(db, base.tickets, base.now),
        new_tickets,
    )
    return MailboxServices(
        base,
        _mailbox(config, addresses.mailbox),
        FirestoreMessageClaims(db, base.now),
        FirestoreHistoryCursor(db),
        service,
    )


@functools.cache
def mailbox_watch_services() -> tuple[Services, Mailbox, HistoryCursor]:
    """The daily watch's collaborators: the mailbox and the history id read up to."""
    from shared.repositories.mail_messages import FirestoreHistoryCursor

    base = services()
    config = base.config
    if not config.mailbox:
        raise RuntimeError("HELPDESK_MAILBOX is not set")
    return base, _mailbox(config, config.mailbox), FirestoreHistoryCursor(_db(config))


def _mailbox(config: Config, address: str) -> Mailbox:
    if config.mailbox_kind == "local":
        from pathlib import Path

        from shared.mail.local_mailbox import LocalMailbox

        return LocalMailbox(Path(config.local_mailbox_dir), address)
    if config.mailbox_kind == "gmail":
        from shared.mail.factory import gmail_credentials
        from shared.mail.gmail_mailbox import MAILBOX_SCOPES, GmailMailbox, build_mailbox_service

        credentials = gmail_credentials(config.mail, MAILBOX_SCOPES)
        return GmailMailbox(build_mailbox_service(credentials), address, config.mailbox_topic)
    raise ValueError(f"HELPDESK_MAILBOX_KIND must be local or gmail, not {config.mailbox_kind!r}")


def _upload_store(config: Config):
    """The evidence bucket as the media function writes it."""
    from google.cloud import storage

    from shared.storage.evidence import GcsEvidenceStore

    return GcsEvidenceStore(
        storage.Client(project=config.project),
        config.evidence_bucket,
        send_tokens=not config.storage_emulated,
    )


@functools.cache
def digest_services():
    """The daily digest's collaborators: the directory, the lists, the report's rollups, the
    mail, and the queue that fans out one task per person."""
    from shared.digest.content import DigestWriter
    from shared.digest.figures import ReportDayFigures
    from shared.digest.mail import DigestMail
    from shared.digest.service import DigestService
    from shared.links import LinkSigner, PersonalLinks
    from shared.mail.factory import build_mailer
    from shared.repositories.digests import FirestoreDigestRecords
    from shared.repositories.personal_lists import FirestorePersonalLists
    from shared.repositories.rollups import FirestoreRollups
    from shared.repositories.ticket_queries import FirestoreTicketQueries

    base = services()
    config = base.config
    if not config.link_secret:
        raise RuntimeError("HELPDESK_LINK_SECRET is not set")
    db = _db(config)
    links = LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl)
    personal = PersonalLinks(config.link_secret, config.pages_base_url, config.personal_link_ttl)
    figures = ReportDayFigures(FirestoreRollups(db), FirestoreTicketQueries(db))
    writer = DigestWriter(base.directory, FirestorePersonalLists(db), figures, links)
    mail = DigestMail(
        (config.mail.sender, config.mail.sender_name),
        lambda: base.directory.settings().name,
        personal,
        config.console_url,
    )
    return DigestService(
        base.directory,
        writer,
        mail,
        FirestoreDigestRecords(db, base.now),
        build_mailer(config.mail),
        _task_queue(config, config.digest_url.rstrip("/") + "/send"),
        base.now,
    )


@functools.cache
def console_services():
    """The managers' console: sign-in (Google, or the stand-in issuer a development setting
    names), its sessions, and the report's figures."""
    from shared.auth.sign_in import Certificates, google, stand_in, verify_sign_in
    from shared.console.figures import ReportFigures
    from shared.console.handlers import ConsoleServices
    from shared.console.session import SessionCookies
    from shared.links import LinkSigner
    from shared.repositories.console_sessions import FirestoreConsoleSessions
    from shared.repositories.open_now import FirestoreOpenNow
    from shared.repositories.rollups import FirestoreRollups
    from shared.repositories.ticket_search import FirestoreTicketSearch

    base = services()
    config = base.config
    if not config.link_secret:
        raise RuntimeError("HELPDESK_LINK_SECRET is not set")
    db = _db(config)
    issuers = [google()]
    if config.dev_issuer_url:  # development only: deploy.sh never sets it
        issuers.append(stand_in(config.dev_issuer_url))
    certificates = Certificates()

    def sign_in(token: str):
        return verify_sign_in(
            token,
            audience=config.console_client_id,
            domain=config.workspace_domain,
            issuers=issuers,
            certificates=certificates,
        )

    return ConsoleServices(
        config,
        base.directory,
        SessionCookies(config.link_secret, FirestoreConsoleSessions(db, base.now)),
        sign_in,
        ReportFigures(FirestoreRollups(db), FirestoreOpenNow(db), base.directory, base.now),
        base.now,
        FirestoreTicketSearch(db),
        LinkSigner(config.link_secret, config.pages_base_url, config.link_ttl),
        report_services,  # built when a report or an asset is first asked for
        registry_services,
    )
