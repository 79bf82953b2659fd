"""Fixtures for the pure taxonomy tests: the bundled coder and resolver, built once per session."""

from __future__ import annotations

import fcntl
import os

import pytest

from taxonomy.occupation_coder import OccupationCoder, load_csco_rows
from taxonomy.skill_resolver import SkillResolver, load_skill_rows


@pytest.fixture(scope="session")
def csco_rows() -> list[dict[str, str]]:
    return load_csco_rows()


@pytest.fixture(scope="session")
def coder(csco_rows, tmp_path_factory) -> OccupationCoder:
    """As shipped: with the development titles. Fitted by the first xdist worker that needs it, under a file lock,
    and saved; the others load it (a fit takes about 10 s)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = shared / "occupation_coder_pure.npz"
    with (shared / "occupation_coder_pure.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return OccupationCoder.load(path)
        coder = OccupationCoder.from_rows(csco_rows, labelled=None)
        coder.save(path)
        return coder


@pytest.fixture(scope="session")
def skill_rows() -> list[dict[str, str]]:
    return load_skill_rows()


@pytest.fixture(scope="session")
def resolver(skill_rows) -> SkillResolver:
    return SkillResolver.from_rows(skill_rows)
