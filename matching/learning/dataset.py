"""The station's outcomes as the models learn from them: recommendations with what came of them, known by a day.

Everything is "as of" a cutoff day: a recommendation counts when it was made before the cutoff and its
outcome was known by it, a hire's 90-day retention when its 90th day had passed by it. Nothing decided after
the cutoff is read, so a back-test at a past day sees exactly what the station knew that day.

Profiles are today's records (the station keeps no snapshots of past profiles), with the age each resident
had on the day of the recommendation and the posting treated as open: a known, documented approximation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
from django.db.models import Q

from residents.models import Resident

from ..engine import JobIndex, ResidentIndex
from ..indexes import catalogs
from ..models import Placement, Recommendation
from ..profiles import job_profiles, resident_profiles

RETENTION_DAYS = 90
# An imported outcome whose day the sheet did not give is taken as known this many days after the
# recommendation (for the time split only).
UNDATED_OUTCOME_DAYS = 30
AGE_BANDS = ((0, 30, "16–29"), (30, 40, "30–39"), (40, 50, "40–49"), (50, 200, "50+"))


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Aligned arrays, one row per pair (row i of `residents` with row i of `jobs`, both indexes of that many
    rows): the recommendation or placement, its day, and the labels."""

    residents: ResidentIndex
    jobs: JobIndex
    recommendation_ids: np.ndarray  # -1: a placement made without a recommendation (retention only)
    resident_ids: np.ndarray
    posting_ids: np.ndarray
    employer_ids: np.ndarray  # -1: unknown
    recommended_on: np.ndarray  # proleptic ordinals
    hired: np.ndarray  # 1 hired, 0 rejected / declined / no answer, -1 not a resolved recommendation
    retained: np.ndarray  # 1 still in work at 90 days, 0 left before, -1 not observable (or not hired)
    sex: np.ndarray  # for disparity figures only: never a feature
    age_band: np.ndarray
    household: np.ndarray  # poverty status of the household (none / lifted / monitored)

    def __len__(self) -> int:
        return len(self.resident_ids)

    def take(self, mask: np.ndarray) -> Outcomes:
        positions = np.flatnonzero(mask)
        return Outcomes(
            residents=self.residents.take(positions),
            jobs=self.jobs.take(positions),
            **{name: getattr(self, name)[positions] for name in (
                "recommendation_ids", "resident_ids", "posting_ids", "employer_ids", "recommended_on", "hired",
                "retained", "sex", "age_band", "household")},
        )


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _band(age: int | None) -> str:
    if age is None:
        return "?"
    return next(label for low, high, label in AGE_BANDS if low <= age < high)


def recommendations_known(*, made_before: dt.date, known_by: dt.date, made_from: dt.date | None = None) -> Outcomes:
    """The resolved recommendations made in [made_from, made_before) whose outcome the station knew on
    `known_by`, with each hire's 90-day retention as far as it was known then.

    Training as of a day d reads made_before=d, known_by=d; the test side of a back-test at d reads
    made_from=d, known_by=today: what came later, judged with all we know now.
    """
    made = Q(recommended_on__lt=made_before)
    if made_from is not None:
        made &= Q(recommended_on__gte=made_from)
    decided = Q(decided_on__lte=known_by) | Q(
        decided_on__isnull=True, recommended_on__lte=known_by - dt.timedelta(days=UNDATED_OUTCOME_DAYS))
    recommendations = list(
        Recommendation.objects.filter(made, decided, state__in=Recommendation.OUTCOME_STATES).order_by(
            "recommended_on", "id").values_list("id", "resident_id", "posting_id", "recommended_on", "state"))
    placements = {
        row[0]: row[1:] for row in Placement.objects.filter(
            recommendation_id__in=[r[0] for r in recommendations if r[4] == Recommendation.State.HIRED],
            start_date__lte=known_by,
        ).values_list("recommendation_id", "start_date", "ended_on")
    }
    rows = []
    for recommendation_id, resident_id, posting_id, day, state in recommendations:
        hired = int(state == Recommendation.State.HIRED)
        placement = placements.get(recommendation_id)
        retained = _retained(*placement, known_by) if hired and placement is not None else -1
        rows.append((recommendation_id, resident_id, posting_id, day, hired, retained))
    return _build(rows)


