"""A synthetic station history for the learning tests: residents, postings of a few employers, and two years of
recommendations whose outcomes follow a planted rule (written straight into the tables: the services' own
paths are tested elsewhere; here only what came of each recommendation matters)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils import timezone

from jobs.models import JobPosting
from matching.models import Placement, Recommendation
from tests import factories as f

START = dt.date(2024, 1, 1)
DAYS = 700


@dataclass
class History:
    residents: list
    postings: list
    never_hires: object  # an employer that hires nobody it is sent
    recommendations: int
    today: dt.date


def plant(*, seed: int = 0, residents: int = 80, per_resident: int = 6, user=None) -> History:
    """Recommendations of every resident to `per_resident` random postings over DAYS days; one employer never
    hires, the others hire more often when the resident lives close, and hires at a distance leave early."""
    rng = np.random.default_rng(seed)
    user = user or f.UserFactory()
    employers = [f.EmployerFactory() for _ in range(5)]
    never = employers[0]
    titles = ["保洁员", "藤椅编织工", "缝纫工", "普工", "家政服务员", "包装工"]
    places = [f.place(code) for code in (f.PINGXI, f.ANPING, "520622100000", "520622101000", "520622103000")]
    postings = []
    for i in range(30):
        posting = f.PostingFactory(employer=employers[i % len(employers)], title=titles[i % len(titles)],
                                   place=places[i % len(places)], openings=1000, wage_min=Decimal("2800"),
                                   wage_max=Decimal("3600"))
        postings.append(posting)
    people = [f.ResidentFactory(household=f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE if i % 2 else
                                                                           f.KANGHUA_SITE)))
              for i in range(residents)]
    near = {p.pk: i % len(places) in (0, 1) for i, p in enumerate(postings)}
    rows, outcomes = [], []
    for person in people:
        for posting in rng.choice(postings, size=per_resident, replace=False):
            day = START + dt.timedelta(days=int(rng.integers(0, DAYS)))
            if posting.employer_id == never.pk:
                hired = False
            else:
                hired = rng.random() < (0.55 if near[posting.pk] else 0.2)
            state = Recommendation.State.HIRED if hired else rng.choice(
                [Recommendation.State.REJECTED, Recommendation.State.DECLINED, Recommendation.State.NO_ANSWER])
            decided = day + dt.timedelta(days=int(rng.integers(3, 20)))
            rows.append(Recommendation(resident=person, posting=posting, score=0.5, explanation={}, state=state,
                                       recommended_by=user, recommended_on=day, decided_on=decided,
                                       origin=Recommendation.Origin.IMPORT))
            outcomes.append((hired, near[posting.pk], decided))
    Recommendation.objects.bulk_create(rows)
    placements = []
    for recommendation, (hired, close, decided) in zip(rows, outcomes, strict=True):
        if not hired:
            continue
        stays = rng.random() < (0.85 if close else 0.4)
        ended = None if stays else decided + dt.timedelta(days=int(rng.integers(10, 80)))
        placements.append(Placement(resident_id=recommendation.resident_id, posting_id=recommendation.posting_id,
                                    recommendation=recommendation, start_date=decided, wage_unit="month",
                                    status=Placement.Status.ENDED if ended else Placement.Status.ACTIVE,
                                    ended_on=ended, end_reason="quit" if ended else "", recorded_by=user))
    Placement.objects.bulk_create(placements)
    JobPosting.objects.filter(pk__in=[p.pk for p in postings]).update(filled=0)
    return History(people, postings, never, len(rows), timezone.localdate())
