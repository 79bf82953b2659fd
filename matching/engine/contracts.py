"""Frozen dataclasses and stable codes that go into and come out of the ranking engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Literal

PostingStatus = Literal["draft", "open", "filled", "closed"]
WageUnit = Literal["month", "day", "hour", "piece"]
WorkMode = Literal["on_site", "home_based"]
ResidentWorkTime = Literal["full", "part", "any"]
JobWorkTime = Literal["full", "part", "flexible"]
PovertyStatus = Literal["none", "lifted", "monitored"]

POSTING_STATUSES: tuple[str, ...] = ("draft", "open", "filled", "closed")
WAGE_UNITS: tuple[str, ...] = ("month", "day", "hour", "piece")
WORK_MODES: tuple[str, ...] = ("on_site", "home_based")
RESIDENT_WORK_TIMES: tuple[str, ...] = ("full", "part", "any")
JOB_WORK_TIMES: tuple[str, ...] = ("full", "part", "flexible")
POVERTY_STATUSES: tuple[str, ...] = ("none", "lifted", "monitored")

MIN_SKILL_LEVEL = 1
MAX_SKILL_LEVEL = 5

SkillLevels = tuple[tuple[int, int], ...]


def _skill_levels(value: Mapping[int, int] | Iterable[tuple[int, int]], owner: str) -> SkillLevels:
    """Normalise skill→level pairs to a sorted tuple, rejecting duplicates and bad levels."""
    pairs = list(value.items()) if isinstance(value, Mapping) else [tuple(p) for p in value]
    seen: set[int] = set()
    for skill_id, level in pairs:
        if skill_id in seen:
            raise ValueError(f"{owner}: skill {skill_id} listed twice")
        seen.add(skill_id)
        if not MIN_SKILL_LEVEL <= level <= MAX_SKILL_LEVEL:
            raise ValueError(f"{owner}: skill {skill_id} has level {level}, expected 1..5")
    return tuple(sorted((int(s), int(lv)) for s, lv in pairs))


def _code(value: str | None) -> str | None:
    """Strip a classification or division code; blank means unknown."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    """Strip codes, drop blanks and repeats, keep the order given."""
    if isinstance(values, str):
        values = (values,)
    return tuple(dict.fromkeys(c for c in (_code(v) for v in values) if c is not None))


def _trusted(cls, values: dict):
    names = _field_names.get(cls)
    if names is None:
        names = _field_names[cls] = frozenset(f.name for f in fields(cls))
    if values.keys() != names:
        raise TypeError(f"{cls.__name__}.trusted needs exactly its fields: {sorted(names ^ values.keys())}")
    profile = object.__new__(cls)
    profile.__dict__.update(values)
    return profile


_field_names: dict[type, frozenset[str]] = {}


def _choice(value: str, allowed: tuple[str, ...], owner: str, name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{owner}: {name}={value!r}, expected one of {allowed}")


@dataclass(frozen=True, kw_only=True)
class SkillRequirement:
    """One skill a posting asks for: required (counted in the fit) or preferred (a bonus).

    `mandatory` turns a missing or under-level required skill into a hard exclusion.
    """

    skill_id: int
    level: int = 1
    required: bool = True
    mandatory: bool = False

    def __post_init__(self) -> None:
        if not MIN_SKILL_LEVEL <= self.level <= MAX_SKILL_LEVEL:
            raise ValueError(f"skill {self.skill_id}: level {self.level}, expected 1..5")
        if self.mandatory and not self.required:
            raise ValueError(f"skill {self.skill_id}: a preferred skill cannot be mandatory")


@dataclass(frozen=True, kw_only=True)
class ResidentProfile:
    """What the engine knows about one resident. `skills` accepts a mapping skill_id→level (1..5)."""

    id: int
    age: int | None = None
    skills: SkillLevels = ()
    wanted_occupations: tuple[str, ...] = ()
    min_monthly_wage: float | None = None
    max_commute_km: float | None = None
    lat: float | None = None
    lon: float | None = None
    county_code: str | None = None
    accepts_home_based: bool = True
    accepts_outside_county: bool = False
    work_time: ResidentWorkTime = "any"
    has_care_duties: bool = False
    seeking_work: bool = True
    zero_employment_household: bool = False
    poverty_status: PovertyStatus = "none"
    # The home's coordinates are estimated (a village placed near its town), not surveyed.
    coordinates_estimated: bool = False
    # Recommendations of this resident still open (recommended, contacted, interviewing): between
    # residents who score the same, the one with fewer chances already in play goes first.
    live_recommendations: int = 0
    # Schooling as an ordinal, 0 none … 4 college or above (None: unknown); learned models read it.
    education: int | None = None

    def __post_init__(self) -> None:
        owner = f"resident {self.id}"
        object.__setattr__(self, "skills", _skill_levels(self.skills, owner))
        object.__setattr__(self, "wanted_occupations", _codes(self.wanted_occupations))
        object.__setattr__(self, "county_code", _code(self.county_code))
        _choice(self.work_time, RESIDENT_WORK_TIMES, owner, "work_time")
        _choice(self.poverty_status, POVERTY_STATUSES, owner, "poverty_status")
        if (self.lat is None) != (self.lon is None):
            raise ValueError(f"{owner}: lat and lon must be given together")
        if self.live_recommendations < 0:
            raise ValueError(f"{owner}: live_recommendations must be ≥ 0")

    @classmethod
    def trusted(cls, **fields) -> ResidentProfile:
        """A profile from values already valid and normalised (skills a sorted tuple of (id, level)
        pairs, distinct stripped codes), without __post_init__: for loaders that build tens of
        thousands from the database. Every field must be given; a test checks the result equals the
        validating constructor's."""
        return _trusted(cls, fields)

    @property
    def skill_levels(self) -> dict[int, int]:
        return dict(self.skills)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, kw_only=True)
