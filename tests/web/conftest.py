"""A small Pingxi for the page tests: two stations' residents, jobs, a course with a session, a hire with a
follow-up due, and one logged-in client per role."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.utils import timezone

from config.http import RevealThrottle
from jobs.models import Employer, JobPosting
from matching.models import FollowUp, Placement, Recommendation
from matching.selectors import explain_match, explanation_as_dict, open_posting_index
from matching.services import recommendation_create, recommendation_move
from residents import pii
from residents.models import Resident
from residents.services import resident_update
from tests import factories as f
from training.models import Course, TrainingSession
from training.services import enrollment_create

OTHER_SITE = "520622001001"  # 紫气山社区, served by the other station (皂角坪街道)


@pytest.fixture(autouse=True)
def _own_reveal_budget(monkeypatch):
    """Each test counts its reveals afresh: the shared cache (Redis in CI) outlives a test and a run."""
    monkeypatch.setattr(RevealThrottle, "cache", LocMemCache(f"reveal-{uuid.uuid4()}", {}))


@pytest.fixture(autouse=True)
def _fresh_posting_index():
    """The ranking index of open postings is cached per process; each test starts from its own data."""
    open_posting_index.clear()
    yield
    open_posting_index.clear()


@dataclass
class World:
    employer: Employer
    posting: JobPosting  # open, asks for 藤编 (rattan weaving)
    draft: JobPosting
    course: Course
    session: TrainingSession  # open, starts next week, 30 seats
    full_session: TrainingSession  # open, one seat, taken
    neighbour: Resident  # another resident of room 1, hired a month ago
    placement: Placement
    follow_up: FollowUp  # the 1-month check of that hire, due
    outsider: Resident  # a resident of the other station
    kanghua: Resident  # a resident of room 2 (康华社区)


def build_world(*, resident, liaison_user, other_station) -> World:
    today = timezone.localdate()
    employer = f.EmployerFactory(name="康华社区藤编扶贫车间", place=f.place(f.KANGHUA_SITE), is_poverty_workshop=True)
    posting = f.PostingFactory(employer=employer, title="藤椅编织工", skill_texts=["藤编"], openings=5,
                               wage_min=Decimal("3000"), wage_max=Decimal("4200"))
    second = f.PostingFactory(employer=employer, title="藤椅包装工", openings=2)
    draft = f.PostingFactory(employer=employer, title="仓库管理员", publish=False)
    course = f.CourseFactory(code="rattan", name="藤椅加工")
    session = f.SessionFactory(course=course, place=f.place(f.KANGHUA_SITE), venue="扶贫车间培训室", capacity=30)
    full_session = f.SessionFactory(course=f.CourseFactory(code="housekeeping", name="家政服务"), capacity=1,
                                    start_date=today + dt.timedelta(days=20), end_date=today + dt.timedelta(days=22))

    neighbour = f.ResidentFactory(name="杨德才", household=f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE)),
                                  skill_texts=["藤编"])
    outcome = explain_match(neighbour, second)
    recommendation = recommendation_create(resident=neighbour, posting=second, recommended_by=liaison_user,
                                           score=outcome.score, explanation=explanation_as_dict(outcome))
    # Recommended six weeks ago, hired 40 days ago.
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=timezone.now() - dt.timedelta(days=42),
                                                               recommended_on=today - dt.timedelta(days=42))
    recommendation_move(recommendation=recommendation, to_state="contacted", actor=liaison_user)
    recommendation_move(recommendation=recommendation, to_state="hired", actor=liaison_user,
                        start_date=today - dt.timedelta(days=40), wage=Decimal("3200"))
    placement = Placement.objects.get(recommendation=recommendation)
    follow_up = placement.follow_ups.get(months=1)

    outsider = f.ResidentFactory(name="罗外站", household=f.HouseholdFactory(site=f.place(OTHER_SITE)),
                                 skill_texts=["藤编"])
    kanghua = f.ResidentFactory(name="吴康华", household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE)),
                                skill_texts=["藤编", "保洁"])
    enrollment_create(session=full_session, resident=kanghua)
    full_session.refresh_from_db()
    return World(employer=employer, posting=posting, draft=draft, course=course, session=session,
                 full_session=full_session, neighbour=neighbour, placement=placement, follow_up=follow_up,
                 outsider=outsider, kanghua=kanghua)


@pytest.fixture
def world(resident, liaison_user, other_station, other_liaison_user):
    resident_update(resident=resident, data={"skill_texts": ["藤编", "会做饭"], "min_monthly_wage": Decimal("2500")})
    return build_world(resident=resident, liaison_user=liaison_user, other_station=other_station)


def full_id_numbers() -> list[str]:
    """Every resident's full ID number and phone, decrypted, to search the pages for."""
    values = []
    for resident in Resident.objects.all():
        values.append(pii.decrypt(resident.id_number_encrypted))
        if resident.phone_encrypted:
            values.append(pii.decrypt(resident.phone_encrypted))
    return values


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(bureau_user, liaison_user, other_liaison_user, deputy_user, resident_user, admin_user):
    return {
        "bureau": logged_in(bureau_user),
        "liaison": logged_in(liaison_user),
        "other_liaison": logged_in(other_liaison_user),
        "deputy": logged_in(deputy_user),
        "resident": logged_in(resident_user),
        "admin": logged_in(admin_user),
        "anonymous": Client(),
    }
