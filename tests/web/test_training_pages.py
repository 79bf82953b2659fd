"""The liaison worker's training pages: the sessions list and a session's roster (enrol, attendance,
completion, drop-out, cancellation), scoped to the worker's station and refusing bad input without a change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from residents.models import ResidentSkill
from taxonomy.models import Skill
from tests import factories as f
from training.models import Attendance, Enrollment, TrainingSession
from training.services import course_skills_set, enrollment_create, session_update

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def roster_url(session) -> str:
    return reverse("web:liaison-session", args=[session.pk])


def enrol(client, session, resident_id, **headers):
    return client.post(reverse("web:liaison-session-enrol", args=[session.pk]), {"resident": resident_id}, **headers)


def act(client, name, enrollment, data=None, **headers):
    return client.post(reverse(f"web:liaison-{name}", args=[enrollment.pk]), data or {}, **headers)


def attend(client, enrollment, day, hours, **headers):
    prefix = f"a{enrollment.pk}"
    return act(client, "attendance", enrollment, {f"{prefix}-date": day, f"{prefix}-hours": hours}, **headers)


def finish(client, enrollment, passed, certificate="", **headers):
    prefix = f"c{enrollment.pk}"
    return act(client, "complete", enrollment, {f"{prefix}-passed": passed, f"{prefix}-certificate_number": certificate},
               **headers)


def snapshot(session) -> tuple:
    """What a refused write must leave as it was: the session's seats, every enrolment, every attendance."""
    session = TrainingSession.objects.get(pk=session.pk)
    enrolments = sorted(Enrollment.objects.filter(session=session).values_list(
        "id", "resident_id", "status", "hours_attended", "passed", "certificate_number"))
    days = sorted(Attendance.objects.filter(enrollment__session=session).values_list("enrollment_id", "date", "hours"))
    return session.enrolled_count, enrolments, days, ResidentSkill.objects.filter(source="training").count()


@pytest.fixture
def running(world, resident, liaison_user):
    """A rattan course session of 8 hours that started two days ago and runs two more days, granting
    frame bending; the resident is enrolled and so is the other station's resident."""
    today = timezone.localdate()
    course = f.CourseFactory(code="frames", name="藤椅框架", hours=8)
    course_skills_set(course=course, skills=[(Skill.objects.get(code="rattan.frame_bending"), 3)])
    session = f.SessionFactory(course=course, start_date=today, end_date=today + dt.timedelta(days=2), hours=8,
                               capacity=10, place=f.place(f.KANGHUA_SITE))
    mine = enrollment_create(session=session, resident=resident, actor=liaison_user)
    theirs = enrollment_create(session=session, resident=world.outsider)
    session = session_update(session=session, data={"start_date": today - dt.timedelta(days=2)}, allow_past_start=True)
    return session, mine, theirs


# --- The sessions list ---------------------------------------------------------------------------

def test_sessions_list_the_coming_sessions_with_seats_waiting_and_own_residents(world, clients):
    response = clients["liaison"].get(reverse("web:liaison-sessions"))
    rows = {s.pk: (s.enrolled_count, s.capacity, s.waitlisted, s.residents_active) for s in response.context["page"]}
    assert rows == {world.session.pk: (0, 30, 0, 0), world.full_session.pk: (1, 1, 0, 1)}


def test_sessions_count_only_the_workers_own_residents(world, clients):
    response = clients["other_liaison"].get(reverse("web:liaison-sessions"))
    assert {s.pk: s.residents_active for s in response.context["page"]} == {world.session.pk: 0,
                                                                         world.full_session.pk: 0}


def test_sessions_leave_out_cancelled_and_long_ended_ones_until_asked(world, clients):
    today = timezone.localdate()
    cancelled = f.SessionFactory(course=world.course, status="cancelled")
    old = f.SessionFactory(course=world.course, start_date=today - dt.timedelta(days=60),
                           end_date=today - dt.timedelta(days=58))
    recent = f.SessionFactory(course=world.course, start_date=today - dt.timedelta(days=10),
                              end_date=today - dt.timedelta(days=8))
    current = {s.pk for s in clients["liaison"].get(reverse("web:liaison-sessions")).context["page"]}
    past = {s.pk for s in clients["liaison"].get(reverse("web:liaison-sessions") + "?when=past").context["page"]}
    assert (cancelled.pk in current | past, old.pk in current, recent.pk in current, past) == (
        False, False, True, {old.pk})


