"""Every service that changes what a ranking or a figure depends on bumps the versions it changes, in its own
transaction, naming the records an index must read again. Then a cached read cannot miss a write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from freshness.models import Domain
from freshness.selectors import changes_since, versions_get
from jobs import services as jobs
from jobs.imports import postings_import_create, postings_import_run
from jobs.models import JobPosting
from matching import services as matching
from matching.models import FollowUp
from receptions import services as receptions
from residents import services as residents
from residents.imports import COLUMNS as RESIDENT_COLUMNS
from residents.imports import residents_import_create, residents_import_run
from stations.models import StaffMembership
from taxonomy.identifiers import make_id_number
from taxonomy.models import Occupation, Place
from taxonomy.services import occupation_correction_record, place_coordinates_set
from tests import factories as f
from tests.imports.conftest import POSTING_HEADERS, posting_row, xlsx_bytes
from training import services as training
from training.market_days import next_market_days

pytestmark = pytest.mark.django_db


@dataclass
class World:
    user: object
    resident: object
    posting: object
    session: object


@pytest.fixture
def world(db):
    user = f.UserFactory()
    resident = f.ResidentFactory()
    posting = f.PostingFactory(openings=1)
    session = f.SessionFactory(start_date=timezone.localdate() + dt.timedelta(days=3))
    return World(user, resident, posting, session)


def _hire(w: World):
    return matching.placement_record(resident=w.resident, posting=w.posting, recorded_by=w.user)


def _end(w: World):
    placement = _hire(w)
    return matching.placement_end(placement=placement, ended_on=timezone.localdate(), reason="quit", actor=w.user)


def _follow_up(w: World):
    placement = matching.placement_record(resident=w.resident, posting=w.posting, recorded_by=w.user,
                                          start_date=timezone.localdate() - dt.timedelta(days=40))
    follow_up = FollowUp.objects.get(placement=placement, months=1)
    return matching.followup_record(follow_up=follow_up, still_employed=True, actor=w.user)


def _call_left(w: World):
    placement = matching.placement_record(resident=w.resident, posting=w.posting, recorded_by=w.user,
                                          start_date=timezone.localdate() - dt.timedelta(days=40))
    return matching.followup_call_record(placement=placement, outcome="left", end_reason="quit", actor=w.user)


def _recommend(w: World):
    return matching.recommendation_create(resident=w.resident, posting=w.posting, recommended_by=w.user, score=0.5,
                                          explanation={})


def _decline(w: World):
    recommendation = _recommend(w)
    return matching.recommendation_move(recommendation=recommendation, to_state="declined", actor=w.user)


def _withdraw_batch(w: World):
    from matching.models import RecommendationBatch

    batch = RecommendationBatch.objects.create(created_by=w.user)
    matching.recommendation_create(resident=w.resident, posting=w.posting, recommended_by=w.user, score=0.5,
                                   explanation={}, batch=batch)
    return matching.recommendation_batch_withdraw(batch=batch, actor=w.user)


def _enrol(w: World):
    return training.enrollment_create(session=w.session, resident=w.resident, actor=w.user)


def _complete(w: World):
    session = f.SessionFactory(start_date=timezone.localdate())
    training.course_skills_set(course=session.course, skills=[(f.place and _skill(), 3)])
    enrollment = training.enrollment_create(session=session, resident=w.resident, actor=w.user)
    return training.enrollment_complete(enrollment=enrollment, passed=True, actor=w.user)


def _skill():
    from taxonomy.models import Skill

    return Skill.objects.order_by("pk").first()


def _import_postings(w: World):
    job = postings_import_create(file_name="岗位.xlsx", content=xlsx_bytes(POSTING_HEADERS, [posting_row()]))
    return postings_import_run(job_id=job.pk)


def _import_residents(w: World):
    from tests.imports.test_residents import resident_row

    headers = [c.template_header for c in RESIDENT_COLUMNS]
    row = resident_row(id_number=make_id_number("520622", dt.date(1990, 1, 1), 77))
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(headers, [row]), created_by=None,
                                  allowed_place_ids=None)
    return residents_import_run(job_id=job.pk)


def _history(w: World):
    return matching.outcome_history_record(
        resident=w.resident, posting=w.posting, recommended_on=timezone.localdate() - dt.timedelta(days=30),
        result="hired", started_on=timezone.localdate() - dt.timedelta(days=20), recorded_by=w.user)


def _import_outcomes(w: World):
    from matching.imports import COLUMNS, outcomes_import_create, outcomes_import_run
    from tests.imports.test_outcomes import row

    content = xlsx_bytes([c.template_header for c in COLUMNS], [row(resident_id=w.resident.pk,
                                                                     posting_id=w.posting.pk)])
    job = outcomes_import_create(file_name="推荐.xlsx", content=content, created_by=w.user)
    return outcomes_import_run(job_id=job.pk)


# (what a user does, the domains whose version must move, and which of the world's records they must name)
def _station_with_staff(w: World):
    station = f.StationFactory()
    StaffMembership.objects.create(user=w.user, station=station)
    return station


def _request_answered(w: World):
    request = receptions.request_submit(station=f.StationFactory(), text="路灯坏了", channel="desk", contact_name="王")
    return receptions.request_answer(request=request, actor=w.user, reply="已修好")


def _reception(w: World):
    return receptions.reception_record(station=_station_with_staff(w), resident=w.resident, topic="job",
                                       received_by=w.user)


def _duty(w: World):
    return receptions.duty_shift_add(station=_station_with_staff(w), staff=w.user,
                                     day=next_market_days(timezone.localdate(), 1)[0].date)


CASES: list[tuple[str, Callable, dict[str, str | None]]] = [
    ("hire", _hire, {Domain.POSTINGS: "posting", Domain.RESIDENTS: "resident", Domain.OUTCOMES: None}),
    ("end of a placement", _end, {Domain.RESIDENTS: "resident", Domain.OUTCOMES: None}),
    ("follow-up answered", _follow_up, {Domain.OUTCOMES: None}),
    ("follow-up call: left", _call_left, {Domain.RESIDENTS: "resident", Domain.OUTCOMES: None}),
    ("recommendation", _recommend, {Domain.POSTINGS: "posting", Domain.RESIDENTS: "resident",
                                    Domain.OUTCOMES: None}),
    ("recommendation declined", _decline, {Domain.POSTINGS: "posting", Domain.RESIDENTS: "resident",
                                           Domain.OUTCOMES: None}),
    ("batch withdrawn", _withdraw_batch, {Domain.POSTINGS: "posting", Domain.RESIDENTS: "resident",
                                          Domain.OUTCOMES: None}),
    ("posting edit", lambda w: jobs.posting_update(posting=w.posting, data={"wage_min": Decimal("3200")}),
     {Domain.POSTINGS: "posting"}),
    ("posting close", lambda w: jobs.posting_close(posting=w.posting), {Domain.POSTINGS: "posting"}),
    ("posting expiry", lambda w: jobs.postings_expire(today=w.posting.valid_until + dt.timedelta(days=1)),
     {Domain.POSTINGS: "posting"}),
    ("employer edit", lambda w: jobs.employer_update(employer=w.posting.employer, data={"name": "新名字有限公司"}),
     {Domain.POSTINGS: "posting"}),
    ("profile edit", lambda w: residents.resident_update(resident=w.resident, data={"min_monthly_wage": 2800}),
     {Domain.RESIDENTS: "resident"}),
    ("household edit", lambda w: residents.household_update(household=w.resident.household,
                                                            data={"poverty_status": "monitored"}),
     {Domain.RESIDENTS: "resident"}),
    ("skills edit", lambda w: residents.resident_skills_set(resident=w.resident, skills=[
        residents.SkillLevel(skill=_skill(), level=3)]), {Domain.RESIDENTS: "resident"}),
    ("enrolment", _enrol, {Domain.TRAINING: None}),
    ("course completion", _complete, {Domain.TRAINING: None, Domain.RESIDENTS: "resident"}),
    ("session edit", lambda w: training.session_update(session=w.session, data={"capacity": 40}),
     {Domain.TRAINING: None}),
    ("course edit", lambda w: training.course_update(course=w.session.course, data={"name": "家政服务员培训"}),
     {Domain.TRAINING: None}),
    ("postings import", _import_postings, {Domain.POSTINGS: None}),
    ("residents import", _import_residents, {Domain.RESIDENTS: None}),
    ("outcome history", _history, {Domain.POSTINGS: "posting", Domain.RESIDENTS: "resident",
                                   Domain.OUTCOMES: None}),
    ("outcomes import", _import_outcomes, {Domain.OUTCOMES: None}),
    ("occupation correction", lambda w: occupation_correction_record(
        title="刮腻子师傅", occupation=Occupation.objects.filter(level=4).order_by("code").first(), created_by=w.user),
     {Domain.REFERENCE: None}),
    ("coordinates set", lambda w: place_coordinates_set(place=Place.objects.get(code=f.ANPING), latitude=27.25,
                                                        longitude=108.95), {Domain.REFERENCE: None}),
    ("request received", lambda w: receptions.request_submit(station=f.StationFactory(), text="路灯坏了",
                                                             channel="desk", contact_name="王"),
     {Domain.RECEPTIONS: None}),
    ("request answered", _request_answered, {Domain.RECEPTIONS: None}),
    ("reception recorded", _reception, {Domain.RECEPTIONS: None, Domain.RESIDENTS: "resident"}),
    ("duty shift", _duty, {Domain.RECEPTIONS: None}),
]


@pytest.mark.parametrize(("action", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_every_write_bumps_what_it_changes(world, action, expected):
    before = versions_get()
    action(world)
    after = versions_get()
    moved = {domain for domain in after if after[domain] != before[domain]}
    assert set(expected) <= moved
    for domain, record in expected.items():
        changed = changes_since(domain, before[domain], after[domain])
        if record is not None:
            assert changed is not None
            assert getattr(world, record).pk in changed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hire_that_fills_a_posting_takes_it_out_of_everyone_s_matches():
    """The stale case of the first version: the hire updated `filled`/`status` without touching `updated_at`,
    and a matches list keyed on Max(updated_at) kept serving the filled posting. Committed writes, as in
    production: the index is kept between reads and patched for the hire."""
    from matching.indexes import clear_indexes, open_posting_index
    from matching.selectors import matches_for_resident

    clear_indexes()
    w = World(f.UserFactory(), f.ResidentFactory(), f.PostingFactory(openings=1), None)
    other = f.ResidentFactory()
    f.PostingFactory(title="保洁员")
    assert w.posting.pk in [m["job_id"] for m in matches_for_resident(other)]
    rebuilds = open_posting_index.rebuilds
    _hire(w)
    assert JobPosting.objects.get(pk=w.posting.pk).status == JobPosting.Status.FILLED
    assert w.posting.pk not in [m["job_id"] for m in matches_for_resident(other)]
    assert open_posting_index.rebuilds == rebuilds  # patched for the one posting, not rebuilt
