"""Give every ticket stored before the personal lists and the console its place in them: the
lists' keys, the console's search keys, and the open-now counters.

    python -m tools.backfill_work

Run once after deploying the lists, against the project of the environment; idempotent
(shared/repositories/work_backfill.py).
"""

from __future__ import annotations

import sys

from shared.bootstrap import services
from shared.repositories.open_now import FirestoreOpenNow
from shared.repositories.work_backfill import backfill


def main() -> int:
    db = services().tickets.db
    done = backfill(db)
    print(f"lists' keys: {done.updated:,} tickets given them, {done.already:,} had them")
    counted = FirestoreOpenNow(db).rebuild()
    print(f"open tickets now: {counted:,} counted (the console's counters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
