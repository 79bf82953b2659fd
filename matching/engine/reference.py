"""Plain per-pair implementation of the engine's semantics: the baseline for tests and benchmarks.

Written independently of the vectorised code (no numpy, no shared helpers beyond the contracts
and the config) so that agreement between the two means something.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from datetime import date

from .config import DEFAULT_CONFIG, RANK_SCALE, EngineConfig
from .contracts import (
    Component,
    ComponentScore,
    CourseCatalog,
    Exclusion,
    ExclusionReason,
    JobProfile,
    MatchNote,
    MatchResult,
    ResidentProfile,
    SkillCatalog,
)

EARTH_RADIUS_KM = 6371.0088


def distance_km(resident: ResidentProfile, job: JobProfile) -> float | None:
    """0 for home-based work, haversine km when both sides have coordinates, else None."""
    if job.work_mode == "home_based":
        return 0.0
    if resident.lat is None or resident.lon is None or job.lat is None or job.lon is None:
        return None
    phi1, phi2 = math.radians(resident.lat), math.radians(job.lat)
    d_phi = phi2 - phi1
    d_lambda = math.radians(job.lon) - math.radians(resident.lon)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def monthly_wage(job: JobProfile, config: EngineConfig) -> float | None:
    if job.wage_unit == "piece":
        if job.piece_monthly_estimate is not None:
            return float(job.piece_monthly_estimate)
        if config.pieces_per_month is None:
            return None
    if job.wage_min is not None and job.wage_max is not None:
        wage = (job.wage_min + job.wage_max) / 2
    elif job.wage_min is not None:
        wage = float(job.wage_min)
    elif job.wage_max is not None:
        wage = float(job.wage_max)
    else:
        return None
    days = config.working_days_per_month
    if job.wage_unit == "day":
        return wage * days
    if job.wage_unit == "hour":
        hours = job.hours_per_day if job.hours_per_day is not None else config.default_hours_per_day
        return wage * hours * days
    if job.wage_unit == "piece":
        return wage * config.pieces_per_month
    return wage


def distance_estimated(resident: ResidentProfile, job: JobProfile) -> bool:
    """An on-site distance that rests on coordinates estimated from a town."""
    return (
        job.work_mode != "home_based"
        and distance_km(resident, job) is not None
        and (resident.coordinates_estimated or job.coordinates_estimated)
    )


def exclusion_reasons(
    resident: ResidentProfile, job: JobProfile, *, today: date, config: EngineConfig = DEFAULT_CONFIG
) -> list[ExclusionReason]:
    r = ExclusionReason
    reasons = []
    if job.status != "open":
        reasons.append(r.POSTING_NOT_OPEN)
    if job.valid_until is not None and job.valid_until < today:
        reasons.append(r.POSTING_EXPIRED)
    if job.openings_remaining <= 0:
        reasons.append(r.POSTING_FULL)
    if not resident.seeking_work:
        reasons.append(r.NOT_SEEKING_WORK)
    if resident.age is not None and job.age_min is not None and resident.age < job.age_min:
        reasons.append(r.TOO_YOUNG)
    if resident.age is not None and job.age_max is not None and resident.age > job.age_max:
        reasons.append(r.TOO_OLD)
    distance = distance_km(resident, job)
    if distance is not None and resident.max_commute_km is not None:
        margin = config.estimated_distance_margin_km if distance_estimated(resident, job) else 0.0
        if distance > resident.max_commute_km + margin:
            reasons.append(r.TOO_FAR)
    if (
        job.work_mode != "home_based"
        and not resident.accepts_outside_county
        and resident.county_code is not None
        and job.county_code is not None
        and resident.county_code != job.county_code
    ):
        reasons.append(r.OUTSIDE_COUNTY_NOT_ACCEPTED)
    if job.work_mode == "home_based" and not resident.accepts_home_based:
        reasons.append(r.HOME_BASED_NOT_ACCEPTED)
    held = dict(resident.skills)
    for req in job.skills:
        if req.required and req.mandatory and held.get(req.skill_id, 0) < req.level:
            reasons.append(r.MANDATORY_SKILL_MISSING)
            break
    return reasons


def skill_credit(
    held: dict[int, int], skill_id: int, level: int, catalog: SkillCatalog, config: EngineConfig
) -> float:
    best = 0.0
    group = catalog.group_of[skill_id]
    for other, other_level in held.items():
        if other == skill_id:
            share = 1.0
        elif group is not None and catalog.group_of[other] == group:
            share = config.related_skill_credit
        else:
            continue
        best = max(best, share * min(1.0, other_level / level))
    return best


def skill_value(
    resident: ResidentProfile, job: JobProfile, catalog: SkillCatalog, config: EngineConfig
) -> float:
    held = dict(resident.skills)
    required = [req for req in job.skills if req.required]
    preferred = [req for req in job.skills if not req.required]
    if not required and not preferred:
        return config.neutral
    if required:
        required_fit = sum(skill_credit(held, q.skill_id, q.level, catalog, config) for q in required) / len(
            required
        )
    else:
        required_fit = config.neutral
    preferred_fit = 0.0
    if preferred:
        preferred_fit = sum(
            skill_credit(held, q.skill_id, q.level, catalog, config) for q in preferred
        ) / len(preferred)
    return min(1.0, required_fit + config.preferred_bonus * preferred_fit)


def occupation_value(resident: ResidentProfile, job: JobProfile, config: EngineConfig) -> float:
    if not resident.wanted_occupations or job.occupation_code is None:
        return config.neutral
    by_shared = {
        0: 0.0,
        1: config.occupation_same_major,
        2: config.occupation_same_middle,
        3: config.occupation_same_minor,
    }
    best = 0.0
    job_segments = job.occupation_code.split("-")
    for wanted in resident.wanted_occupations:
        if wanted == job.occupation_code:
            return 1.0
        shared = 0
        for a, b in zip(wanted.split("-"), job_segments, strict=False):
            if a != b:
                break
            shared += 1
        best = max(best, by_shared[min(shared, 3)])
    return best


def wage_value(resident: ResidentProfile, job: JobProfile, config: EngineConfig) -> float:
    estimate = monthly_wage(job, config)
    minimum = resident.min_monthly_wage
    if estimate is None or minimum is None:
        return config.neutral
    if estimate >= minimum or minimum <= 0:
        return 1.0
    return math.exp(-((minimum - estimate) / minimum) / config.wage_shortfall_scale)


def commute_value(resident: ResidentProfile, job: JobProfile, config: EngineConfig) -> float:
    distance = distance_km(resident, job)
    if distance is None:
        return config.neutral
    fit = math.exp(-distance / config.commute_scale_km)
    if distance_estimated(resident, job):
        return config.neutral + config.estimated_distance_share * (fit - config.neutral)
    return fit


def hours_value(resident: ResidentProfile, job: JobProfile, config: EngineConfig) -> float:
    fit = dict(((r, j), v) for r, j, v in config.work_time_fit)[(resident.work_time, job.work_time)]
    if not resident.has_care_duties:
        return fit
    if job.work_mode == "home_based":
        return fit * config.care_fit_home_based
    if job.work_time in ("part", "flexible"):
        return fit * config.care_fit_part_time
    return fit * config.care_fit_full_time


def priority_value(resident: ResidentProfile, config: EngineConfig) -> float:
    value = 0.0
    if resident.zero_employment_household:
        value = max(value, config.priority_zero_employment)
    if resident.poverty_status == "monitored":
        value = max(value, config.priority_monitored)
    elif resident.poverty_status == "lifted":
        value = max(value, config.priority_lifted)
    return value


def component_values(
    resident: ResidentProfile, job: JobProfile, catalog: SkillCatalog, config: EngineConfig
) -> dict[Component, float]:
    return {
        Component.SKILLS: skill_value(resident, job, catalog, config),
        Component.OCCUPATION: occupation_value(resident, job, config),
        Component.WAGE: wage_value(resident, job, config),
        Component.COMMUTE: commute_value(resident, job, config),
        Component.HOURS: hours_value(resident, job, config),
        Component.PRIORITY: priority_value(resident, config),
    }


def score_pair(
    resident: ResidentProfile,
    job: JobProfile,
    *,
    today: date,
    catalog: SkillCatalog,
    config: EngineConfig = DEFAULT_CONFIG,
) -> float | None:
    """The pair's score, or None when a hard rule excludes it."""
    if exclusion_reasons(resident, job, today=today, config=config):
        return None
    values = component_values(resident, job, catalog, config)
    weights = config.weights
    total = sum(weights.values())
    return sum(weights[name] * values[name] / total for name in Component)


