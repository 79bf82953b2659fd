"""The engine (assignment included) stays pure: importing it loads no Django, and no module under it imports Django."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "matching" / "engine"
DJANGO_IMPORT = re.compile(r"^\s*(import\s+django\b|from\s+django\b)", re.MULTILINE)


@pytest.mark.parametrize("module", ["matching.engine", "matching.engine.assignment"])
def test_importing_the_engine_loads_no_django(module):
    code = (
        f"import {module}, sys, pathlib;"
        f"assert pathlib.Path({module}.__file__).resolve().is_relative_to({str(ROOT)!r}), {module}.__file__;"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_no_module_under_the_engine_imports_django():
    sources = sorted(ENGINE.rglob("*.py"))
    assert sources, "engine sources not found"
    offenders = [
        str(p.relative_to(ROOT)) for p in sources if DJANGO_IMPORT.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
