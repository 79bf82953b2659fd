"""Assertions shared by the engine tests: the engine and the reference must agree on every pair."""

from __future__ import annotations

import math
from dataclasses import fields

from matching.engine import (
    DEFAULT_CONFIG,
    CourseCatalog,
    EngineConfig,
    Exclusion,
    JobProfile,
    MatchResult,
    ResidentProfile,
    SkillCatalog,
    explain_pair,
    reference,
)

from .factories import CATALOG, COURSES, TODAY

TOLERANCE = 1e-9


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOLERANCE)


def assert_same_result(engine: MatchResult | Exclusion, baseline: MatchResult | Exclusion) -> None:
    """Equal in every field; floats to within 1e-9."""
    assert type(engine) is type(baseline), (engine, baseline)
    if isinstance(engine, Exclusion):
        assert engine == baseline
        return
    for f in fields(MatchResult):
        a, b = getattr(engine, f.name), getattr(baseline, f.name)
        if f.name == "components":
            assert [c.name for c in a] == [c.name for c in b]
            for ca, cb in zip(a, b, strict=True):
                assert _close(ca.value, cb.value), (ca, cb)
                assert _close(ca.contribution, cb.contribution), (ca, cb)
                assert ca.weight == cb.weight
        elif f.name in ("score", "distance_km", "monthly_wage_estimate"):
            assert _close(a, b), (f.name, a, b)
        else:
            assert a == b, (f.name, a, b)


def explain(
    resident: ResidentProfile,
    job: JobProfile,
    *,
    today=TODAY,
    catalog: SkillCatalog = CATALOG,
    courses: CourseCatalog = COURSES,
    config: EngineConfig = DEFAULT_CONFIG,
) -> MatchResult | Exclusion:
    """The engine's explanation of a pair, after checking that the reference says the same."""
    engine = explain_pair(
        resident, job, today=today, skill_catalog=catalog, course_catalog=courses, config=config
    )
    baseline = reference.explain_pair(
        resident, job, today=today, catalog=catalog, courses=courses, config=config
    )
    assert_same_result(engine, baseline)
    return engine


def match(resident: ResidentProfile, job: JobProfile, **kwargs) -> MatchResult:
    result = explain(resident, job, **kwargs)
    assert isinstance(result, MatchResult), result
    return result


def value(resident: ResidentProfile, job: JobProfile, component: str, **kwargs) -> float:
    return match(resident, job, **kwargs).component(component).value
