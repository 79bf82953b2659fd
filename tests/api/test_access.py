"""Who may read and write what: the role matrix, station scope, and residents kept to themselves."""

from __future__ import annotations

import json
import re

import pytest

from residents import pii
from residents.models import PiiRevealLog, Resident

from .support import API, all_keys, db_state, error_of, ids, results

ROLES = ["bureau_user", "liaison_user", "deputy_user", "resident_user", "admin_user"]
# Expected status of GET on each list, per role, in the order of ROLES.
LIST_ACCESS = {
    "skills": (200, 200, 200, 200, 200),
    "skill-groups": (200, 200, 200, 200, 200),
    "occupations": (200, 200, 200, 200, 200),
    "places": (200, 200, 200, 200, 200),
    "households": (403, 200, 403, 403, 200),
    "residents": (403, 200, 403, 200, 200),
    "employers": (200, 200, 403, 403, 200),
    "jobs": (200, 200, 200, 200, 200),
    "courses": (200, 200, 200, 200, 200),
    "sessions": (200, 200, 200, 200, 200),
}
# Who may create (the rest get 403 before their input is even read).
CREATE_ALLOWED = {
    "households": {"liaison_user", "admin_user"},
    "residents": {"liaison_user", "admin_user"},
    "employers": {"bureau_user", "admin_user"},
    "jobs": {"bureau_user", "admin_user"},
    "courses": {"bureau_user", "admin_user"},
    "sessions": {"bureau_user", "admin_user"},
}
ID_NUMBER_LIKE = re.compile(r"\b\d{17}[\dX]\b")


def user(request, name):
    return request.getfixturevalue(name)


@pytest.mark.parametrize("resource", LIST_ACCESS)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_list_access_by_role(request, api, world, resource, role_index):
    response = api.as_user(user(request, ROLES[role_index])).get(f"{API}/{resource}/")
    assert response.status_code == LIST_ACCESS[resource][role_index]
    if response.status_code == 403:
        assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("resource", "role"),
    [(resource, role) for resource, allowed in CREATE_ALLOWED.items()
     for role in ("bureau_user", "liaison_user", "deputy_user", "resident_user") if role not in allowed],
)
def test_writes_refused_to_roles_without_them(request, api, world, resource, role):
    client = api.as_user(user(request, role))
    target = {"households": world["household"], "residents": world["neighbour"], "employers": world["employer"],
              "jobs": world["draft"], "courses": world["course"], "sessions": world["session"]}[resource]
    before = db_state()
    assert client.post(f"{API}/{resource}/", {}, format="json").status_code == 403
    assert client.put(f"{API}/{resource}/{target.pk}/", {}, format="json").status_code in (403, 404)
    assert client.delete(f"{API}/{resource}/{target.pk}/").status_code in (403, 404, 405)
    assert db_state() == before


@pytest.mark.parametrize("action", ["publish", "close"])
@pytest.mark.parametrize("role", ["liaison_user", "deputy_user", "resident_user"])
def test_only_the_bureau_publishes_and_closes(request, api, world, action, role):
    before = db_state()
    response = api.as_user(user(request, role)).post(f"{API}/jobs/{world['posting'].pk}/{action}/")
    assert response.status_code == 403
    assert db_state() == before


# --- residents keep to themselves --------------------------------------------------------------

def test_a_resident_sees_only_themself(api, world, resident_user):
    client = api.as_user(resident_user)
    assert ids(client.get(f"{API}/residents/")) == [world["resident"].pk]
    assert client.get(f"{API}/residents/{world['resident'].pk}/").status_code == 200
    for other in (world["neighbour"], world["outsider"]):
        assert client.get(f"{API}/residents/{other.pk}/").status_code == 404
        assert client.patch(f"{API}/residents/{other.pk}/", {"phone": "13800000000"}, format="json").status_code == 404
        assert client.post(f"{API}/residents/{other.pk}/reveal/", {"field": "phone", "reason": "x"},
                           format="json").status_code == 404
    assert client.get(f"{API}/households/").status_code == 403