def test_sessions_list_says_what_is_wrong_with_a_nonsense_filter(world, clients):
    response = clients["liaison"].get(reverse("web:liaison-sessions") + "?when=nonsense&page=abc")
    assert (response.status_code, len(response.context["page"])) == (400, 2)
    assert len(response.context["listing"].errors) == 2


def test_the_navigation_offers_training_to_liaison_staff_only(world, clients):
    liaison = clients["liaison"].get(reverse("web:liaison-sessions")).content.decode()
    bureau = clients["bureau"].get(reverse("web:bureau-courses")).content.decode()
    assert ('data-testid="nav-liaison-sessions"' in liaison, "nav-liaison-sessions" in bureau) == (True, False)


# --- The roster ----------------------------------------------------------------------------------

def test_roster_names_the_workers_residents_and_only_counts_the_others(running, resident, world, clients):
    session, mine, _theirs = running
    response = clients["liaison"].get(roster_url(session))
    html = response.content.decode()
    assert ([row.pk for row in response.context["rows"]], response.context["others"], resident.name in html,
            world.outsider.name in html, f"/liaison/residents/{world.outsider.pk}/" in html) == (
        [mine.pk], 1, True, False, False)


def test_the_other_station_sees_its_own_resident_and_not_ours(running, resident, world, clients):
    session, _mine, theirs = running
    response = clients["other_liaison"].get(roster_url(session))
    html = response.content.decode()
    assert ([row.pk for row in response.context["rows"]], response.context["others"], resident.name in html,
            world.outsider.name in html) == ([theirs.pk], 1, False, True)


def test_roster_shows_hours_attended_against_the_sessions_hours(running, clients):
    session, mine, _theirs = running
    attend(clients["liaison"], mine, (session.start_date).isoformat(), "3.5")
    response = clients["liaison"].get(roster_url(session))
    row = response.context["rows"][0]
    assert (row.hours_attended, [d.hours for d in row.days], 'data-hours="3.5"' in response.content.decode()) == (
        Decimal("3.5"), [Decimal("3.5")], True)


def test_a_missing_session_is_a_404(world, clients):
    assert [clients["liaison"].get(reverse("web:liaison-session", args=[pk])).status_code
            for pk in (999999, 2**63 - 1, 10**20)] == [404, 404, 404]


def test_live_search_answers_htmx_with_the_workers_matching_residents_only(world, resident, clients):
    url = roster_url(world.session)
    ours = clients["liaison"].get(url, {"q": "wxf"}, **HTMX)
    theirs = clients["liaison"].get(url, {"q": world.outsider.name}, **HTMX)
    assert ("<html" in ours.content.decode(), [r.pk for r in ours.context["candidates"]],
            list(theirs.context["candidates"]), "HX-Request" in ours["Vary"]) == (False, [resident.pk], [], True)


def test_search_marks_who_is_already_in_the_session(world, clients):
    response = clients["liaison"].get(roster_url(world.full_session), {"q": world.kanghua.name})
    assert [(r.pk, r.session_status) for r in response.context["candidates"]] == [(world.kanghua.pk, "enrolled")]


# --- Enrolling -----------------------------------------------------------------------------------

def test_enrolling_a_visible_resident_goes_back_to_the_roster(world, resident, clients, liaison_user):
    response = enrol(clients["liaison"], world.session, resident.pk)
    enrollment = Enrollment.objects.get(session=world.session, resident=resident)
    world.session.refresh_from_db()
    assert (response.status_code, response["Location"], enrollment.status, enrollment.enrolled_by,
            world.session.enrolled_count) == (302, roster_url(world.session), "enrolled", liaison_user, 1)


