"""Garbage in, a 4xx out, for every endpoint: never a 500, and nothing changed in the database."""

from __future__ import annotations

import json

import pytest

from .support import API, db_state, error_of, valid_payloads

GARBAGE = {
    "long_text": "字" * 10_000,
    "negative": -1,
    "huge_number": 10**30,
    "null": None,
    "list": [1, [2]],
    "object": {"id": 1},
    "boolean": True,
    "fraction": 1.5,
    "nan": "NaN",
    "nul_char": "a\x00b",
    "lone_surrogate": "\ud800",
    "unknown_id": 999_999,
}
RAW_BODIES = {"invalid_json": '{"name": ', "list": "[1, 2]", "string": '"text"', "null": "null", "number": "42"}

HOUSEHOLD = ["number", "site", "poverty_status", "address", "relocated_on"]
SELF = ["phone", "min_monthly_wage", "max_commute_km", "accepts_home_based", "accepts_outside_county", "work_time",
        "skills", "wanted_occupations", "skill_texts"]
RESIDENT = ["household", "name", "id_number", "ethnicity", "education", "employment_status", "has_disability",
            "disability_note", "care_duties", "consent_share_with_employers", "notes", *SELF]
EMPLOYER = ["name", "uscc", "place", "address", "contact_name", "contact_phone", "is_poverty_workshop"]
POSTING = ["employer", "title", "occupation", "description", "openings", "wage_min", "wage_max", "wage_unit",
           "piece_monthly_estimate", "work_mode", "work_time", "place", "hours_per_day", "hours_note", "age_min",
           "age_max", "valid_until", "skills", "skill_texts", "publish"]
COURSE = ["code", "name", "description", "hours", "skills"]
SESSION = ["course", "start_date", "end_date", "place", "venue", "capacity", "hours", "trainer",
           "partner_department", "status"]

# (who, method, path with {names} from the world fixture, fields of the body)
WRITES = {
    "households.create": ("liaison_user", "post", "/households/", HOUSEHOLD),
    "households.put": ("liaison_user", "put", "/households/{household}/", HOUSEHOLD),
    "households.patch": ("liaison_user", "patch", "/households/{household}/", HOUSEHOLD),
    "residents.create": ("liaison_user", "post", "/residents/", RESIDENT),
    "residents.put": ("liaison_user", "put", "/residents/{neighbour}/", RESIDENT),
    "residents.patch": ("liaison_user", "patch", "/residents/{neighbour}/", RESIDENT),
    "residents.self_patch": ("resident_user", "patch", "/residents/{resident}/", SELF),
    "residents.me_patch": ("resident_user", "patch", "/residents/me/", SELF),
    "residents.reveal": ("liaison_user", "post", "/residents/{neighbour}/reveal/", ["field", "reason"]),
    "employers.create": ("bureau_user", "post", "/employers/", EMPLOYER),
    "employers.put": ("bureau_user", "put", "/employers/{employer}/", EMPLOYER),
    "employers.patch": ("bureau_user", "patch", "/employers/{employer}/", EMPLOYER),
    "jobs.create": ("bureau_user", "post", "/jobs/", POSTING),
    "jobs.put": ("bureau_user", "put", "/jobs/{draft}/", POSTING[1:-1]),
    "jobs.patch": ("bureau_user", "patch", "/jobs/{posting}/", POSTING[1:-1]),
    "courses.create": ("bureau_user", "post", "/courses/", COURSE),
    "courses.put": ("bureau_user", "put", "/courses/{course}/", COURSE),
    "courses.patch": ("bureau_user", "patch", "/courses/{course}/", COURSE),
    "sessions.create": ("bureau_user", "post", "/sessions/", SESSION),
    "sessions.put": ("bureau_user", "put", "/sessions/{session}/", SESSION[1:]),
    "sessions.patch": ("bureau_user", "patch", "/sessions/{session}/", SESSION[1:]),
    "auth.token": (None, "post", "/auth/token/", ["username", "password"]),
}

LISTS = {
    "skills": ["q", "group", "limit"],
    "skill-groups": [],
    "occupations": ["q", "level"],
    "places": ["q", "level", "parent"],
    "households": ["q", "site", "poverty_status", "zero_employment"],
    "residents": ["q", "household", "site", "employment_status", "education", "has_disability", "skill",
                  "poverty_status"],
    "employers": ["q", "place", "is_poverty_workshop"],
    "jobs": ["q", "status", "employer", "occupation", "work_mode", "work_time", "wage_unit", "place",
             "is_poverty_workshop", "valid_until_after", "valid_until_before", "min_wage"],
    "courses": ["q"],
    "sessions": ["q", "course", "status", "start_date_after", "start_date_before", "place"],
}
COMMON_PARAMS = ["page", "page_size", "ordering"]
QUERY_GARBAGE = ["字" * 10_000, "-1", str(10**30), "a\x00b", "abc", "1.5", "NaN", "a " * 3000, "%_\\", "'; --", "[]",
                 "0", "true"]

DETAILS = ["households/{household}", "residents/{resident}", "employers/{employer}", "jobs/{posting}",
           "courses/{course}", "sessions/{session}", "skills/{skill}", "places/1"]
BAD_IDS = ["999999", "0", "-1", "abc", "9" * 30, "1.5", "%00", "null", "1e3"]


def client_for(request, api, who):
    return api.as_user(request.getfixturevalue(who)) if who else api


def path_for(template: str, world) -> str:
    return API + template.format(**{name: getattr(obj, "pk", obj) for name, obj in world.items()})