class JobProfile:
    """What the engine knows about one job posting."""

    id: int
    status: PostingStatus = "open"
    valid_until: date | None = None
    openings_remaining: int = 1
    occupation_code: str | None = None
    skills: tuple[SkillRequirement, ...] = ()
    wage_min: float | None = None
    wage_max: float | None = None
    wage_unit: WageUnit = "month"
    work_mode: WorkMode = "on_site"
    lat: float | None = None
    lon: float | None = None
    county_code: str | None = None
    work_time: JobWorkTime = "full"
    hours_per_day: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    title: str = ""
    # Piece rates only: what a worker typically earns a month at this rate, as the poster states it.
    piece_monthly_estimate: float | None = None
    # The workplace's coordinates are estimated (a village placed near its town), not surveyed.
    coordinates_estimated: bool = False
    # Recommendations to this posting still open: between postings that score the same, the one with
    # fewer recommendations per remaining opening goes first, then the sooner deadline.
    live_recommendations: int = 0
    # The employer (learned models read its own record of hiring); None: not known.
    employer_id: int | None = None

    def __post_init__(self) -> None:
        owner = f"posting {self.id}"
        object.__setattr__(self, "skills", tuple(self.skills))
        object.__setattr__(self, "occupation_code", _code(self.occupation_code))
        object.__setattr__(self, "county_code", _code(self.county_code))
        ids = [req.skill_id for req in self.skills]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{owner}: a skill is listed twice")
        _choice(self.status, POSTING_STATUSES, owner, "status")
        _choice(self.wage_unit, WAGE_UNITS, owner, "wage_unit")
        _choice(self.work_mode, WORK_MODES, owner, "work_mode")
        _choice(self.work_time, JOB_WORK_TIMES, owner, "work_time")
        if (self.lat is None) != (self.lon is None):
            raise ValueError(f"{owner}: lat and lon must be given together")
        if self.piece_monthly_estimate is not None and not self.piece_monthly_estimate >= 0:
            raise ValueError(f"{owner}: piece_monthly_estimate must be ≥ 0")
        if self.live_recommendations < 0:
            raise ValueError(f"{owner}: live_recommendations must be ≥ 0")

    @classmethod
    def trusted(cls, **fields) -> JobProfile:
        """A profile from values already valid and normalised, without __post_init__ (see
        ResidentProfile.trusted)."""
        return _trusted(cls, fields)

    @property
    def is_home_based(self) -> bool:
        return self.work_mode == "home_based"

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def required_skills(self) -> tuple[SkillRequirement, ...]:
        return tuple(req for req in self.skills if req.required)

    @property
    def preferred_skills(self) -> tuple[SkillRequirement, ...]:
        return tuple(req for req in self.skills if not req.required)


@dataclass(frozen=True)
class SkillCatalog:
    """Every skill the engine may meet, with its group (same group = related, earns partial credit).

    Built from a mapping skill_id→group_id (None: the skill has no relatives). Every skill id
    used by a profile must be in the catalog.
    """

    groups: tuple[tuple[int, int | None], ...] = ()

    def __post_init__(self) -> None:
        pairs = self.groups.items() if isinstance(self.groups, Mapping) else self.groups
        object.__setattr__(self, "groups", tuple(sorted((int(s), g) for s, g in pairs)))

    @classmethod
    def from_mapping(cls, group_of: Mapping[int, int | None]) -> SkillCatalog:
        return cls(tuple(group_of.items()))

    @cached_property
    def group_of(self) -> dict[int, int | None]:
        return dict(self.groups)

    @cached_property
    def skill_ids(self) -> tuple[int, ...]:
        return tuple(skill_id for skill_id, _ in self.groups)

    def related(self, a: int, b: int) -> bool:
        """Two different skills are related when they share a (non-null) group."""
        group = self.group_of.get(a)
        return a != b and group is not None and group == self.group_of.get(b)


@dataclass(frozen=True, kw_only=True)
class Course:
    """A training course and the (skill_id, level) pairs completing it grants."""

    id: int
    name: str = ""
    skills: SkillLevels = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", _skill_levels(self.skills, f"course {self.id}"))


