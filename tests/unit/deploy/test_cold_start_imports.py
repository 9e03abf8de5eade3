"""No function pays WeasyPrint's import at cold start: only rendering a PDF imports it."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FUNCTIONS = sorted(path.stem for path in (ROOT / "functions").glob("*.py"))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_importing_a_function_does_not_import_weasyprint(name):
    probe = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('main', 'functions/{name}.py')\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('weasyprint' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"