def send(client, method: str, path: str, body):
    """Send a body as JSON text, escaped like any client would (so a lone surrogate arrives as \\ud800)."""
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def assert_refused(response, before) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if response.get("Content-Type", "").startswith("application/json"):
        error_of(response)
    assert db_state() == before


@pytest.mark.parametrize("kind", GARBAGE)
@pytest.mark.parametrize("endpoint", WRITES)
def test_garbage_values_in_every_field(request, api, world, endpoint, kind):
    who, method, template, fields = WRITES[endpoint]
    client = client_for(request, api, who)
    before = db_state()
    response = send(client, method, path_for(template, world), {field: GARBAGE[kind] for field in fields})
    assert_refused(response, before)


@pytest.mark.parametrize("kind", RAW_BODIES)
@pytest.mark.parametrize("endpoint", WRITES)
def test_bodies_that_are_not_an_object(request, api, world, endpoint, kind):
    who, method, template, _fields = WRITES[endpoint]
    client = client_for(request, api, who)
    before = db_state()
    response = getattr(client, method)(path_for(template, world), RAW_BODIES[kind], content_type="application/json")
    assert_refused(response, before)


@pytest.mark.parametrize("endpoint", ["households.create", "employers.create", "courses.create"])
def test_a_body_that_is_not_json_at_all(request, api, world, endpoint):
    who, method, template, _fields = WRITES[endpoint]
    before = db_state()
    response = getattr(client_for(request, api, who), method)(path_for(template, world), "name=x",
                                                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert_refused(response, before)


@pytest.mark.parametrize("kind", ["long_text", "negative", "huge_number", "null", "list", "object", "nul_char",
                                  "lone_surrogate", "unknown_id"])
@pytest.mark.parametrize("resource", ["households", "residents", "employers", "jobs", "courses", "sessions"])
def test_one_bad_field_in_an_otherwise_valid_creation(request, api, world, resource, kind):
    """Each field in turn gets the garbage: either a 4xx with nothing changed, or (if it is valid
    there, like -1 as an address) a normal creation; never a 500."""
    who = {"households": "liaison_user", "residents": "liaison_user"}.get(resource, "bureau_user")
    client = client_for(request, api, who)
    valid = valid_payloads(world)[resource]
    for field in valid:
        before = db_state()
        body = {**valid, field: GARBAGE[kind]}
        response = send(client, "post", f"{API}/{resource}/", body)
        assert response.status_code < 500, (field, response.content[:300])
        if response.status_code >= 400:
            assert_refused(response, before)


@pytest.mark.parametrize("nested", [
    [{"skill": 999_999, "level": 2}], [{"skill": None}], [{"level": 3}], [{"skill": 1, "level": 9}],
    [{"skill": 1, "level": -1}], [{"skill": "x" * 10_000}], [[1, 2]], ["skill"], [{"skill": 10**30}],
    [{"skill": 1}] * 51,
])
@pytest.mark.parametrize("resource", ["residents", "jobs", "courses"])
def test_garbage_in_nested_skills(request, api, world, resource, nested):
    who = "liaison_user" if resource == "residents" else "bureau_user"
    before = db_state()
    body = {**valid_payloads(world)[resource], "skills": nested}
    response = send(client_for(request, api, who), "post", f"{API}/{resource}/", body)
    assert_refused(response, before)


@pytest.mark.parametrize("requirement", [
    {"kind": "preferred", "mandatory": True}, {"kind": "nice"}, {"mandatory": "sometimes"}, {"kind": None},
])
def test_garbage_in_posting_skill_requirements(api, world, bureau_user, requirement):
    before = db_state()
    body = {**valid_payloads(world)["jobs"], "skills": [{"skill": world["skill"].pk, "level": 2, **requirement}]}
    response = send(api.as_user(bureau_user), "post", f"{API}/jobs/", body)
    assert_refused(response, before)


@pytest.mark.parametrize("value", QUERY_GARBAGE)
@pytest.mark.parametrize("resource", LISTS)
def test_garbage_query_parameters(api, world, admin_user, resource, value):
    client = api.as_user(admin_user)
    for param in [*LISTS[resource], *COMMON_PARAMS]:
        response = client.get(f"{API}/{resource}/", {param: value})
        assert response.status_code < 500, (param, response.content[:300])
        if response.status_code >= 400:
            error_of(response)
    response = client.get(f"{API}/{resource}/", dict.fromkeys([*LISTS[resource], *COMMON_PARAMS], value))
    assert response.status_code < 500


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("detail", DETAILS)
def test_unknown_or_malformed_ids(api, world, admin_user, detail, bad_id):
    client = api.as_user(admin_user)
    resource = detail.split("/")[0]
    path = f"{API}/{resource}/{bad_id}/"
    before = db_state()
    for method in ("get", "put", "patch", "delete"):
        # A body for the writes; none for a GET, where it would be a query parameter of its own.
        response = getattr(client, method)(path, *([] if method == "get" else [{"name": "x"}]), format="json")
        assert response.status_code in (404, 405), (method, response.status_code, response.content[:300])
    extra = {"residents": ["reveal"], "jobs": ["publish", "close"]}.get(resource, [])
    for action in extra:
        response = client.post(f"{path}{action}/", {"field": "phone", "reason": "核对"}, format="json")
        assert response.status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("code", ["9-99-99-99", "abc", "9" * 30, "%00", "1-00-00-00x"])
def test_unknown_occupation_codes(api, world, deputy_user, code):
    assert api.as_user(deputy_user).get(f"{API}/occupations/{code}/").status_code == 404
