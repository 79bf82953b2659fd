"""Enrolment through the API: residents themselves, liaison staff for their station; market days."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f
from training.models import Enrollment, TrainingSession

pytestmark = pytest.mark.django_db


def test_resident_enrols_and_cancels_themself(api, resident):
    session = f.SessionFactory(capacity=1)
    client = api.as_user(resident.user)
    created = client.post("/api/v1/enrollments/", {"session": session.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "enrolled"
    mine = client.get("/api/v1/enrollments/").json()["results"]
    assert [e["id"] for e in mine] == [created.json()["id"]]
    cancelled = client.post(f"/api/v1/enrollments/{created.json()['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"


def test_resident_cannot_enrol_someone_else(api, resident):
    other = f.ResidentFactory()
    response = api.as_user(resident.user).post("/api/v1/enrollments/",
                                               {"session": f.SessionFactory().pk, "resident": other.pk}, format="json")
    assert response.status_code == 400
    assert not Enrollment.objects.exists()


def test_waitlist_position_is_shown(api, liaison_user):
    session = f.SessionFactory(capacity=1)
    first, second, third = (f.ResidentFactory() for _ in range(3))
    client = api.as_user(liaison_user)
    statuses = [client.post("/api/v1/enrollments/", {"session": session.pk, "resident": r.pk}, format="json").json()
                for r in (first, second, third)]
    assert [s["status"] for s in statuses] == ["enrolled", "waitlisted", "waitlisted"]
    assert [s["waitlist_position"] for s in statuses] == [None, 1, 2]
    listed = client.get("/api/v1/enrollments/", {"session": session.pk}).json()["results"]
    assert {row["id"]: row["waitlist_position"] for row in listed} == {s["id"]: s["waitlist_position"] for s in statuses}


def test_liaison_cannot_enrol_another_station_s_resident(api, liaison_user, other_station):
    outsider = f.ResidentFactory(household=f.HouseholdFactory(site=f.place("520622001001")))
    response = api.as_user(liaison_user).post("/api/v1/enrollments/",
                                              {"session": f.SessionFactory().pk, "resident": outsider.pk},
                                              format="json")
    assert response.status_code == 400
    assert "resident" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("setup", "field"),
    [("past", "session"), ("cancelled", "session")],
)
def test_enrolling_in_a_past_or_cancelled_session_is_400(api, liaison_user, setup, field):
    resident = f.ResidentFactory()
    if setup == "past":
        start = timezone.localdate() - dt.timedelta(days=2)
        session = f.SessionFactory(start_date=start, end_date=start + dt.timedelta(days=3))
    else:
        session = f.SessionFactory(status=TrainingSession.Status.CANCELLED)
    response = api.as_user(liaison_user).post("/api/v1/enrollments/", {"session": session.pk,
                                                                       "resident": resident.pk}, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Enrollment.objects.exists()


def _running_enrollment():
    start = timezone.localdate() - dt.timedelta(days=1)
    session = TrainingSession.objects.create(course=f.CourseFactory(), start_date=start,
                                             end_date=start + dt.timedelta(days=3), place=f.place(f.PINGXI),
                                             capacity=5, hours=8, enrolled_count=1)
    return Enrollment.objects.create(session=session, resident=f.ResidentFactory(), status="enrolled")


def test_attendance_and_completion_by_liaison(api, liaison_user):
    enrollment = _running_enrollment()
    client = api.as_user(liaison_user)
    day = enrollment.session.start_date.isoformat()
    assert client.post(f"/api/v1/enrollments/{enrollment.pk}/attendance/", {"date": day, "hours": "6"},
                       format="json").status_code == 200
    too_much = client.post(f"/api/v1/enrollments/{enrollment.pk}/attendance/",
                           {"date": timezone.localdate().isoformat(), "hours": "5"}, format="json")
    assert too_much.status_code == 400
    assert "hours" in too_much.json()["error"]["fields"]
    enrollment.refresh_from_db()
    assert float(enrollment.hours_attended) == 6.0
    done = client.post(f"/api/v1/enrollments/{enrollment.pk}/complete/", {"passed": True,
                                                                         "certificate_number": "YP-1"}, format="json")
    assert done.json()["status"] == "completed"
    again = client.post(f"/api/v1/enrollments/{enrollment.pk}/complete/", {"passed": True}, format="json")
    assert again.status_code == 400


def test_resident_cannot_record_attendance(api, resident):
    enrollment = _running_enrollment()
    Enrollment.objects.filter(pk=enrollment.pk).update(resident=resident)
    response = api.as_user(resident.user).post(f"/api/v1/enrollments/{enrollment.pk}/attendance/",
                                               {"date": timezone.localdate().isoformat(), "hours": "2"},
                                               format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "payload",
    [{}, {"session": "abc"}, {"session": 10**40}, {"session": -5}, {"session": None}, "garbage"],
)
def test_garbage_enrolments_are_400(api, liaison_user, payload):
    response = api.as_user(liaison_user).post("/api/v1/enrollments/", payload, format="json")
    assert response.status_code == 400
    assert not Enrollment.objects.exists()


def test_market_days_for_a_known_month(api, resident_user):
    response = api.as_user(resident_user).get("/api/v1/market-days/?from=2026-02-15&count=3")
    assert response.json()["results"] == [
        {"date": "2026-02-17", "lunar": "正月初一", "weekday": 2},
        {"date": "2026-02-22", "lunar": "正月初六", "weekday": 7},
        {"date": "2026-02-27", "lunar": "正月十一", "weekday": 5},
    ]
    assert api.get("/api/v1/market-days/?from=yesterday").status_code == 400
    assert api.get("/api/v1/market-days/?count=1000").status_code == 400
    for far in ("0001-01-01", "9999-12-31", "2099-12-01"):  # beyond the lunar calendar: a 400, not a 500
        assert api.get(f"/api/v1/market-days/?from={far}").status_code == 400