def test_enrolling_with_htmx_swaps_in_the_roster_with_the_new_row(world, resident, clients):
    response = enrol(clients["liaison"], world.session, resident.pk, **HTMX)
    html = response.content.decode()
    assert (response.status_code, "<html" in html, 'data-testid="notice"' in html,
            [(row.resident_id, row.status) for row in response.context["rows"]]) == (
        200, False, True, [(resident.pk, "enrolled")])


def test_enrolling_keeps_the_search_and_goes_back_to_it(world, resident, clients):
    response = clients["liaison"].post(reverse("web:liaison-session-enrol", args=[world.session.pk]),
                                       {"resident": resident.pk, "q": "wxf", "next": roster_url(world.session) + "?q=wxf"})
    assert response["Location"] == roster_url(world.session) + "?q=wxf"


def test_enrolling_into_a_full_session_puts_the_resident_on_the_waiting_list(world, resident, clients):
    enrol(clients["liaison"], world.full_session, resident.pk)
    response = clients["liaison"].get(roster_url(world.full_session))
    rows = {row.resident_id: (row.status, row.waitlist_position) for row in response.context["rows"]}
    assert (rows, response.context["session"].waitlisted, response.context["session"].enrolled_count) == (
        {world.kanghua.pk: ("enrolled", 1), resident.pk: ("waitlisted", 1)}, 1, 1)


def test_enrolling_the_same_resident_twice_shows_the_error_and_keeps_one(world, resident, clients):
    enrol(clients["liaison"], world.session, resident.pk)
    before = snapshot(world.session)
    response = enrol(clients["liaison"], world.session, resident.pk)
    assert (response.status_code, b'data-testid="enrol-errors"' in response.content, snapshot(world.session)) == (
        200, True, before)


def test_enrolling_in_a_session_not_open_shows_why_and_changes_nothing(world, resident, clients):
    planned = f.SessionFactory(course=world.course, status="planned")
    response = enrol(clients["liaison"], planned, resident.pk, **HTMX)
    assert (response.status_code, b'data-testid="enrol-errors"' in response.content,
            Enrollment.objects.filter(session=planned).exists()) == (200, True, False)


def test_enrolling_in_a_started_session_is_refused(running, world, clients):
    session, _mine, _theirs = running
    before = snapshot(session)
    response = enrol(clients["liaison"], session, world.kanghua.pk)
    assert (response.status_code, b'data-testid="enrol-errors"' in response.content, snapshot(session)) == (
        200, True, before)


def test_enrolling_another_stations_resident_is_a_404_and_changes_nothing(world, clients):
    before = snapshot(world.session)
    response = enrol(clients["liaison"], world.session, world.outsider.pk)
    assert (response.status_code, snapshot(world.session)) == (404, before)


def test_the_other_station_cannot_enrol_our_resident(world, resident, clients):
    response = enrol(clients["other_liaison"], world.session, resident.pk)
    assert (response.status_code, Enrollment.objects.filter(resident=resident).exists()) == (404, False)


@pytest.mark.parametrize("data", [
    {}, {"resident": ""}, {"resident": "abc"}, {"resident": "-3"}, {"resident": "1.5"}, {"resident": "99999999999999999999999"},
    {"q": "x" * 500}, {"resident": "\x00"},
])
def test_garbage_enrolments_give_a_form_error_and_change_nothing(world, clients, data):
    before = snapshot(world.session)
    response = clients["liaison"].post(reverse("web:liaison-session-enrol", args=[world.session.pk]), data)
    assert (response.status_code, b'data-testid="enrol-errors"' in response.content, snapshot(world.session)) == (
        200, True, before)


@pytest.mark.parametrize("resident_id", ["999999", str(2**63 - 1)])
def test_enrolling_an_unknown_resident_is_a_404(world, clients, resident_id):
    before = snapshot(world.session)
    response = enrol(clients["liaison"], world.session, resident_id)
    assert (response.status_code, snapshot(world.session)) == (404, before)