def placements_as_of(cutoff: dt.date) -> Outcomes:
    """Every hire whose 90-day retention was known on `cutoff` (with or without a recommendation): what the
    retention model learns from."""
    rows = []
    for recommendation_id, resident_id, posting_id, start, ended in Placement.objects.filter(
            start_date__lte=cutoff - dt.timedelta(days=RETENTION_DAYS)).order_by("start_date", "id").values_list(
            "recommendation_id", "resident_id", "posting_id", "start_date", "ended_on"):
        rows.append((recommendation_id or -1, resident_id, posting_id, start, -1, _retained(start, ended, cutoff)))
    return _build(rows)


def _retained(start: dt.date, ended: dt.date | None, known_by: dt.date) -> int:
    """1 still in work 90 days after the start, 0 left before, -1 not known yet on `known_by`."""
    ninetieth = start + dt.timedelta(days=RETENTION_DAYS)
    if ended is not None and ended < ninetieth and ended <= known_by:
        return 0
    return 1 if ninetieth <= known_by else -1


def _build(rows: list[tuple]) -> Outcomes:
    """Per-pair profiles (ids 1..P, in row order) for the rows (recommendation, resident, posting, day, hired,
    retained)."""
    from jobs.models import JobPosting

    cats = catalogs.get()
    resident_ids = sorted({row[1] for row in rows})
    posting_ids = sorted({row[2] for row in rows})
    today = max((row[3] for row in rows), default=dt.date.today())
    people = {p.id: p for p in resident_profiles(Resident.objects.filter(pk__in=resident_ids), today=today)}
    facts = {pk: (born, sex, poverty) for pk, born, sex, poverty in Resident.objects.filter(
        pk__in=resident_ids).values_list("pk", "birth_date", "sex", "household__poverty_status")}
    postings = {p.id: p for p in job_profiles(JobPosting.objects.filter(pk__in=posting_ids))}
    kept = [row for row in rows if row[1] in people and row[2] in postings]
    resident_rows, job_rows, sexes, bands, households = [], [], [], [], []
    for position, (_rec, resident_id, posting_id, day, _hired, _retained) in enumerate(kept, start=1):
        born, sex, poverty = facts[resident_id]
        age = _age(born, day) if born else None
        resident_rows.append(replace(people[resident_id], id=position, age=age, seeking_work=True))
        job = postings[posting_id]
        job_rows.append(replace(job, id=position, status="open", valid_until=None,
                                openings_remaining=max(job.openings_remaining, 1), live_recommendations=0))
        sexes.append(sex or "?")
        bands.append(_band(age))
        households.append(poverty)
    return Outcomes(
        residents=ResidentIndex.from_profiles(resident_rows, cats.skills, cats.config),
        jobs=JobIndex.from_profiles(job_rows, cats.skills, cats.config),
        recommendation_ids=np.array([row[0] for row in kept], dtype=np.int64),
        resident_ids=np.array([row[1] for row in kept], dtype=np.int64),
        posting_ids=np.array([row[2] for row in kept], dtype=np.int64),
        employer_ids=np.array([postings[row[2]].employer_id or -1 for row in kept], dtype=np.int64),
        recommended_on=np.array([row[3].toordinal() for row in kept], dtype=np.int64),
        hired=np.array([row[4] for row in kept], dtype=np.int64),
        retained=np.array([row[5] for row in kept], dtype=np.int64),
        sex=np.array(sexes, dtype=object),
        age_band=np.array(bands, dtype=object),
        household=np.array(households, dtype=object),
    )
