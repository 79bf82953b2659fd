"""Fixtures for the pure taxonomy tests: the bundled coder and resolver, built once per session."""

from __future__ import annotations

import pytest

from taxonomy.occupation_coder import OccupationCoder, load_csco_rows
from taxonomy.skill_resolver import SkillResolver, load_skill_rows


@pytest.fixture(scope="session")
def csco_rows() -> list[dict[str, str]]:
    return load_csco_rows()


@pytest.fixture(scope="session")
def coder(csco_rows) -> OccupationCoder:
    return OccupationCoder.from_rows(csco_rows, labelled=None)  # as shipped: with the development titles


@pytest.fixture(scope="session")
def skill_rows() -> list[dict[str, str]]:
    return load_skill_rows()


@pytest.fixture(scope="session")
def resolver(skill_rows) -> SkillResolver:
    return SkillResolver.from_rows(skill_rows)