@dataclass(frozen=True)
class CourseCatalog:
    """The courses results may point to for missing skills."""

    courses: tuple[Course, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "courses", tuple(sorted(self.courses, key=lambda c: c.id)))

    @cached_property
    def _teaching(self) -> dict[int, tuple[tuple[int, int], ...]]:
        teaching: dict[int, list[tuple[int, int]]] = {}
        for course in self.courses:
            for skill_id, level in course.skills:
                teaching.setdefault(skill_id, []).append((course.id, level))
        return {skill_id: tuple(rows) for skill_id, rows in teaching.items()}

    def courses_raising(self, skill_id: int, above_level: int) -> tuple[int, ...]:
        """Ids of courses that teach `skill_id` to a level above `above_level` (0 = not held)."""
        return tuple(cid for cid, level in self._teaching.get(skill_id, ()) if level > above_level)


class Component(StrEnum):
    """Soft score components, in the order they appear in results."""

    SKILLS = "skills"
    OCCUPATION = "occupation"
    WAGE = "wage"
    COMMUTE = "commute"
    HOURS = "hours"
    PRIORITY = "priority"


class ExclusionReason(StrEnum):
    """Stable codes of the hard rules; an Exclusion lists them in this order."""

    POSTING_NOT_OPEN = "posting_not_open"
    POSTING_EXPIRED = "posting_expired"
    POSTING_FULL = "posting_full"
    NOT_SEEKING_WORK = "not_seeking_work"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    TOO_FAR = "too_far"
    OUTSIDE_COUNTY_NOT_ACCEPTED = "outside_county_not_accepted"
    HOME_BASED_NOT_ACCEPTED = "home_based_not_accepted"
    MANDATORY_SKILL_MISSING = "mandatory_skill_missing"


class MatchNote(StrEnum):
    """Stable codes for facts worth showing next to a result; the Django side translates them."""

    AGE_UNKNOWN = "age_unknown_age_rule_not_applied"
    NO_COORDINATES = "no_coordinates_distance_not_applied"
    DISTANCE_ESTIMATED = "distance_estimated_from_town"
    COUNTY_UNKNOWN = "county_unknown_county_rule_not_applied"
    HOME_BASED = "home_based_no_commute"
    NO_REQUIRED_SKILLS = "posting_has_no_required_skills_neutral"
    RELATED_SKILL_CREDIT = "related_skill_partial_credit"
    NO_WANTED_OCCUPATIONS = "no_wanted_occupations_neutral"
    POSTING_HAS_NO_OCCUPATION = "posting_has_no_occupation_neutral"
    NO_MINIMUM_WAGE = "no_minimum_wage_neutral"
    POSTING_HAS_NO_WAGE = "posting_has_no_wage_neutral"
    WAGE_CONVERTED = "wage_converted_to_monthly_estimate"
    PIECE_WAGE_POSTING_ESTIMATE = "piece_wage_monthly_estimate_from_posting"
    PIECE_WAGE_NO_ESTIMATE = "piece_wage_no_monthly_estimate_neutral"
    WAGE_BELOW_MINIMUM = "wage_below_minimum"
    CARE_DUTIES_FULL_TIME_ON_SITE = "care_duties_full_time_on_site"
    PRIORITY_ZERO_EMPLOYMENT = "priority_zero_employment_household"
    PRIORITY_MONITORED = "priority_monitored_household"
    PRIORITY_LIFTED = "priority_lifted_household"


@dataclass(frozen=True, kw_only=True)
class ComponentScore:
    """One soft component of a score: value in [0, 1], its weight, and weight·value / Σweights."""

    name: Component
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True, kw_only=True)
class MatchResult:
    """An eligible resident–posting pair with its score in [0, 1] and the reasons behind it.

    Skill ids are sorted. `missing_skills`: required skills not held or held below the level
    asked; `related_skills`: missing (required or preferred) skills for which the resident holds
    another skill of the same group; `courses_for_missing`: courses teaching a missing required
    skill above the level held. `distance_km` is 0 for home-based work and None without
    coordinates; `monthly_wage_estimate` is None when the posting gives no wage, or a piece rate
    with no monthly estimate (see wages.monthly_wage_estimate).
    """

    resident_id: int
    job_id: int
    score: float
    components: tuple[ComponentScore, ...]
    matched_skills: tuple[int, ...] = ()
    missing_skills: tuple[int, ...] = ()
    missing_preferred: tuple[int, ...] = ()
    related_skills: tuple[int, ...] = ()
    courses_for_missing: tuple[int, ...] = ()
    distance_km: float | None = None
    monthly_wage_estimate: float | None = None
    notes: tuple[MatchNote, ...] = ()
    # With a learned model: the rules' own score, and the model's probabilities that such a
    # recommendation ends in a hire and that a hire lasts 90 days (`score` then combines the three).
    rule_score: float | None = None
    hire_probability: float | None = None
    retention_probability: float | None = None

    def component(self, name: Component | str) -> ComponentScore:
        return next(c for c in self.components if c.name == name)


@dataclass(frozen=True, kw_only=True)
class Exclusion:
    """A pair that a hard rule rules out, with every rule that applies."""

    resident_id: int
    job_id: int
    reasons: tuple[ExclusionReason, ...]
    notes: tuple[MatchNote, ...] = field(default=())