def test_enrolling_into_a_missing_session_is_a_404(world, resident, clients):
    response = clients["liaison"].post(reverse("web:liaison-session-enrol", args=[999999]), {"resident": resident.pk})
    assert (response.status_code, Enrollment.objects.filter(resident=resident).exists()) == (404, False)


# --- Attendance ----------------------------------------------------------------------------------

def test_recording_attendance_adds_the_hours(running, clients, liaison_user):
    session, mine, _theirs = running
    response = attend(clients["liaison"], mine, session.start_date.isoformat(), "4", **HTMX)
    mine.refresh_from_db()
    record = Attendance.objects.get(enrollment=mine)
    assert (response.status_code, b'data-testid="notice"' in response.content, mine.hours_attended, record.hours,
            record.recorded_by) == (200, True, Decimal("4"), Decimal("4"), liaison_user)


def test_recording_the_same_day_again_corrects_it(running, clients):
    session, mine, _theirs = running
    attend(clients["liaison"], mine, session.start_date.isoformat(), "4")
    response = attend(clients["liaison"], mine, session.start_date.isoformat(), "3")
    mine.refresh_from_db()
    assert (response.status_code, mine.hours_attended, Attendance.objects.filter(enrollment=mine).count()) == (
        302, Decimal("3"), 1)


def test_attendance_beyond_the_sessions_hours_is_refused_on_the_hours_field(running, clients):
    session, mine, _theirs = running
    attend(clients["liaison"], mine, session.start_date.isoformat(), "6")
    before = snapshot(session)
    response = attend(clients["liaison"], mine, (session.start_date + dt.timedelta(days=1)).isoformat(), "3")
    assert (response.status_code, b'data-testid="field-error-hours"' in response.content,
            response.context["rows"][0].failed, snapshot(session)) == (200, True, "attendance", before)


@pytest.mark.parametrize("when", ["before", "after"])
def test_attendance_outside_the_sessions_dates_is_refused_on_the_date_field(running, clients, when):
    session, mine, _theirs = running
    one_day = dt.timedelta(days=1)
    day = session.start_date - one_day if when == "before" else session.end_date + one_day
    before = snapshot(session)
    response = attend(clients["liaison"], mine, day.isoformat(), "2")
    assert (response.status_code, b'data-testid="field-error-date"' in response.content, snapshot(session)) == (
        200, True, before)


def test_attendance_for_a_day_still_to_come_is_refused(running, clients):
    session, mine, _theirs = running
    before = snapshot(session)
    response = attend(clients["liaison"], mine, session.end_date.isoformat(), "2", **HTMX)
    assert (response.status_code, b'data-testid="field-error-date"' in response.content, snapshot(session)) == (
        200, True, before)


@pytest.mark.parametrize(("day", "hours"), [
    ("", ""), ("yesterday", "2"), ("2026-02-30", "2"), ("TODAY", "abc"), ("TODAY", "0"), ("TODAY", "-2"),
    ("TODAY", "25"), ("TODAY", "1.25"), ("TODAY", "1e400"), ("TODAY", "NaN"), ("TODAY", "99999"),
])
def test_garbage_attendance_gives_a_form_error_and_changes_nothing(running, clients, day, hours):
    session, mine, _theirs = running
    before = snapshot(session)
    day = session.start_date.isoformat() if day == "TODAY" else day
    response = attend(clients["liaison"], mine, day, hours)
    assert (response.status_code, response.context["rows"][0].failed, snapshot(session)) == (200, "attendance", before)


def test_attendance_for_a_waitlisted_resident_shows_why_not(world, resident, clients):
    enrollment = enrollment_create(session=world.full_session, resident=resident)
    before = snapshot(world.full_session)
    response = attend(clients["liaison"], enrollment, timezone.localdate().isoformat(), "2")
    assert (response.status_code, b'data-testid="form-errors"' in response.content, snapshot(world.full_session)) == (
        200, True, before)


# --- Completing, dropping out, cancelling ----------------------------------------------------------

