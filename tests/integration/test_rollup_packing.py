"""Folded rollup documents keep their cells packed (one compressed JSON value), and the fold
packs those written before as maps: the report reads the same sums either way."""

from __future__ import annotations

from datetime import date

from google.cloud import firestore

from shared.repositories import rollup_fold
from shared.repositories.rollups import PACKED, REPORT_DAYS, folded_id, group_of, read_rollups

DAY = "2026-10-14"
CELL_A = "c0000000a" + "0" * 7
CELL_B = "c0000000b" + "0" * 7


def summed(db) -> dict:
    total: dict = {}
    for _, cells in read_rollups(db, date(2026, 10, 14), date(2026, 10, 14), "day").parts:
        for cell, fields in cells.items():
            rollup_fold._add(total.setdefault(cell, {}), fields)
    return total


def test_the_fold_packs_old_folded_documents_and_the_sums_stay(emulator_env, monkeypatch):
    db = firestore.Client()
    monkeypatch.setattr(rollup_fold, "QUIET", __import__("datetime").timedelta(0))
    days = db.collection(REPORT_DAYS)
    old = folded_id(DAY, group_of(CELL_A))  # as the fold wrote it before packing: maps
    days.document(old).set(
        {
            "day": DAY,
            "group": group_of(CELL_A),
            "cells": {CELL_A: {"dims": "x", "n": 3, "h": {"5": 2}}},
        }
    )
    days.document(f"{DAY}.7").set(
        {
            "day": DAY,
            "shard": 7,
            "live": True,
            "cells": {
                CELL_A: {"dims": "x", "n": 1, "h": {"5": 1, "9": 1}},
                CELL_B: {"dims": "y", "n": 4},
            },
        }
    )
    before = summed(db)
    assert before[CELL_A] == {"dims": "x", "n": 4, "h": {"5": 3, "9": 1}}
    done = rollup_fold.fold(db)
    assert done.shards == 1
    after = summed(db)
    assert after == before
    packed = days.document(old).get().to_dict()
    assert PACKED in packed
    assert "cells" not in packed  # packed now, the maps gone
    assert not days.document(f"{DAY}.7").get().exists
    assert rollup_fold.fold(db).shards == 0  # nothing left: folding again changes nothing
    assert summed(db) == before
