"""Turning database rows into the engine's frozen dataclasses, in a few bulk queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from jobs.models import JobPosting, JobSkill
from residents.models import Household, Resident, ResidentSkill
from taxonomy.models import Skill
from training.models import CourseSkill

from .engine import (
    Course,
    CourseCatalog,
    EngineConfig,
    JobProfile,
    ResidentProfile,
    SkillCatalog,
    SkillRequirement,
)

WORKING_STATUSES = (Resident.EmploymentStatus.EMPLOYED, Resident.EmploymentStatus.SELF_EMPLOYED)


def engine_config() -> EngineConfig:
    """The engine's configuration from settings.MATCHING (weights and scales a deployment may tune)."""
    return EngineConfig.from_settings(settings.MATCHING)


def skill_catalog() -> SkillCatalog:
    return SkillCatalog.from_mapping(dict(Skill.objects.values_list("id", "group_id")))


def course_catalog() -> CourseCatalog:
    skills: dict[int, list[tuple[int, int]]] = defaultdict(list)
    names: dict[int, str] = {}
    for course_id, name, skill_id, level in CourseSkill.objects.values_list("course_id", "course__name", "skill_id", "level"):
        skills[course_id].append((skill_id, level))
        names[course_id] = name
    return CourseCatalog(tuple(Course(id=cid, name=names[cid], skills=tuple(levels)) for cid, levels in skills.items()))


def zero_employment_households(household_ids: Iterable[int] | None = None) -> QuerySet[Household]:
    """Households where nobody is employed or self-employed (the 动态清零 target)."""
    working = Resident.objects.filter(household=OuterRef("pk"), employment_status__in=WORKING_STATUSES)
    queryset = Household.objects.filter(~Exists(working))
    if household_ids is not None:
        queryset = queryset.filter(pk__in=list(household_ids))
    return queryset


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def resident_profiles(residents: QuerySet[Resident], *, today: dt.date) -> list[ResidentProfile]:
    rows = list(
        residents.values(
            "id", "birth_date", "min_monthly_wage", "max_commute_km", "accepts_home_based", "accepts_outside_county",
            "work_time", "care_duties", "employment_status", "household_id", "household__poverty_status",
            "household__site__latitude", "household__site__longitude", "household__site__code",
        )
    )
    ids = [row["id"] for row in rows]
    skills: dict[int, list[tuple[int, int]]] = defaultdict(list)
    wanted: dict[int, list[str]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 20000):
        chunk = ids[chunk_start : chunk_start + 20000]
        for resident_id, skill_id, level in ResidentSkill.objects.filter(resident_id__in=chunk).values_list(
            "resident_id", "skill_id", "level"
        ):
            skills[resident_id].append((skill_id, level))
        through = Resident.wanted_occupations.through
        for resident_id, code in through.objects.filter(resident_id__in=chunk).values_list(
            "resident_id", "occupation__code"
        ):
            wanted[resident_id].append(code)
    household_ids = {row["household_id"] for row in rows}
    zero = set(zero_employment_households(household_ids).values_list("id", flat=True)) if household_ids else set()
    default_commute = settings.MATCHING["DEFAULT_MAX_COMMUTE_KM"]
    profiles = []
    for row in rows:
        lat, lon = row["household__site__latitude"], row["household__site__longitude"]
        if lat is None or lon is None:
            lat = lon = None
        profiles.append(
            ResidentProfile(
                id=row["id"],
                age=_age(row["birth_date"], today) if row["birth_date"] else None,
                skills=tuple(skills.get(row["id"], ())),
                wanted_occupations=tuple(wanted.get(row["id"], ())),
                min_monthly_wage=float(row["min_monthly_wage"]) if row["min_monthly_wage"] is not None else None,
                max_commute_km=float(row["max_commute_km"]) if row["max_commute_km"] is not None else default_commute,
                lat=lat,
                lon=lon,
                county_code=(row["household__site__code"] or "")[:6] or None,
                accepts_home_based=row["accepts_home_based"],
                accepts_outside_county=row["accepts_outside_county"],
                work_time=row["work_time"],
                has_care_duties=row["care_duties"] != Resident.CareDuties.NONE,
                seeking_work=row["employment_status"] == Resident.EmploymentStatus.SEEKING,
                zero_employment_household=row["household_id"] in zero,
                poverty_status=row["household__poverty_status"],
            )
        )
    return profiles


def job_profiles(postings: QuerySet[JobPosting]) -> list[JobProfile]:
    rows = list(
        postings.values(
            "id", "status", "valid_until", "openings", "filled", "occupation__code", "wage_min", "wage_max",
            "wage_unit", "work_mode", "work_time", "hours_per_day", "age_min", "age_max", "title",
            "place__latitude", "place__longitude", "place__code", "piece_monthly_estimate",
        )
    )
    ids = [row["id"] for row in rows]
    requirements: dict[int, list[SkillRequirement]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 20000):
        chunk = ids[chunk_start : chunk_start + 20000]
        for posting_id, skill_id, level, kind, mandatory in JobSkill.objects.filter(posting_id__in=chunk).values_list(
            "posting_id", "skill_id", "level", "kind", "mandatory"
        ):
            requirements[posting_id].append(
                SkillRequirement(skill_id=skill_id, level=level, required=kind == JobSkill.Kind.REQUIRED, mandatory=mandatory)
            )
    profiles = []
    for row in rows:
        lat, lon = row["place__latitude"], row["place__longitude"]
        if lat is None or lon is None:
            lat = lon = None
        profiles.append(
            JobProfile(
                id=row["id"],
                status=row["status"],
                valid_until=row["valid_until"],
                openings_remaining=max(row["openings"] - row["filled"], 0),
                occupation_code=row["occupation__code"],
                skills=tuple(requirements.get(row["id"], ())),
                wage_min=float(row["wage_min"]) if row["wage_min"] is not None else None,
                wage_max=float(row["wage_max"]) if row["wage_max"] is not None else None,
                wage_unit=row["wage_unit"],
                work_mode=row["work_mode"],
                lat=lat,
                lon=lon,
                county_code=(row["place__code"] or "")[:6] or None,
                work_time=row["work_time"],
                hours_per_day=float(row["hours_per_day"]) if row["hours_per_day"] is not None else None,
                age_min=row["age_min"],
                age_max=row["age_max"],
                title=row["title"],
                piece_monthly_estimate=(
                    float(row["piece_monthly_estimate"]) if row["piece_monthly_estimate"] is not None else None
                ),
            )
        )
    return profiles