def _notes(
    resident: ResidentProfile, job: JobProfile, catalog: SkillCatalog, config: EngineConfig, related: bool
) -> tuple[MatchNote, ...]:
    n = MatchNote
    notes = []
    on_site = job.work_mode == "on_site"
    estimate = monthly_wage(job, config)
    if resident.age is None and (job.age_min is not None or job.age_max is not None):
        notes.append(n.AGE_UNKNOWN)
    if on_site and (resident.lat is None or job.lat is None):
        notes.append(n.NO_COORDINATES)
    if distance_estimated(resident, job):
        notes.append(n.DISTANCE_ESTIMATED)
    if (
        on_site
        and not resident.accepts_outside_county
        and (resident.county_code is None or job.county_code is None)
    ):
        notes.append(n.COUNTY_UNKNOWN)
    if not on_site:
        notes.append(n.HOME_BASED)
    if not any(req.required for req in job.skills):
        notes.append(n.NO_REQUIRED_SKILLS)
    if related:
        notes.append(n.RELATED_SKILL_CREDIT)
    if not resident.wanted_occupations:
        notes.append(n.NO_WANTED_OCCUPATIONS)
    if job.occupation_code is None:
        notes.append(n.POSTING_HAS_NO_OCCUPATION)
    if resident.min_monthly_wage is None:
        notes.append(n.NO_MINIMUM_WAGE)
    if estimate is None:
        if job.wage_unit == "piece" and (job.wage_min is not None or job.wage_max is not None):
            notes.append(n.PIECE_WAGE_NO_ESTIMATE)
        else:
            notes.append(n.POSTING_HAS_NO_WAGE)
    else:
        if job.wage_unit == "piece" and job.piece_monthly_estimate is not None:
            notes.append(n.PIECE_WAGE_POSTING_ESTIMATE)
        elif job.wage_unit != "month":
            notes.append(n.WAGE_CONVERTED)
        if resident.min_monthly_wage is not None and estimate < resident.min_monthly_wage:
            notes.append(n.WAGE_BELOW_MINIMUM)
    if resident.has_care_duties and on_site and job.work_time == "full":
        notes.append(n.CARE_DUTIES_FULL_TIME_ON_SITE)
    if resident.zero_employment_household:
        notes.append(n.PRIORITY_ZERO_EMPLOYMENT)
    if resident.poverty_status == "monitored":
        notes.append(n.PRIORITY_MONITORED)
    if resident.poverty_status == "lifted":
        notes.append(n.PRIORITY_LIFTED)
    order = list(MatchNote)
    return tuple(sorted(notes, key=order.index))