def test_completing_with_a_pass_grants_the_courses_skills(running, resident, clients):
    session, mine, _theirs = running
    response = finish(clients["liaison"], mine, "yes", "GZ-2026-001")
    mine.refresh_from_db()
    link = ResidentSkill.objects.get(resident=resident, skill__code="rattan.frame_bending")
    assert (response.status_code, mine.status, mine.passed, mine.certificate_number, link.level, link.source) == (
        302, "completed", True, "GZ-2026-001", 3, "training")


def test_completing_without_a_pass_grants_nothing(running, resident, clients):
    session, mine, _theirs = running
    finish(clients["liaison"], mine, "no", **HTMX)
    mine.refresh_from_db()
    assert (mine.status, mine.passed, ResidentSkill.objects.filter(resident=resident, source="training").exists()) == (
        "completed", False, False)


def test_a_certificate_without_a_pass_is_refused_on_its_field(running, clients):
    session, mine, _theirs = running
    before = snapshot(session)
    response = finish(clients["liaison"], mine, "no", "GZ-1")
    assert (response.status_code, b'data-testid="field-error-certificate_number"' in response.content,
            snapshot(session)) == (200, True, before)


@pytest.mark.parametrize("data", [{}, {"passed": "maybe"}, {"passed": "yes", "certificate_number": "x" * 41}])
def test_garbage_completions_give_a_form_error_and_change_nothing(running, clients, data):
    session, mine, _theirs = running
    before = snapshot(session)
    response = act(clients["liaison"], "complete", mine, {f"c{mine.pk}-{k}": v for k, v in data.items()})
    assert (response.status_code, response.context["rows"][0].failed, snapshot(session)) == (200, "complete", before)


def test_completing_before_the_session_starts_is_refused(world, resident, clients):
    enrollment = enrollment_create(session=world.session, resident=resident)
    before = snapshot(world.session)
    response = finish(clients["liaison"], enrollment, "yes")
    assert (response.status_code, b'data-testid="form-errors"' in response.content, snapshot(world.session)) == (
        200, True, before)


def test_completing_twice_is_refused(running, clients):
    session, mine, _theirs = running
    finish(clients["liaison"], mine, "yes")
    before = snapshot(session)
    response = finish(clients["liaison"], mine, "no")
    assert (response.status_code, snapshot(session)) == (200, before)


def test_a_drop_out_frees_the_seat_for_the_first_on_the_waiting_list(world, resident, clients):
    today = timezone.localdate()
    session = f.SessionFactory(course=world.course, start_date=today, end_date=today + dt.timedelta(days=2), capacity=1)
    first = enrollment_create(session=session, resident=resident)
    waiting = enrollment_create(session=session, resident=world.neighbour)
    session_update(session=session, data={"start_date": today - dt.timedelta(days=1)}, allow_past_start=True)
    response = act(clients["liaison"], "drop", first, **HTMX)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (response.status_code, first.status, waiting.status, TrainingSession.objects.get(pk=session.pk).enrolled_count,
            response.context["session"].waitlisted) == (200, "dropped", "enrolled", 1, 0)


def test_cancelling_before_the_start_frees_the_seat(world, resident, clients):
    enrollment = enrollment_create(session=world.session, resident=resident)
    response = act(clients["liaison"], "enrolment-cancel", enrollment)
    enrollment.refresh_from_db()
    world.session.refresh_from_db()
    assert (response.status_code, response["Location"], enrollment.status, world.session.enrolled_count) == (
        302, roster_url(world.session), "cancelled", 0)


def test_cancelling_a_place_on_the_waiting_list(world, resident, clients):
    enrollment = enrollment_create(session=world.full_session, resident=resident)
    act(clients["liaison"], "enrolment-cancel", enrollment, **HTMX)
    enrollment.refresh_from_db()
    assert (enrollment.status, TrainingSession.objects.get(pk=world.full_session.pk).enrolled_count) == ("cancelled", 1)


def test_cancelling_after_the_start_is_refused_with_the_reason(running, clients):
    session, mine, _theirs = running
    before = snapshot(session)
    response = act(clients["liaison"], "enrolment-cancel", mine)
    assert (response.status_code, b'data-testid="row-errors"' in response.content, snapshot(session)) == (
        200, True, before)


