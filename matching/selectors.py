"""Reads of the matching app: ranked matches for a resident, candidates for a posting, explanations,
and training sessions by their distance from a resident's home.

The engine ranks live from the records, so a completed course or a filled opening shows at once: the
indexes of open postings and of residents seeking work are kept per process for the versions they reflect
and patched when those move (indexes.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from jobs.models import JobPosting
from jobs.wages import monthly_estimate_text, wage_text
from residents.models import Resident
from taxonomy.models import Place
from training.models import TrainingSession

from .engine import (
    Exclusion,
    MatchNote,
    MatchResult,
    explain_pair,
    inspect_pair,
    rank_jobs_for_resident,
    rank_residents_for_job,
)
from .engine.geo import haversine_km
from .explain import exclusion_as_dict, exclusion_details, results_as_dicts
from .explain import for_resident as for_resident_detail
from .indexes import catalogs, open_posting_index, seeking_resident_index
from .learning.selectors import ActiveModel, active_model
from .models import AssignmentRun, FollowUp, Interest, Placement, Recommendation, RecommendationBatch
from .profiles import job_profiles, posting_monthly_estimate, resident_profiles

__all__ = ["open_posting_index"]  # re-exported: the services and tests read it from here




def _posting_summaries(ids: Iterable[int]) -> dict[int, dict]:
    postings = JobPosting.objects.filter(pk__in=list(ids)).select_related("employer", "place", "occupation")
    return {
        p.pk: {
            "id": p.pk,
            "title": p.title,
            "employer": p.employer.name,
            "is_poverty_workshop": p.employer.is_poverty_workshop,
            "occupation": p.occupation.name if p.occupation else None,
            "place": p.place.name if p.place else None,
            "work_mode": p.work_mode,
            "work_mode_display": p.get_work_mode_display(),
            "wage_min": p.wage_min,
            "wage_max": p.wage_max,
            "wage_unit": p.wage_unit,
            "wage_unit_display": p.get_wage_unit_display(),
            "piece_monthly_estimate": p.piece_monthly_estimate,
            "wage_display": wage_text(p.wage_min, p.wage_max, p.wage_unit),
            "monthly_estimate_display": ("" if p.wage_unit == "month"
                                         else monthly_estimate_text(posting_monthly_estimate(p))),
            "openings_remaining": p.openings_remaining,
            "valid_until": p.valid_until,
        }
        for p in postings
    }


def _resident_summaries(ids: Iterable[int]) -> dict[int, dict]:
    """What a candidate list may show: no ID number, no phone."""
    residents = Resident.objects.filter(pk__in=list(ids)).select_related("household", "household__site")
    today = timezone.localdate()
    return {
        r.pk: {
            "id": r.pk,
            "name": r.name,
            "sex": r.sex,
            "age": today.year - r.birth_date.year - ((today.month, today.day) < (r.birth_date.month, r.birth_date.day)),
            "household": r.household.number,
            "site": r.household.site.name,
            "poverty_status": r.household.poverty_status,
            "education": r.education,
            "consent_share_with_employers": r.consent_share_with_employers,
        }
        for r in residents
    }


def matches_for_resident(resident: Resident, *, limit: int = 20, today: dt.date | None = None) -> list[dict]:
    """The resident's best open postings, each with score, components, skills and courses."""
    today = today or timezone.localdate()
    index, catalog, courses, config = open_posting_index.get(today)
    profile = resident_profiles(Resident.objects.filter(pk=resident.pk), today=today)[0]
    active = active_model()
    results = rank_jobs_for_resident(profile, index, k=limit, today=today, courses=courses,
                                     model=active.model if active else None)
    rows = _as_dicts(results, active)
    postings = _posting_summaries(r.job_id for r in results)
    for row in rows:
        row["posting"] = postings.get(row["job_id"])
    return rows


def candidates_for_posting(
    posting: JobPosting, *, site_ids: Iterable[int] | None, limit: int = 50, today: dt.date | None = None
) -> list[dict]:
    """The best residents seeking work for one posting: those whose household lives at one of `site_ids`
    (the caller's scope), or the whole county (None)."""
    today = today or timezone.localdate()
    index = seeking_resident_index.get(today, site_ids=site_ids)
    courses = catalogs.get().courses
    job = job_profiles(JobPosting.objects.filter(pk=posting.pk))[0]
    active = active_model()
    results = rank_residents_for_job(job, index, k=limit, today=today, courses=courses,
                                     model=active.model if active else None)
    rows = _as_dicts(results, active)
    people = _resident_summaries(r.resident_id for r in results)
    for row in rows:
        row["resident"] = people.get(row["resident_id"])
    return rows


def explain_match(resident: Resident, posting: JobPosting, *, today: dt.date | None = None) -> MatchResult | Exclusion:
    """Score one resident–posting pair now, or every rule that rules it out."""
    today = today or timezone.localdate()
    profile = resident_profiles(Resident.objects.filter(pk=resident.pk), today=today)[0]
    job = job_profiles(JobPosting.objects.filter(pk=posting.pk))[0]
    cats = catalogs.get()
    active = active_model()
    return explain_pair(profile, job, today=today, skill_catalog=cats.skills, course_catalog=cats.courses,
                        config=cats.config, model=active.model if active else None)


