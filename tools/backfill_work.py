"""Give every ticket stored before the personal lists its place in them.

    python -m tools.backfill_work

Run once after deploying the lists, against the project of the environment; idempotent
(shared/repositories/work_backfill.py).
"""

from __future__ import annotations

import sys

from shared.bootstrap import services
from shared.repositories.work_backfill import backfill


def main() -> int:
    done = backfill(services().tickets.db)
    print(f"lists' keys: {done.updated:,} tickets given them, {done.already:,} had them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
