"""No rollup document grows with the tickets: at 200,000 tickets over 90 days on one
organisation, every document the help desk writes stays under 256 KiB (Firestore refuses any
over 1 MiB, and the write that would cross it is a ticket's own change).

The documents are built by applying each ticket's own rollup writes (`rollup_writes`, as the
ticket's batch carries them). Drafting 200,000 tickets takes minutes, so 12,500 tickets live
plausible lives (the benchmark's own `synthetic_ticket`: responses, resolutions, breaches,
costs, losses, ratings over the 90 days), and each is counted sixteen times under sixteen ids:
the same 200,000 tickets per 90 days per document, each copy in the shard its own id names.
"""

import random

import pytest
from google.cloud import firestore

from shared.domain.report_share import CAP, SHARDS, Rollup, minute_bucket, shard_of
from shared.orgconfig import read_organisation
from shared.repositories.directory import StaticDirectory
from shared.repositories.rollups import GROUPS, REPORT_DAYS, REPORT_WEEKS, rollup_writes
from tools.bench_report import DAYS, synthetic_ticket
from tools.rollup_documents import RollupTotals, firestore_size, largest
from tools.stack import ROOT

LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def organisation():
    organisation = read_organisation(ROOT / "config" / "demo-organisation.yaml")
    return StaticDirectory(organisation)


def test_no_rollup_document_exceeds_256_kib_at_200000_tickets_over_90_days(organisation):
    rollup, rng = Rollup(organisation), random.Random(200_000)
    totals = RollupTotals()
    tickets = 0
    for index in range(12_500):
        share = rollup.share(synthetic_ticket(organisation, index, rng))
        totals.add(share, [shard_of(f"{index}.{copy}") for copy in range(16)])
        tickets += 16
    assert tickets == 200_000
    # as ticket changes leave them (live shards), and as the hourly fold leaves them
    for folded in (False, True):
        documents = totals.documents(folded)
        size, path = largest(documents)
        print(f"largest rollup document: {path}, {size / 1024:.0f} KiB")
        assert size < LIMIT, f"{path} takes {size / 1024:.0f} KiB"
        weeks = [key for collection, key in documents if collection == REPORT_WEEKS]
        assert len(weeks) <= (DAYS // 7 + 2) * (GROUPS if folded else SHARDS)
    # A folded document's size is bounded by its cells, whatever the tickets: even with every
    # bucket of both histograms taken in every cell (many more tickets than here), it fits.
    every_bucket = {
        f"m{minutes}": 10**6 for minutes in sorted(set(map(minute_bucket, range(CAP + 1))))
    }
    for fields in documents.values():
        for cell in fields["cells"].values():
            cell["resp_m"] = cell["res_m"] = every_bucket
    size, path = largest(documents)
    print(f"largest folded document, every bucket taken: {path}, {size / 1024:.0f} KiB")
    assert size < LIMIT


def test_the_size_is_firestore_s_documented_calculation():
    # Firestore's own example: the name 6+5+6+11+16, "type" 5+9, "done" 5+1, "priority" 9+8,
    # "description" 12+22, and 32
    fields = {
        "type": "Personal",
        "done": False,
        "priority": 1,
        "description": "Learn Cloud Firestore",
    }
    assert firestore_size("users/jeff/tasks/my_task_id", fields) == 147


def test_the_totals_lay_documents_out_as_the_tickets_writes_do(organisation):
    """Summed in memory or written ticket by ticket (the increments of `rollup_writes`, applied
    as Firestore applies them), the documents are the same."""
    rollup, rng = Rollup(organisation), random.Random(3)
    totals, applied = RollupTotals(), {}
    for index in range(300):
        share = rollup.share(synthetic_ticket(organisation, index, rng))
        totals.add(share)
        for (collection, key), fields in rollup_writes(None, share).items():
            period, shard = key.rsplit(".", 1)
            label = "day" if collection == REPORT_DAYS else "week"
            head = {label: period, "shard": int(shard), "live": True}
            document = applied.setdefault((collection, key), head)
            merge(document, fields)
    assert totals.documents() == applied


def merge(target: dict, fields: dict) -> None:
    for name, value in fields.items():
        if isinstance(value, dict):
            merge(target.setdefault(name, {}), value)
        elif isinstance(value, firestore.Increment):
            target[name] = target.get(name, 0) + value.value
        else:
            target[name] = value
