"""Builders of engine dataclasses for tests and benchmarks: small named defaults and seeded random worlds."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from matching.engine import (
    Course,
    CourseCatalog,
    JobProfile,
    ResidentProfile,
    SkillCatalog,
    SkillRequirement,
)

TODAY = date(2025, 6, 16)
YUPING = (27.238, 108.917)  # 玉屏县 平溪街道
YUPING_COUNTY = "520622"

# Skills of the hand-written tests: 1–3 weaving (bamboo, rattan, straw), 4–5 housekeeping,
# 6 driving (no group), 7–9 sewing.
BAMBOO, RATTAN, STRAW, CLEANING, CHILDCARE, DRIVING, SEWING, EMBROIDERY, KNITTING = range(1, 10)
CATALOG = SkillCatalog.from_mapping(
    {
        BAMBOO: 100,
        RATTAN: 100,
        STRAW: 100,
        CLEANING: 200,
        CHILDCARE: 200,
        DRIVING: None,
        SEWING: 300,
        EMBROIDERY: 300,
        KNITTING: 300,
    }
)
COURSES = CourseCatalog(
    (
        Course(id=11, name="藤椅加工", skills={RATTAN: 3}),
        Course(id=12, name="竹编入门", skills={BAMBOO: 1}),
        Course(id=13, name="家政服务", skills={CLEANING: 2, CHILDCARE: 2}),
        Course(id=14, name="竹编提高", skills={BAMBOO: 4}),
    )
)


def resident(**overrides) -> ResidentProfile:
    """A plain resident in Yuping who wants any work and holds no skills."""
    fields = {"id": 1, "age": 35, "lat": YUPING[0], "lon": YUPING[1], "county_code": YUPING_COUNTY}
    return ResidentProfile(**{**fields, **overrides})


def job(**overrides) -> JobProfile:
    """An open, on-site, full-time posting 2 km north of the resident default, asking nothing."""
    fields = {"id": 1, "lat": YUPING[0] + 0.018, "lon": YUPING[1], "county_code": YUPING_COUNTY}
    return JobProfile(**{**fields, **overrides})


def req(skill_id: int, level: int = 1, *, required: bool = True, mandatory: bool = False) -> SkillRequirement:
    return SkillRequirement(skill_id=skill_id, level=level, required=required, mandatory=mandatory)


def offset(point: tuple[float, float], north_km: float, east_km: float) -> tuple[float, float]:
    """A point `north_km` north and `east_km` east of `point` (small distances)."""
    lat, lon = point
    return lat + north_km / 111.195, lon + east_km / (111.195 * math.cos(math.radians(lat)))


@dataclass(frozen=True)
class World:
    """A random but plausible population of residents, postings, skills and courses."""

    residents: tuple[ResidentProfile, ...]
    jobs: tuple[JobProfile, ...]
    catalog: SkillCatalog
    courses: CourseCatalog
    today: date = TODAY


def _occupation_codes(rng: np.random.Generator, count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        major = rng.integers(2, 7)
        middle = rng.integers(1, 6)
        minor = rng.integers(1, 4)
        detail = rng.integers(1, 6)
        codes.add(f"{major}-{middle:02d}-{minor:02d}-{detail:02d}")
    return sorted(codes)


def _place(rng: np.random.Generator, radius_km: float = 60.0) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    return offset(YUPING, distance * math.cos(angle), distance * math.sin(angle))


def _maybe(rng: np.random.Generator, probability: float, value):
    return value if rng.random() < probability else None


def random_world(
    seed: int,
    n_residents: int,
    n_jobs: int,
    *,
    n_skills: int = 200,
    n_groups: int = 20,
    duplicates: float = 0.05,
) -> World:
    """Seeded random world around Yuping (within ~60 km); a share of profiles are copies of others
    under a new id (with their own count of open recommendations), so that ties occur and are
    broken by meaning."""
    rng = np.random.default_rng(seed)
    skill_ids = np.arange(1, n_skills + 1)
    groups = {int(s): (None if rng.random() < 0.1 else int(rng.integers(1, n_groups + 1))) for s in skill_ids}
    catalog = SkillCatalog.from_mapping(groups)
    courses = CourseCatalog(
        tuple(
            Course(
                id=c,
                name=f"course {c}",
                skills={
                    int(s): int(rng.integers(1, 6))
                    for s in rng.choice(skill_ids, size=rng.integers(1, 4), replace=False)
                },
            )
            for c in range(1, 41)
        )
    )
    codes = _occupation_codes(rng, 150)
    counties = [YUPING_COUNTY] * 8 + ["520602", "520621", "522201"]

    residents: list[ResidentProfile] = []
    for rid in range(1, n_residents + 1):
        if residents and rng.random() < duplicates:
            residents.append(replace(residents[int(rng.integers(len(residents)))], id=rid,
                                     live_recommendations=int(rng.integers(0, 3))))
            continue
        n_held = int(rng.integers(0, 7))
        lat, lon = _place(rng) if rng.random() < 0.88 else (None, None)
        residents.append(
            ResidentProfile(
                id=rid,
                age=_maybe(rng, 0.93, int(rng.integers(16, 71))),
                skills={
                    int(s): int(rng.integers(1, 6)) for s in rng.choice(skill_ids, size=n_held, replace=False)
                },
                wanted_occupations=tuple(
                    rng.choice(codes, size=int(rng.integers(0, 4)), replace=False).tolist()
                ),
                min_monthly_wage=_maybe(rng, 0.7, float(rng.integers(12, 50)) * 100),
                max_commute_km=_maybe(rng, 0.6, float(rng.choice([5, 10, 20, 30, 50]))),
                lat=lat,
                lon=lon,
                county_code=_maybe(rng, 0.95, str(rng.choice(counties))),
                accepts_home_based=bool(rng.random() < 0.9),
                accepts_outside_county=bool(rng.random() < 0.3),
                work_time=str(rng.choice(["full", "part", "any"])),
                has_care_duties=bool(rng.random() < 0.3),
                seeking_work=bool(rng.random() < 0.92),
                zero_employment_household=bool(rng.random() < 0.1),
                poverty_status=str(rng.choice(["none", "lifted", "monitored"], p=[0.6, 0.3, 0.1])),
                coordinates_estimated=bool(lat is not None and rng.random() < 0.3),
                live_recommendations=int(rng.choice([0, 0, 1, 2])),
            )
        )

    jobs: list[JobProfile] = []
    for jid in range(1, n_jobs + 1):
        if jobs and rng.random() < duplicates:
            jobs.append(replace(jobs[int(rng.integers(len(jobs)))], id=jid,
                                live_recommendations=int(rng.integers(0, 4))))
            continue
        n_req = int(rng.integers(0, 5))
        n_pref = int(rng.integers(0, 4))
        chosen = rng.choice(skill_ids, size=n_req + n_pref, replace=False)
        skills = tuple(
            SkillRequirement(
                skill_id=int(s),
                level=int(rng.integers(1, 6)),
                required=i < n_req,
                mandatory=bool(i < n_req and rng.random() < 0.15),
            )
            for i, s in enumerate(chosen)
        )
        home = rng.random() < 0.2
        unit = str(rng.choice(["month", "day", "hour", "piece"], p=[0.5, 0.2, 0.15, 0.15]))
        base = {"month": 2500.0, "day": 110.0, "hour": 15.0, "piece": 3.0}[unit]
        low = _maybe(rng, 0.85, round(base * rng.uniform(0.6, 1.4), 1))
        high = _maybe(rng, 0.6, round((low or base) * rng.uniform(1.0, 1.5), 1))
        # A piece rate is per piece; most piece-rate postings also say what a month brings.
        piece_estimate = _maybe(rng, 0.6, float(rng.integers(10, 45)) * 100) if unit == "piece" else None
        lat, lon = _place(rng) if rng.random() < 0.9 else (None, None)
        age_min = _maybe(rng, 0.4, int(rng.choice([16, 18, 20, 25])))
        jobs.append(
            JobProfile(
                id=jid,
                status=str(rng.choice(["open", "draft", "filled", "closed"], p=[0.85, 0.05, 0.05, 0.05])),
                valid_until=_maybe(rng, 0.7, TODAY + timedelta(days=int(rng.integers(-20, 90)))),
                openings_remaining=int(rng.choice([0, 1, 2, 3, 5, 10], p=[0.08, 0.3, 0.2, 0.2, 0.12, 0.1])),
                occupation_code=_maybe(rng, 0.9, str(rng.choice(codes))),
                skills=skills,
                wage_min=low,
                wage_max=high,
                wage_unit=unit,
                work_mode="home_based" if home else "on_site",
                lat=lat,
                lon=lon,
                county_code=_maybe(rng, 0.95, str(rng.choice(counties))),
                work_time=str(rng.choice(["full", "part", "flexible"], p=[0.6, 0.2, 0.2])),
                hours_per_day=_maybe(rng, 0.5, float(rng.choice([4, 6, 8, 10]))),
                age_min=age_min,
                age_max=_maybe(rng, 0.4, int(rng.choice([40, 45, 50, 55, 60]))),
                title=f"posting {jid}",
                piece_monthly_estimate=piece_estimate,
                coordinates_estimated=bool(lat is not None and rng.random() < 0.3),
                live_recommendations=int(rng.choice([0, 0, 1, 3])),
            )
        )
    return World(tuple(residents), tuple(jobs), catalog, courses)