def explain_pair(
    resident: ResidentProfile,
    job: JobProfile,
    *,
    today: date,
    catalog: SkillCatalog,
    courses: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
) -> MatchResult | Exclusion:
    held = dict(resident.skills)
    matched, missing, missing_preferred, related, course_ids = [], [], [], [], set()
    for req in job.skills:
        have = held.get(req.skill_id, 0)
        if have >= req.level:
            if req.required:
                matched.append(req.skill_id)
            continue
        (missing if req.required else missing_preferred).append(req.skill_id)
        group = catalog.group_of[req.skill_id]
        if group is not None and any(t != req.skill_id and catalog.group_of[t] == group for t in held):
            related.append(req.skill_id)
        if req.required and courses is not None:
            for course in courses.courses:
                if any(s == req.skill_id and lv > have for s, lv in course.skills):
                    course_ids.add(course.id)
    notes = _notes(resident, job, catalog, config, bool(related))
    reasons = exclusion_reasons(resident, job, today=today, config=config)
    if reasons:
        return Exclusion(resident_id=resident.id, job_id=job.id, reasons=tuple(reasons), notes=notes)
    values = component_values(resident, job, catalog, config)
    weights = config.weights
    total = sum(weights.values())
    components = tuple(
        ComponentScore(
            name=name,
            value=values[name],
            weight=weights[name],
            contribution=weights[name] * values[name] / total,
        )
        for name in Component
    )
    return MatchResult(
        resident_id=resident.id,
        job_id=job.id,
        score=sum(c.contribution for c in components),
        components=components,
        matched_skills=tuple(sorted(matched)),
        missing_skills=tuple(sorted(missing)),
        missing_preferred=tuple(sorted(missing_preferred)),
        related_skills=tuple(sorted(related)),
        courses_for_missing=tuple(sorted(course_ids)),
        distance_km=distance_km(resident, job),
        monthly_wage_estimate=monthly_wage(job, config),
        notes=notes,
    )


