"""Courses and training sessions through the API: the bureau writes, everyone with a role reads."""

from __future__ import annotations

import datetime as dt

import pytest

from residents.models import Resident
from tests import factories as f
from training.models import Course, TrainingSession
from training.services import enrollment_create

from .support import API, db_state, field_errors, ids, results, valid_payloads

TODAY = dt.date.today()


def test_bureau_adds_a_course_with_skills_and_changes_it(api, world, bureau_user, test_skills):
    client = api.as_user(bureau_user)
    response = client.post(f"{API}/courses/", valid_payloads(world)["courses"], format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["hours"] == 32
    assert data["sessions_count"] == 0
    assert [(s["skill"]["code"], s["level"]) for s in data["skills"]] == [("zz.exact", 3)]
    response = client.patch(f"{API}/courses/{data['id']}/", {
        "name": "家政服务高级", "skills": [{"skill": test_skills["other"].pk, "level": 4}]}, format="json")
    assert response.status_code == 200, response.content
    course = Course.objects.get(pk=data["id"])
    assert course.name == "家政服务高级"
    assert list(course.skill_links.values_list("skill__code", "level")) == [("zz.other", 4)]


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "not a slug"}, "code"), ({"hours": 0}, "hours"), ({"name": ""}, "name"),
    ({"code": "rattan-basic"}, "code"), ({"skills": [{"skill": 1, "level": 6}]}, "skills.0.level"),
])
def test_course_validation(api, world, bureau_user, change, field):
    before = db_state()
    body = {**valid_payloads(world)["courses"], **change}
    assert list(field_errors(api.as_user(bureau_user).post(f"{API}/courses/", body, format="json"))) == [field]
    assert db_state() == before


def test_a_course_with_sessions_is_not_deleted(api, world, bureau_user):
    client = api.as_user(bureau_user)
    assert "non_field_errors" in field_errors(client.delete(f"{API}/courses/{world['course'].pk}/"))
    empty = f.CourseFactory()
    assert client.delete(f"{API}/courses/{empty.pk}/").status_code == 204


def test_bureau_schedules_and_changes_a_session(api, world, bureau_user):
    client = api.as_user(bureau_user)
    response = client.post(f"{API}/sessions/", valid_payloads(world)["sessions"], format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["course"] == {"id": world["course"].pk, "code": "rattan-basic", "name": "藤椅加工基础"}
    assert (data["capacity"], data["enrolled_count"], data["seats_left"], data["hours"]) == (25, 0, 25, 40)
    assert data["place"]["name"] == "康华社区"
    assert data["status"] == "open"
    assert TrainingSession.objects.get(pk=data["id"]).created_by == bureau_user
    response = client.patch(f"{API}/sessions/{data['id']}/", {"status": "cancelled", "capacity": 30}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize(("change", "field"), [
    ({"end_date": str(TODAY)}, "end_date"), ({"capacity": 0}, "capacity"), ({"start_date": "tomorrow"}, "start_date"),
    ({"course": 999_999}, "course"), ({"status": "maybe"}, "status"), ({"hours": -3}, "hours"),
])
def test_session_validation(api, world, bureau_user, change, field):
    before = db_state()
    body = {**valid_payloads(world)["sessions"], "start_date": str(TODAY + dt.timedelta(days=3)), **change}
    assert list(field_errors(api.as_user(bureau_user).post(f"{API}/sessions/", body, format="json"))) == [field]
    assert db_state() == before


def test_capacity_cannot_drop_below_those_enrolled(api, world, bureau_user):
    session = world["session"]
    enrollment_create(session=session, resident=world["resident"])
    enrollment_create(session=session, resident=world["neighbour"])
    client = api.as_user(bureau_user)
    assert list(field_errors(client.patch(f"{API}/sessions/{session.pk}/", {"capacity": 1}, format="json"))) == [
        "capacity"]
    data = client.get(f"{API}/sessions/{session.pk}/").json()
    assert (data["enrolled_count"], data["seats_left"]) == (2, 18)
    assert "non_field_errors" in field_errors(client.delete(f"{API}/sessions/{session.pk}/"))
    assert Resident.objects.count() == 3


def test_the_course_of_a_session_cannot_change(api, world, bureau_user):
    other = f.CourseFactory()
    response = api.as_user(bureau_user).patch(f"{API}/sessions/{world['session'].pk}/", {"course": other.pk},
                                              format="json")
    assert list(field_errors(response)) == ["course"]


@pytest.fixture
def calendar(world):
    later = f.SessionFactory(course=world["course"], start_date=TODAY + dt.timedelta(days=40),
                             place=f.place(f.HUANGCHA_SITE), status="planned")
    housekeeping = f.SessionFactory(course=f.CourseFactory(name="家政服务"), start_date=TODAY + dt.timedelta(days=20))
    return {"soon": world["session"], "later": later, "housekeeping": housekeeping}


@pytest.mark.parametrize(("query", "expected"), [
    ("course={course}", ["soon", "later"]),
    ("status=planned", ["later"]),
    ("place={huangcha}", ["later"]),
    ("start_date_after={in30}", ["later"]),
    ("start_date_before={in30}", ["soon", "housekeeping"]),
    ("start_date_after={in10}&start_date_before={in30}", ["housekeeping"]),
    ("q=家政", ["housekeeping"]),
])
def test_session_filters(api, calendar, world, deputy_user, query, expected):
    query = query.format(course=world["course"].pk, huangcha=f.place(f.HUANGCHA_SITE).pk,
                         in10=TODAY + dt.timedelta(days=10), in30=TODAY + dt.timedelta(days=30))
    assert ids(api.as_user(deputy_user).get(f"{API}/sessions/?{query}")) == [calendar[n].pk for n in expected]


def test_sessions_are_listed_by_start_date(api, calendar, resident_user):
    listed = results(api.as_user(resident_user).get(f"{API}/sessions/"))
    assert [s["start_date"] for s in listed] == sorted(s["start_date"] for s in listed)
    assert [s["id"] for s in results(api.as_user(resident_user).get(f"{API}/sessions/?ordering=-start_date"))][0] == \
        calendar["later"].pk
