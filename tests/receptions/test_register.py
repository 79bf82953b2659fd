"""Registering a resident on the reception page: the resident services and the profile form's checks (all errors
at once, in Chinese), the ID number protected and never registered twice (the person already registered is
offered instead), and only the station's staff and deputies may do it."""

from __future__ import annotations

import pytest
from django.test import Client

from receptions.models import Reception
from receptions.selectors import reception_households, reception_residents
from residents import pii
from residents.models import Household, Resident
from residents.selectors import resident_by_id_number
from tests import factories as f

pytestmark = pytest.mark.django_db
PAGE = "/desk/reception/"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _state():
    return Resident.objects.count(), Household.objects.count()


def _new(**values) -> dict:
    return {"step": "register", "household_number": "HC-0901", "site": f.place(f.HUANGCHA_SITE).pk,
            "name": "吴秀英", "id_number": f.fresh_id_number(female=True), "phone": "13987654321", **values}


@pytest.mark.parametrize("role", ["liaison_user", "deputy_user"])
def test_staff_and_deputies_register_a_new_resident_and_receive_them(request, role, station):
    client = _client(request.getfixturevalue(role))
    body = _new()
    response = client.post(PAGE, body)
    assert response.status_code == 302
    made = Resident.objects.get(name="吴秀英")
    assert response["Location"] == f"{PAGE}?resident={made.pk}"
    assert made.household.number == "HC-0901"
    assert made.name_initials == "wxy"
    assert made.id_number_hash == pii.lookup_hash(body["id_number"])
    assert body["id_number"] not in made.id_number_encrypted
    assert made.id_number_masked.endswith(body["id_number"][-4:])
    assert made.phone_masked == "139****4321"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="reception-resident">吴秀英' in page
    assert body["id_number"] not in page
    assert client.post(PAGE, {"resident": made.pk, "topic": "other", "note": "孩子转学"}).status_code == 302
    assert Reception.objects.get().resident == made


def test_an_existing_household_of_the_station_takes_the_new_member(liaison_user, resident):
    household = resident.household
    response = _client(liaison_user).post(PAGE, _new(household_number=household.number, site=""))
    assert response.status_code == 302
    assert Resident.objects.get(name="吴秀英").household == household
    assert Household.objects.count() == 1


def test_a_registered_id_number_offers_the_person_instead_of_a_duplicate(liaison_user, room1):
    number = f.fresh_id_number()
    known = f.ResidentFactory(name="王小芳", id_number=number)
    before = _state()
    response = _client(liaison_user).post(PAGE, _new(name="王晓芳", id_number=number.lower()))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="already-registered"' in html
    assert f'href="?resident={known.pk}" data-testid="continue-existing"' in html
    assert known.id_number_masked in html
    assert number not in html
    assert _state() == before


def test_an_id_number_registered_at_another_station_is_refused_without_showing_who(liaison_user, other_station):
    number = f.fresh_id_number()
    f.ResidentFactory(name="外站居民", household=f.HouseholdFactory(site=f.place("520622001001")), id_number=number)
    before = _state()
    response = _client(liaison_user).post(PAGE, _new(id_number=number))
    assert response.status_code == 400
    html = response.content.decode()
    assert "外站居民" not in html
    assert 'data-testid="field-error-id_number"' in html
    assert _state() == before


def test_garbage_shows_every_wrong_field_at_once_in_chinese_and_keeps_nothing(liaison_user, station):
    valid = f.fresh_id_number()
    wrong = valid[:-1] + ("1" if valid[-1] == "0" else "0")
    before = _state()
    response = _client(liaison_user).post(PAGE, _new(
        household_number="HC-0902", site="", name="", id_number=wrong, phone="12345"))
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("site", "name", "id_number", "phone"):
        assert f'data-testid="field-error-{field}"' in html, field
    assert "身份证号校验位错误" in html  # the check digit named, in Chinese
    assert _state() == before


@pytest.mark.parametrize("body", [
    {"site": "999999999"}, {"site": "abc"}, {"id_number": "x" * 40}, {"name": "x" * 41}, {"household_number": ""},
    {"household_number": "x" * 31},
])
def test_bad_single_fields_are_a_400_that_changes_nothing(liaison_user, station, body):
    before = _state()
    assert _client(liaison_user).post(PAGE, _new(**body)).status_code == 400
    assert _state() == before


def test_a_household_of_another_station_cannot_take_the_new_member(other_liaison_user, resident):
    before = _state()
    response = _client(other_liaison_user).post(PAGE, _new(household_number=resident.household.number))
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize(("role", "expected"), [("bureau_user", 403), ("resident_user", 403)])
def test_only_those_who_receive_may_register(request, role, expected, station):
    client = _client(request.getfixturevalue(role))
    before = _state()
    assert client.post(PAGE, _new()).status_code == expected
    assert _state() == before


def test_anonymous_visitors_are_sent_to_log_in(station):
    response = Client().post(PAGE, _new())
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert Resident.objects.count() == 0


def test_the_reception_scope_is_the_station_s_places(liaison_user, deputy_user, bureau_user, resident,
                                                     other_station):
    outsider = f.ResidentFactory(household=f.HouseholdFactory(site=f.place("520622001001")))
    for user in (liaison_user, deputy_user):
        assert list(reception_residents(user)) == [resident]
        assert list(reception_households(user)) == [resident.household]
    assert not reception_residents(bureau_user).exists()
    assert not reception_households(resident.user).exists()
    assert resident_by_id_number("not a number") is None
    assert resident_by_id_number(f.fresh_id_number()) is None
    assert outsider not in reception_residents(deputy_user)


def test_a_deputy_finds_residents_of_the_station_on_the_reception_page(deputy_user, resident):
    html = _client(deputy_user).get(f"{PAGE}?q=wxf").content.decode()
    assert f'href="?resident={resident.pk}" data-testid="pick-resident"' in html


def test_nobody_found_opens_the_register_form_with_the_name_typed(liaison_user, station):
    html = _client(liaison_user).get(f"{PAGE}?q=吴秀英").content.decode()
    assert 'data-testid="quick-register" open' in html
    assert 'value="吴秀英"' in html
