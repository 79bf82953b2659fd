"""Turning database rows into the engine's frozen dataclasses, in a few bulk queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet

from jobs.models import JobPosting, JobSkill
from residents.models import Household, Resident, ResidentSkill
from taxonomy.models import CoordinatesSource, Skill
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
from .models import Recommendation

WORKING_STATUSES = (Resident.EmploymentStatus.EMPLOYED, Resident.EmploymentStatus.SELF_EMPLOYED)
# Schooling as the ordinal learned models read (vocational school ranks with senior middle school).
EDUCATION_LEVEL = {"none": 0, "primary": 1, "junior": 2, "senior": 3, "vocational": 3, "college": 4}
# Beyond this many records, look-ups of their related rows join the whole selection instead of listing ids.
_LIST_IDS_UP_TO = 2000


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


def _related_filter(ids: list[int], selection: QuerySet, field: str) -> dict:
    """Filter for rows related to the selected records: by id list when few, else by joining the selection."""
    if len(ids) <= _LIST_IDS_UP_TO:
        return {f"{field}__in": ids}
    return {f"{field}__in": selection.values("pk")}


RESIDENT_COLUMNS = (
    "id", "birth_date", "min_monthly_wage", "max_commute_km", "accepts_home_based", "accepts_outside_county",
    "work_time", "care_duties", "employment_status", "household_id", "household__poverty_status",
    "household__site__latitude", "household__site__longitude", "household__site__code",
    "household__site__coordinates_source", "education",
)


def resident_profiles(residents: QuerySet[Resident], *, today: dt.date) -> list[ResidentProfile]:
    """The engine's profiles of the residents, in a handful of queries whatever their number."""
    rows = list(residents.order_by().values_list(*RESIDENT_COLUMNS))
    ids = [row[0] for row in rows]
    if not ids:
        return []
    selection = Resident.objects.filter(pk__in=residents.order_by().values("pk"))
    by_resident = _related_filter(ids, selection, "resident_id")
    skills: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for resident_id, skill_id, level in ResidentSkill.objects.filter(**by_resident).order_by(
            "resident_id", "skill_id").values_list("resident_id", "skill_id", "level"):
        skills[resident_id].append((skill_id, level))
    wanted: dict[int, list[str]] = defaultdict(list)
    through = Resident.wanted_occupations.through
    for resident_id, code in through.objects.filter(**by_resident).order_by("resident_id", "id").values_list(
            "resident_id", "occupation__code"):
        wanted[resident_id].append(code)
    live = dict(Recommendation.objects.filter(state__in=Recommendation.OPEN_STATES, **by_resident).order_by()
                .values("resident_id").annotate(n=Count("id")).values_list("resident_id", "n"))
    household_ids = sorted({row[9] for row in rows})
    working = Resident.objects.filter(employment_status__in=WORKING_STATUSES)
    if len(household_ids) <= _LIST_IDS_UP_TO:
        working = working.filter(household_id__in=household_ids)
    else:
        working = working.filter(household_id__in=selection.values("household_id"))
    with_work = set(working.order_by().values_list("household_id", flat=True).distinct())
    default_commute = settings.MATCHING["DEFAULT_MAX_COMMUTE_KM"]
    seeking, none_of_care = Resident.EmploymentStatus.SEEKING, Resident.CareDuties.NONE
    estimated, trusted = CoordinatesSource.ESTIMATED, ResidentProfile.trusted
    profiles = []
    for (rid, born, min_wage, max_commute, home_ok, outside_ok, work_time, care, status, household, poverty,
         lat, lon, site_code, source, education) in rows:
        located = lat is not None and lon is not None
        wanted_codes = wanted.get(rid)
        profiles.append(trusted(
            id=rid,
            age=_age(born, today) if born else None,
            skills=tuple(skills[rid]) if rid in skills else (),
            wanted_occupations=tuple(dict.fromkeys(wanted_codes)) if wanted_codes else (),
            min_monthly_wage=float(min_wage) if min_wage is not None else None,
            max_commute_km=float(max_commute) if max_commute is not None else default_commute,
            lat=lat if located else None,
            lon=lon if located else None,
            county_code=(site_code or "")[:6] or None,
            accepts_home_based=home_ok,
            accepts_outside_county=outside_ok,
            work_time=work_time,
            has_care_duties=care != none_of_care,
            seeking_work=status == seeking,
            zero_employment_household=household not in with_work,
            poverty_status=poverty,
            coordinates_estimated=located and source == estimated,
            live_recommendations=live.get(rid, 0),
            education=EDUCATION_LEVEL.get(education),
        ))
    return profiles


