"""Rebuild the SLA report's rollups in their sharded layout from the tickets.

    python -m tools.migrate_rollups [--page 100]

Run once after deploying the sharded rollups, against the project of the environment
(`GOOGLE_CLOUD_PROJECT`, and `FIRESTORE_EMULATOR_HOST` locally); the functions may keep
serving meanwhile. Stopped anywhere, run it again: it goes on where it stopped, and running
it after it finished changes nothing (shared/repositories/rollup_migration.py).
"""

from __future__ import annotations

import argparse
import sys

from shared.bootstrap import services
from shared.domain.report_share import Rollup
from shared.repositories.rollup_migration import PAGE, Progress, migrate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=int, default=PAGE, help="tickets per batch")
    args = parser.parse_args(argv)
    app = services()

    printed = [0]

    def report(progress: Progress) -> None:
        seen = progress.moved + progress.skipped
        if seen // 10_000 > printed[0]:
            printed[0] = seen // 10_000
            print(f"{seen:>9,} tickets  ({progress.per_10k:.1f} s per 10,000)", flush=True)

    progress = migrate(app.tickets.db, Rollup(app.directory), args.page, report=report)
    print(
        f"rollups migrated: {progress.moved:,} tickets moved, {progress.skipped:,} already"
        f" moved, in {progress.seconds:.1f} s ({progress.per_10k:.1f} s per 10,000 tickets);"
        f" {progress.legacy_deleted:,} documents of the old layout deleted"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
