"""The free-text modules of taxonomy must not import Django (the matching engine uses them directly)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_pure_modules_do_not_import_django():
    code = (
        "import sys\n"
        "import taxonomy.text, taxonomy.occupation_coder, taxonomy.skill_resolver\n"
        "loaded = sorted(name for name in sys.modules if name == 'django' or name.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_the_coder_module_does_not_import_sklearn_or_scipy():
    """Web and worker processes import taxonomy.coding at start-up: no heavy libraries until used."""
    code = (
        "import sys\n"
        "import taxonomy.occupation_coder\n"
        "heavy = sorted(n for n in sys.modules if n.split('.')[0] in {'sklearn', 'scipy', 'rapidfuzz'})\n"
        "assert not heavy, heavy\n"
    )
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