JOB_COLUMNS = (
    "id", "status", "valid_until", "openings", "filled", "occupation__code", "wage_min", "wage_max",
    "wage_unit", "work_mode", "work_time", "hours_per_day", "age_min", "age_max", "title",
    "place__latitude", "place__longitude", "place__code", "piece_monthly_estimate", "place__coordinates_source",
    "employer_id",
)


def job_profiles(postings: QuerySet[JobPosting]) -> list[JobProfile]:
    """The engine's profiles of the postings, in a handful of queries whatever their number."""
    rows = list(postings.order_by().values_list(*JOB_COLUMNS))
    ids = [row[0] for row in rows]
    if not ids:
        return []
    selection = JobPosting.objects.filter(pk__in=postings.order_by().values("pk"))
    by_posting = _related_filter(ids, selection, "posting_id")
    requirements: dict[int, list[SkillRequirement]] = defaultdict(list)
    required_kind = JobSkill.Kind.REQUIRED
    for posting_id, skill_id, level, kind, mandatory in JobSkill.objects.filter(**by_posting).order_by(
            "posting_id", "id").values_list("posting_id", "skill_id", "level", "kind", "mandatory"):
        requirements[posting_id].append(
            SkillRequirement(skill_id=skill_id, level=level, required=kind == required_kind, mandatory=mandatory)
        )
    live = dict(Recommendation.objects.filter(state__in=Recommendation.OPEN_STATES, **by_posting).order_by()
                .values("posting_id").annotate(n=Count("id")).values_list("posting_id", "n"))
    estimated, trusted = CoordinatesSource.ESTIMATED, JobProfile.trusted
    profiles = []
    for (pid, status, valid_until, openings, filled, occupation, wage_min, wage_max, wage_unit, work_mode,
         work_time, hours, age_min, age_max, title, lat, lon, place_code, piece_estimate, source, employer) in rows:
        located = lat is not None and lon is not None
        profiles.append(trusted(
            id=pid,
            status=status,
            valid_until=valid_until,
            openings_remaining=max(openings - filled, 0),
            occupation_code=(occupation or "").strip() or None,
            skills=tuple(requirements[pid]) if pid in requirements else (),
            wage_min=float(wage_min) if wage_min is not None else None,
            wage_max=float(wage_max) if wage_max is not None else None,
            wage_unit=wage_unit,
            work_mode=work_mode,
            lat=lat if located else None,
            lon=lon if located else None,
            county_code=(place_code or "")[:6] or None,
            work_time=work_time,
            hours_per_day=float(hours) if hours is not None else None,
            age_min=age_min,
            age_max=age_max,
            title=title,
            piece_monthly_estimate=float(piece_estimate) if piece_estimate is not None else None,
            coordinates_estimated=located and source == estimated,
            live_recommendations=live.get(pid, 0),
            employer_id=employer,
        ))
    return profiles


def posting_monthly_estimate(posting: JobPosting) -> float | None:
    """The monthly figure matching uses for a posting's wage (its day, hour or piece rate converted), or None."""
    from types import SimpleNamespace

    from .engine import monthly_wage_estimate

    def number(value):
        return None if value is None else float(value)

    wage = SimpleNamespace(wage_unit=posting.wage_unit, wage_min=number(posting.wage_min),
                           wage_max=number(posting.wage_max), hours_per_day=number(posting.hours_per_day),
                           piece_monthly_estimate=number(posting.piece_monthly_estimate))
    return monthly_wage_estimate(wage, engine_config())
