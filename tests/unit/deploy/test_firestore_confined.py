"""Firestore is reached only through the adapters (shared/repositories) and the wiring
(shared/bootstrap.py, functions/): the use cases and channels take ports. import-linter sees
only the top package of a library (`google`), so this test reads the imports itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ALLOWED = ("shared/repositories/", "shared/bootstrap.py")


def firestore_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found += [name for name in names if name.startswith("google.cloud.firestore")]
    return found


def test_only_the_adapters_and_the_wiring_import_firestore():
    offenders = {}
    for path in sorted((ROOT / "shared").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ALLOWED):
            continue
        if found := firestore_imports(path):
            offenders[relative] = found
    assert offenders == {}


def test_the_check_sees_an_import_written_either_way(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from google.cloud import firestore\nimport google.cloud.firestore_v1\n")
    assert firestore_imports(module) == ["google.cloud.firestore", "google.cloud.firestore_v1"]
