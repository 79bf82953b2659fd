"""Households through the API: liaison staff keep those of their station's places."""

from __future__ import annotations

import pytest

from residents.models import Household
from tests import factories as f

from .support import API, OTHER_TOWN_PLACE, db_state, field_errors, ids, valid_payloads


def test_liaison_registers_and_changes_a_household(api, world, liaison_user):
    client = api.as_user(liaison_user)
    response = client.post(f"{API}/households/", valid_payloads(world)["households"], format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["site"]["name"] == "黄岔安置点"
    assert data["poverty_status"] == "lifted"
    assert data["members_count"] == 0
    assert data["zero_employment"] is True
    response = client.patch(f"{API}/households/{data['id']}/", {"poverty_status": "monitored", "address": "4 栋"},
                            format="json")
    assert response.status_code == 200
    household = Household.objects.get(pk=data["id"])
    assert (household.poverty_status, household.address, household.relocated_on.isoformat()) == (
        "monitored", "4 栋", "2019-06-01")


def test_a_household_outside_the_station_is_refused(api, world, liaison_user):
    before = db_state()
    body = {**valid_payloads(world)["households"], "site": f.place(OTHER_TOWN_PLACE).pk}
    assert list(field_errors(api.as_user(liaison_user).post(f"{API}/households/", body, format="json"))) == ["site"]
    response = api.as_user(liaison_user).patch(f"{API}/households/{world['household'].pk}/",
                                               {"site": f.place(OTHER_TOWN_PLACE).pk}, format="json")
    assert list(field_errors(response)) == ["site"]
    assert db_state() == before


def test_a_duplicate_number_names_the_field(api, world, liaison_user):
    body = {**valid_payloads(world)["households"], "number": world["household"].number}
    assert list(field_errors(api.as_user(liaison_user).post(f"{API}/households/", body, format="json"))) == ["number"]


def test_households_are_not_deleted_through_the_api(api, world, liaison_user):
    assert api.as_user(liaison_user).delete(f"{API}/households/{world['household'].pk}/").status_code == 405


def test_members_count_and_zero_employment(api, world, liaison_user):
    household = world["household"]
    f.ResidentFactory(household=household, employment_status="seeking")
    client = api.as_user(liaison_user)
    data = client.get(f"{API}/households/{household.pk}/").json()
    assert data["members_count"] == 2
    assert data["zero_employment"] is True
    employed = world["neighbour"].household
    assert client.get(f"{API}/households/{employed.pk}/").json()["zero_employment"] is False
    assert ids(client.get(f"{API}/households/?zero_employment=true")) == [household.pk]
    assert ids(client.get(f"{API}/households/?zero_employment=false")) == [employed.pk]


@pytest.mark.parametrize(("query", "expected"), [
    ("poverty_status=monitored", "neighbour"), ("poverty_status=none", "resident"),
    ("site={kanghua}", "neighbour"), ("q={number}", "resident"),
])
def test_household_filters(api, world, liaison_user, query, expected):
    query = query.format(kanghua=f.place(f.KANGHUA_SITE).pk, number=world["household"].number)
    assert ids(api.as_user(liaison_user).get(f"{API}/households/?{query}")) == [world[expected].household_id]