def pair_detail(resident: Resident, posting: JobPosting, *, today: dt.date | None = None,
                for_resident: bool = False) -> dict:
    """One resident–posting pair, eligible or not: the score the rankings use, the rules' score, the learned
    probabilities (staff only; null without an active model), the components, and every exclusion with a message
    that names the values. `for_resident`: worded for the resident themself, without probabilities."""
    today = today or timezone.localdate()
    profile = resident_profiles(Resident.objects.filter(pk=resident.pk), today=today)[0]
    job = job_profiles(JobPosting.objects.filter(pk=posting.pk))[0]
    cats = catalogs.get()
    active = active_model()
    result, reasons = inspect_pair(profile, job, today=today, skill_catalog=cats.skills,
                                   course_catalog=cats.courses, config=cats.config,
                                   model=active.model if active else None)
    detail = _as_dicts([result], active)[0]
    detail.update({
        "resident_id": resident.pk,
        "posting_id": posting.pk,
        "eligible": not reasons,
        "exclusions": exclusion_details(
            reasons, resident=resident, posting=posting, profile=profile, job=job, distance_km=result.distance_km,
            distance_estimated=MatchNote.DISTANCE_ESTIMATED in result.notes),
        "posting": _posting_summaries([posting.pk]).get(posting.pk),
        "model_version": active.version if active else None,
    })
    return for_resident_detail(detail) if for_resident else detail


def _as_dicts(results: list[MatchResult], active: ActiveModel | None) -> list[dict]:
    if active is None:
        return results_as_dicts(results)
    return results_as_dicts(results, hire_base=active.hire_base_rate, retention_base=active.retention_base_rate)


def explanation_as_dict(outcome: MatchResult | Exclusion) -> dict:
    return exclusion_as_dict(outcome) if isinstance(outcome, Exclusion) else _as_dicts([outcome], active_model())[0]


def recommendation_list(*, residents: QuerySet[Resident]) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(resident__in=residents)
        .select_related("resident", "posting", "posting__employer", "recommended_by")
        .prefetch_related("events")
    )


def recommendation_batch_list(user, *, run: AssignmentRun | None = None) -> QuerySet[RecommendationBatch]:
    """The user's bulk recommendations (a superuser's: everyone's), newest first, with how many each made."""
    batches = RecommendationBatch.objects.select_related("created_by", "withdrawn_by").annotate(
        size=Count("recommendations"))
    if not user.is_superuser:
        batches = batches.filter(created_by=user)
    return batches.filter(run=run) if run is not None else batches


def interest_list(*, residents: QuerySet[Resident]) -> QuerySet[Interest]:
    """The standing "我想试试这个" of these residents, newest first, each marked `recommended` when the station
    has already recommended the resident to that job (a live recommendation)."""
    live = Recommendation.objects.filter(resident=OuterRef("resident_id"), posting=OuterRef("posting_id"),
                                         state__in=[*Recommendation.OPEN_STATES, Recommendation.State.HIRED])
    return (Interest.objects.filter(resident__in=residents, withdrawn_at__isnull=True)
            .annotate(recommended=Exists(live))
            .select_related("resident__household__site", "posting__employer", "posting__place")
            .order_by("-expressed_at", "-id"))


def interest_posting_ids(resident: Resident) -> set[int]:
    """The jobs the resident has said they want to try (not taken back)."""
    return set(Interest.objects.filter(resident=resident, withdrawn_at__isnull=True).values_list("posting_id",
                                                                                                  flat=True))


def followups_due(*, residents: QuerySet[Resident], until: dt.date, active_only: bool = False) -> QuerySet[FollowUp]:
    """Retention checks of these residents not done yet and due by `until`, soonest first."""
    follow_ups = FollowUp.objects.filter(done_at__isnull=True, due_date__lte=until, placement__resident__in=residents)
    if active_only:
        follow_ups = follow_ups.filter(placement__status=Placement.Status.ACTIVE)
    return follow_ups.select_related(
        "placement__resident__household__site", "placement__posting__employer"
    ).order_by("due_date", "id")


# --- Training sessions near a resident -------------------------------------------------------

@dataclass(frozen=True)
class SessionDistance:
    session: TrainingSession
    distance_km: float | None  # None when the home or the session's place has no coordinates


def sessions_by_distance(sessions: Iterable[TrainingSession], *, home: Place) -> list[SessionDistance]:
    """The sessions (with their places loaded) nearest to `home` first, each with its great-circle distance.

    Distances are compared to 0.1 km: sessions as far away go by start date, then id; sessions whose
    distance is unknown come last. The resident's training page and the API's session list use this."""
    known = None not in (home.latitude, home.longitude)
    rows = []
    for session in sessions:
        place = session.place
        distance = None
        if known and None not in (place.latitude, place.longitude):
            distance = float(haversine_km(home.latitude, home.longitude, place.latitude, place.longitude))
        rows.append(SessionDistance(session, distance))
    rows.sort(key=lambda row: (math.inf if row.distance_km is None else round(row.distance_km, 1),
                               row.session.start_date, row.session.pk))
    return rows
