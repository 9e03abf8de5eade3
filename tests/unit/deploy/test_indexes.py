"""firestore.indexes.json holds exactly the composite indexes the code's queries declare.

Every query that needs a composite index says so right above it, as
`# index: collection(field ORDER, ...)`. The emulator does not enforce indexes; production
does, and a missing one is an outage: this test keeps the two lists in step.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DECLARATION = re.compile(r"index: ([a-z_]+)\(([^)]*)\)")


def declared_in_code() -> set[tuple]:
    found = set()
    for path in [*ROOT.glob("shared/**/*.py"), *ROOT.glob("functions/*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "# " not in line or "index:" not in line:
                continue
            for collection, fields in DECLARATION.findall(line):
                pairs = tuple(tuple(part.strip().split()) for part in fields.split(","))
                found.add((collection, pairs))
    return found


def declared_in_file() -> set[tuple]:
    indexes = json.loads((ROOT / "firestore.indexes.json").read_text(encoding="utf-8"))["indexes"]
    return {
        (
            index["collectionGroup"],
            tuple((field["fieldPath"], _order(field)) for field in index["fields"]),
        )
        for index in indexes
    }


def _order(field: dict) -> str:
    if field.get("arrayConfig") == "CONTAINS":
        return "CONTAINS"
    return "ASC" if field["order"] == "ASCENDING" else "DESC"


def test_the_index_file_and_the_code_agree():
    code, file = declared_in_code(), declared_in_file()
    assert code, "no index declarations found"
    assert code - file == set(), "declared in the code, missing from firestore.indexes.json"
    assert file - code == set(), "in firestore.indexes.json, used by no query"


def test_every_composite_query_declares_its_index():
    """A query chaining two or more filters or an order over a filter carries a declaration."""
    for path in [*ROOT.glob("shared/**/*.py"), *ROOT.glob("functions/*.py")]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if ".where(" not in line and ".order_by(" not in line:
                continue
            window = "\n".join(lines[max(0, number - 12) : number + 6])
            clauses = window.count(".where(") + window.count(".order_by(")
            if clauses >= 2:
                assert "index:" in window, (
                    f"{path.relative_to(ROOT)}:{number + 1} declares no index"
                )