def test_a_resident_reads_only_open_postings(api, world, resident_user):
    client = api.as_user(resident_user)
    assert ids(client.get(f"{API}/jobs/")) == [world["posting"].pk]
    assert client.get(f"{API}/jobs/{world['draft'].pk}/").status_code == 404
    assert client.get(f"{API}/courses/{world['course'].pk}/").status_code == 200
    assert client.get(f"{API}/sessions/{world['session'].pk}/").status_code == 200


def test_liaison_sees_only_their_station(api, world, liaison_user, other_liaison_user):
    client = api.as_user(liaison_user)
    listed = ids(client.get(f"{API}/residents/"))
    assert world["resident"].pk in listed
    assert world["neighbour"].pk in listed
    assert world["outsider"].pk not in listed
    assert client.get(f"{API}/residents/{world['outsider'].pk}/").status_code == 404
    assert client.get(f"{API}/households/{world['outsider'].household_id}/").status_code == 404
    assert world["outsider"].household_id not in ids(client.get(f"{API}/households/"))

    other = api.as_user(other_liaison_user)
    assert ids(other.get(f"{API}/residents/")) == [world["outsider"].pk]
    assert other.get(f"{API}/residents/{world['resident'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["bureau_user", "deputy_user"])
def test_bureau_and_deputies_get_no_residents_or_households(request, api, world, role):
    client = api.as_user(user(request, role))
    resident = world["resident"]
    assert client.get(f"{API}/residents/").status_code == 403
    assert client.get(f"{API}/residents/{resident.pk}/").status_code == 403
    assert client.get(f"{API}/residents/me/").status_code == 403
    assert client.get(f"{API}/households/{resident.household_id}/").status_code == 403
    response = client.post(f"{API}/residents/{resident.pk}/reveal/", {"field": "id_number", "reason": "核对"},
                           format="json")
    assert response.status_code == 403
    assert not PiiRevealLog.objects.exists()


@pytest.mark.parametrize("role", ["bureau_user", "deputy_user", "liaison_user", "resident_user", "admin_user"])
def test_no_id_number_in_job_or_training_responses(request, api, world, role):
    client = api.as_user(user(request, role))
    id_numbers = [pii.decrypt(r.id_number_encrypted) for r in Resident.objects.all()]
    assert len(id_numbers) == 3
    paths = [f"/jobs/?status={s}" for s in ("open", "draft", "")] + [
        f"/jobs/{world['posting'].pk}/", "/courses/", f"/courses/{world['course'].pk}/", "/sessions/",
        f"/sessions/{world['session'].pk}/", "/employers/", f"/employers/{world['employer'].pk}/",
    ]
    for path in paths:
        response = client.get(f"{API}{path}")
        if response.status_code == 403:
            continue
        assert response.status_code == 200, path
        body = response.json()
        assert not any("id_number" in key for key in all_keys(body)), path
        text = json.dumps(body)
        # The full number, or its first 14 characters (region and birth date); a 4-digit tail alone would
        # collide with timestamps' microseconds by chance.
        assert not any(number in text or number[:14] in text for number in id_numbers), path


def test_resident_output_shows_personal_data_only_masked(api, world, liaison_user):
    body = api.as_user(liaison_user).get(f"{API}/residents/{world['resident'].pk}/").json()
    keys = all_keys(body)
    assert {"id_number_masked", "phone_masked"} <= keys
    assert not keys & {"id_number", "phone", "id_number_encrypted", "id_number_hash", "phone_encrypted",
                       "phone_hash", "birth_date"}
    assert not ID_NUMBER_LIKE.search(json.dumps(body))
    assert re.fullmatch(r"\d{4}\*{10}[\dX]{4}", body["id_number_masked"])
    assert re.fullmatch(r"1\d{2}\*{4}\d{4}", body["phone_masked"])


def test_users_without_a_role_are_refused(api, world):
    from tests.factories import UserFactory

    client = api.as_user(UserFactory(username="nobody"))
    for resource in LIST_ACCESS:
        assert client.get(f"{API}/{resource}/").status_code == 403


def test_taxonomy_lists_are_not_paginated_where_they_are_short(api, world, deputy_user):
    client = api.as_user(deputy_user)
    assert isinstance(client.get(f"{API}/skills/").json(), list)
    assert isinstance(client.get(f"{API}/skill-groups/").json(), list)
    assert "results" in client.get(f"{API}/occupations/").json()
    assert len(results(client.get(f"{API}/places/?page_size=5"))) == 5