def test_dropping_a_resident_not_enrolled_is_refused(world, resident, clients):
    enrollment = enrollment_create(session=world.full_session, resident=resident)
    before = snapshot(world.full_session)
    response = act(clients["liaison"], "drop", enrollment, **HTMX)
    assert (response.status_code, b'data-testid="row-errors"' in response.content, snapshot(world.full_session)) == (
        200, True, before)


# --- Scope and roles -----------------------------------------------------------------------------

ACTIONS = ["attendance", "complete", "drop", "enrolment-cancel"]


@pytest.mark.parametrize("action", ACTIONS)
def test_another_stations_enrolment_is_a_404_and_unchanged(running, clients, action):
    session, _mine, theirs = running
    before = snapshot(session)
    data = {f"a{theirs.pk}-date": session.start_date.isoformat(), f"a{theirs.pk}-hours": "2", f"c{theirs.pk}-passed": "yes"}
    response = act(clients["liaison"], action, theirs, data)
    assert (response.status_code, snapshot(session)) == (404, before)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_other_station_cannot_touch_our_enrolment(running, clients, action):
    session, mine, _theirs = running
    before = snapshot(session)
    response = act(clients["other_liaison"], action, mine, {f"c{mine.pk}-passed": "yes"})
    assert (response.status_code, snapshot(session)) == (404, before)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("pk", [999999, 2**63 - 1, 10**20])
def test_a_missing_enrolment_is_a_404(world, clients, action, pk):
    response = clients["liaison"].post(reverse(f"web:liaison-{action}", args=[pk]), {})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["bureau", "deputy", "resident", "anonymous"])
@pytest.mark.parametrize("action", [*ACTIONS, "enrol"])
def test_other_roles_cannot_write(running, resident, clients, role, action):
    session, mine, _theirs = running
    before = snapshot(session)
    if action == "enrol":
        response = enrol(clients[role], session, resident.pk)
    else:
        response = act(clients[role], action, mine, {f"a{mine.pk}-date": session.start_date.isoformat(),
                                                     f"a{mine.pk}-hours": "2", f"c{mine.pk}-passed": "yes"})
    expected = 302 if role == "anonymous" else 403
    assert (response.status_code, snapshot(session)) == (expected, before)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_write_addresses_refuse_a_get(running, clients, action):
    _session, mine, _theirs = running
    assert clients["liaison"].get(reverse(f"web:liaison-{action}", args=[mine.pk])).status_code == 405


def test_an_admin_sees_every_resident_on_the_roster(running, clients):
    session, mine, theirs = running
    response = clients["admin"].get(roster_url(session))
    assert ({row.pk for row in response.context["rows"]}, response.context["others"]) == ({mine.pk, theirs.pk}, 0)


# --- The resident's page -------------------------------------------------------------------------

def test_the_residents_page_lists_their_enrolments_with_a_link_to_the_roster(running, resident, clients):
    session, _mine, _theirs = running
    html = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert (f'data-testid="enrolment" data-session-id="{session.pk}" data-status="enrolled"' in html,
            f'href="{roster_url(session)}"' in html) == (True, True)


def test_course_advice_links_the_next_session_to_its_roster(world, resident, clients):
    course_skills_set(course=world.course, skills=[(Skill.objects.get(code="rattan.frame_bending"), 2)])
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    sessions = [a.next_session["id"] for a in response.context["advice"] if a.next_session]
    html = response.content.decode()
    assert (sessions, f'href="{roster_url(world.session)}?q=' in html) == ([world.session.pk], True)


def test_the_roster_costs_the_same_queries_for_one_resident_or_many(world, clients):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            clients["liaison"].get(roster_url(world.session) + "?q=居民")
        return len(captured.captured_queries)

    def enrol_one():
        enrollment_create(session=world.session, resident=f.ResidentFactory(household=f.HouseholdFactory()))

    enrol_one()
    one = queries()
    for _n in range(4):
        enrol_one()
    assert queries() == one
