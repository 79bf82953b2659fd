"""Courses and training sessions through the API: the bureau writes, everyone with a role reads; a resident
reads the sessions nearest their home first."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from residents.models import Resident
from taxonomy.models import Place
from tests import factories as f
from training.models import Course, TrainingSession
from training.services import enrollment_create

from .support import API, OTHER_TOWN_PLACE, db_state, field_errors, ids, results, valid_payloads

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
    ({"code": "x" * 41}, "code"), ({"hours": 0}, "hours"), ({"name": ""}, "name"),
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


def test_sessions_are_listed_by_start_date(api, calendar, deputy_user, resident_user):
    listed = results(api.as_user(deputy_user).get(f"{API}/sessions/"))
    assert [s["start_date"] for s in listed] == sorted(s["start_date"] for s in listed)
    assert [s["id"] for s in results(api.as_user(resident_user).get(f"{API}/sessions/?ordering=-start_date"))][0] == \
        calendar["later"].pk


# --- A resident's sessions, nearest their home first ------------------------------------------

MEAN_EARTH_RADIUS_KM = 6371.0088


@pytest.fixture
def around_home(world):
    """Sessions of one course at known distances due north of the resident's home (黄岔安置点), where a
    degree of latitude is the same arc anywhere: 安坪村 0.05° (5.56 km, two sessions), 七里塘村 0.1°
    (11.12 km, starting first), and a place without coordinates."""
    home = world["resident"].household.site
    Place.objects.filter(pk=home.pk).update(latitude=27.5, longitude=108.9)
    home.refresh_from_db()
    anping, qilitang, unknown = f.place(f.ANPING), f.place(f.QILITANG), f.place(OTHER_TOWN_PLACE)
    Place.objects.filter(pk=anping.pk).update(latitude=27.55, longitude=108.9)
    Place.objects.filter(pk=qilitang.pk).update(latitude=27.6, longitude=108.9)
    Place.objects.filter(pk=unknown.pk).update(latitude=None, longitude=None, coordinates_source="unknown")
    course = f.CourseFactory(code="distance", name="家政服务")
    day = lambda n: TODAY + dt.timedelta(days=n)  # noqa: E731
    return {
        "course": course,
        "far": f.SessionFactory(course=course, place=qilitang, start_date=day(5)),
        "near_late": f.SessionFactory(course=course, place=anping, start_date=day(30)),
        "near_early": f.SessionFactory(course=course, place=anping, start_date=day(10)),
        "unknown": f.SessionFactory(course=course, place=unknown, start_date=day(1)),
    }


def test_a_resident_gets_sessions_nearest_home_first_with_the_distance(api, around_home, resident_user):
    listed = results(api.as_user(resident_user).get(f"{API}/sessions/?course={around_home['course'].pk}"))
    arc = lambda degrees: round(MEAN_EARTH_RADIUS_KM * math.radians(degrees), 1)  # noqa: E731
    assert [(s["id"], s["distance_km"]) for s in listed] == [
        (around_home["near_early"].pk, arc(0.05)), (around_home["near_late"].pk, arc(0.05)),
        (around_home["far"].pk, arc(0.1)), (around_home["unknown"].pk, None)]
    assert (arc(0.05), arc(0.1)) == (5.6, 11.1)


def test_the_nearest_sessions_come_first_across_pages(api, around_home, resident_user):
    client = api.as_user(resident_user)
    query = f"{API}/sessions/?course={around_home['course'].pk}&page_size=2"
    first, second = client.get(query).json(), client.get(f"{query}&page=2").json()
    assert (first["count"], [s["id"] for s in first["results"] + second["results"]]) == (
        4, [around_home[n].pk for n in ("near_early", "near_late", "far", "unknown")])


def test_a_resident_asking_for_an_order_gets_it_with_the_distances(api, around_home, resident_user):
    listed = results(api.as_user(resident_user).get(
        f"{API}/sessions/?course={around_home['course'].pk}&ordering=-start_date"))
    assert [(s["id"], s["distance_km"]) for s in listed] == [
        (around_home["near_late"].pk, 5.6), (around_home["near_early"].pk, 5.6), (around_home["far"].pk, 11.1),
        (around_home["unknown"].pk, None)]


def test_one_session_shows_a_resident_its_distance(api, around_home, resident_user):
    data = api.as_user(resident_user).get(f"{API}/sessions/{around_home['far'].pk}/").json()
    assert data["distance_km"] == 11.1


@pytest.mark.parametrize("who", ["bureau_user", "deputy_user", "liaison_user", "admin_user"])
def test_staff_keep_the_start_date_order_without_distances(api, request, around_home, who):
    client = api.as_user(request.getfixturevalue(who))
    listed = results(client.get(f"{API}/sessions/?course={around_home['course'].pk}"))
    one = client.get(f"{API}/sessions/{around_home['far'].pk}/").json()
    assert [(s["id"], s["distance_km"]) for s in listed] == [
        (around_home[n].pk, None) for n in ("unknown", "far", "near_early", "near_late")]
    assert one["distance_km"] is None