def _job_rank_key(score: float, job: JobProfile) -> tuple:
    """Best first: score, then fewer open recommendations per remaining opening, the sooner
    deadline (open-ended last), the lower id."""
    load = job.live_recommendations / max(job.openings_remaining, 1)
    deadline = job.valid_until.toordinal() if job.valid_until is not None else math.inf
    return (-round(score * RANK_SCALE), load, deadline, job.id)


def _resident_rank_key(score: float, resident: ResidentProfile) -> tuple:
    """Best first: score, then fewer open recommendations, the lower id."""
    return (-round(score * RANK_SCALE), resident.live_recommendations, resident.id)


def rank_jobs_for_resident(
    resident: ResidentProfile,
    jobs: Iterable[JobProfile],
    *,
    k: int,
    today: date,
    catalog: SkillCatalog,
    courses: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
) -> list[MatchResult]:
    """Score every posting for the resident and explain the k best (ties: see _job_rank_key)."""
    scored = []
    for job in jobs:
        score = score_pair(resident, job, today=today, catalog=catalog, config=config)
        if score is not None:
            scored.append((_job_rank_key(score, job), job))
    best = heapq.nsmallest(k, scored, key=lambda pair: pair[0])
    return [
        explain_pair(resident, job, today=today, catalog=catalog, courses=courses, config=config)
        for _, job in best
    ]


def rank_residents_for_job(
    job: JobProfile,
    residents: Iterable[ResidentProfile],
    *,
    k: int,
    today: date,
    catalog: SkillCatalog,
    courses: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
) -> list[MatchResult]:
    """Score every resident for the posting and explain the k best (ties: see _resident_rank_key)."""
    scored = []
    for resident in residents:
        score = score_pair(resident, job, today=today, catalog=catalog, config=config)
        if score is not None:
            scored.append((_resident_rank_key(score, resident), resident))
    best = heapq.nsmallest(k, scored, key=lambda pair: pair[0])
    return [
        explain_pair(resident, job, today=today, catalog=catalog, courses=courses, config=config)
        for _, resident in best
    ]


def rank_all(
    residents: Iterable[ResidentProfile],
    jobs: Iterable[JobProfile],
    *,
    k: int,
    today: date,
    catalog: SkillCatalog,
    courses: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
) -> Iterator[tuple[int, list[MatchResult]]]:
    """(resident_id, k best postings) for every resident in id order."""
    jobs = list(jobs)
    for resident in sorted(residents, key=lambda r: r.id):
        yield (
            resident.id,
            rank_jobs_for_resident(
                resident, jobs, k=k, today=today, catalog=catalog, courses=courses, config=config
            ),
        )


# --- Learned scores, pair by pair ----------------------------------------------------------------

def learned_features(
    resident: ResidentProfile, job: JobProfile, *, catalog: SkillCatalog, config: EngineConfig,
    employer_rates: dict[int, float], prior_rate: float,
) -> dict[str, float]:
    """The features of one pair, by name, written out plainly (the engine's learned.py does it by blocks)."""
    values = component_values(resident, job, catalog, config)
    weights = config.weights
    total = sum(weights.values())
    features = {f"component_{name.value}": values[name] for name in Component}
    features["rule_score"] = sum(weights[name] * values[name] / total for name in Component)
    distance = distance_km(resident, job)
    for name, low, high in (("distance_0_2", 0, 2), ("distance_2_5", 2, 5), ("distance_5_10", 5, 10),
                            ("distance_10_20", 10, 20), ("distance_20_plus", 20, math.inf)):
        features[name] = 1.0 if distance is not None and low <= distance < high else 0.0
    features["distance_unknown"] = 1.0 if distance is None else 0.0
    estimate = monthly_wage(job, config)
    if estimate is not None and resident.min_monthly_wage:
        features["wage_ratio"], features["wage_unknown"] = min(estimate / resident.min_monthly_wage, 2.0), 0.0
    else:
        features["wage_ratio"], features["wage_unknown"] = 1.0, 1.0
    age = resident.age
    for name, low, high in (("age_16_29", 0, 30), ("age_30_39", 30, 40), ("age_40_49", 40, 50),
                            ("age_50_plus", 50, math.inf)):
        features[name] = 1.0 if age is not None and low <= age < high else 0.0
    features["age_unknown"] = 1.0 if age is None else 0.0
    features["education"] = 2.0 if resident.education is None else float(resident.education)
    features["education_unknown"] = 1.0 if resident.education is None else 0.0
    features["care_duties"] = 1.0 if resident.has_care_duties else 0.0
    features["household_lifted"] = 1.0 if resident.poverty_status == "lifted" else 0.0
    features["household_monitored"] = 1.0 if resident.poverty_status == "monitored" else 0.0
    features["household_zero_employment"] = 1.0 if resident.zero_employment_household else 0.0
    features["home_based"] = 1.0 if job.work_mode == "home_based" else 0.0
    features["full_time"] = 1.0 if job.work_time == "full" else 0.0
    features["asks_no_skill"] = 0.0 if any(req.required for req in job.skills) else 1.0
    known = job.employer_id is not None and job.employer_id in employer_rates
    features["employer_hire_rate"] = employer_rates[job.employer_id] if known else prior_rate
    features["employer_known"] = 1.0 if known else 0.0
    major = job.occupation_code[0] if job.occupation_code else None
    for group in "12345678":
        features[f"occupation_major_{group}"] = 1.0 if major == group else 0.0
    features["occupation_unknown"] = 1.0 if job.occupation_code is None else 0.0
    return features


def _probability(head, features: dict[str, float], names) -> float:
    logit = float(head.intercept)
    for name, coef, mean, scale in zip(names, head.coef.tolist(), head.mean.tolist(), head.scale.tolist(),
                                       strict=True):
        logit += coef * (features[name] - mean) / scale
    return 1.0 / (1.0 + math.exp(-logit))


def learned_score(
    resident: ResidentProfile, job: JobProfile, model, *, catalog: SkillCatalog, config: EngineConfig,
    names,
) -> tuple[float, float, float | None, float]:
    """(rule score, p_hire, p_retention, expected-value score) of one pair under a LearnedModel."""
    employers = model.employers
    rates = dict(zip(employers.ids.tolist(), employers.rates.tolist(), strict=True))
    features = learned_features(resident, job, catalog=catalog, config=config, employer_rates=rates,
                                prior_rate=employers.prior)
    hire = _probability(model.hire, features, names)
    retention = _probability(model.retention, features, names) if model.retention is not None else None
    floor = 1e-6
    log_score = model.weight_rule * math.log(max(features["rule_score"], floor))
    log_score += model.weight_hire * math.log(max(hire, floor))
    if retention is not None and model.weight_retention:
        log_score += model.weight_retention * math.log(max(retention, floor))
    return features["rule_score"], hire, retention, min(math.exp(log_score), 1.0)
