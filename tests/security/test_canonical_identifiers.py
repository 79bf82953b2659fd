"""One canonical form for ID numbers and phones: full-width digits cannot make a second person, and birth
dates stay within a life."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from residents import pii
from residents.models import Resident
from taxonomy.identifiers import IdentifierError, make_id_number, parse_id_number, validate_phone
from tests import factories as f
from tests.api.support import API, assert_chinese, db_state, field_errors, ids, valid_payloads

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


# --- the pure checks --------------------------------------------------------------------------------------

def test_a_full_width_id_number_is_read_as_its_ascii_form():
    number = make_id_number("520622", dt.date(1990, 5, 17), 123)
    assert parse_id_number(full_width(number[:17]) + number[17]).number == number
    assert parse_id_number("\u200b" + number[:6] + "\u200c" + number[6:] + "\ufeff").number == number


def test_a_full_width_phone_is_read_as_its_ascii_form():
    assert validate_phone("13８０００１２３４５") == "13800012345"
    assert validate_phone("１３８ ０００１ ２３４５") == "13800012345"


@pytest.mark.parametrize("digits", ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९"])  # Arabic-Indic, Devanagari: not NFKC-folded
def test_digits_of_other_scripts_are_refused(digits):
    with pytest.raises(IdentifierError):
        validate_phone("138" + digits[:8])
    with pytest.raises(IdentifierError):
        parse_id_number("5206221990" + digits[:7] + "1")


def test_a_birth_date_in_the_future_is_refused():
    today = dt.date(2026, 12, 7)
    with pytest.raises(IdentifierError) as caught:
        parse_id_number(make_id_number("520622", dt.date(2090, 1, 1), 11), today=today)
    assert caught.value.code == "birth_future"
    with pytest.raises(IdentifierError) as caught:  # without a date: today's
        parse_id_number(make_id_number("520622", dt.date.today() + dt.timedelta(days=1), 11))
    assert caught.value.code == "birth_future"
    assert parse_id_number(make_id_number("520622", today, 11), today=today).birth_date == today


def test_a_birth_date_more_than_120_years_back_is_refused():
    today = dt.date(2026, 12, 7)
    with pytest.raises(IdentifierError) as caught:
        parse_id_number(make_id_number("520622", dt.date(1906, 12, 6), 11), today=today)
    assert caught.value.code == "birth_too_old"
    assert parse_id_number(make_id_number("520622", dt.date(1906, 12, 7), 11), today=today)


# --- through the API --------------------------------------------------------------------------------------

def test_a_full_width_copy_of_a_registered_id_number_is_a_duplicate(api, world, liaison_user, resident):
    number = pii.decrypt(resident.id_number_encrypted)
    before = db_state()
    body = {**valid_payloads(world)["residents"], "id_number": full_width(number[:17]) + number[17]}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == ["id_number"]
    assert_chinese(fields["id_number"])
    assert db_state() == before


def test_a_future_birth_date_is_refused_with_a_chinese_message(api, world, liaison_user):
    before = db_state()
    body = {**valid_payloads(world)["residents"], "id_number": make_id_number("520622", dt.date(2090, 1, 1), 12)}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == ["id_number"]
    assert any("晚于今天" in message for message in fields["id_number"]), fields
    assert db_state() == before


def test_a_resident_registered_in_full_width_is_stored_and_found_in_ascii(api, world, liaison_user):
    number = f.fresh_id_number(female=True)
    body = {**valid_payloads(world)["residents"], "id_number": full_width(number), "phone": "１３９ ８７６５ ４３２１"}
    response = api.as_user(liaison_user).post(f"{API}/residents/", body, format="json")
    assert response.status_code == 201, response.content
    resident = Resident.objects.get(pk=response.json()["id"])
    assert pii.decrypt(resident.id_number_encrypted) == number
    assert pii.decrypt(resident.phone_encrypted) == "13987654321"
    client = api.as_user(liaison_user)
    for term in (number, "13987654321", full_width(number), "１３９８７６５４３２１"):
        found = client.post(f"{API}/residents/search/", {"q": term}, format="json")
        assert found.status_code == 200, found.content
        assert ids(found) == [resident.pk], term


# --- the data migration -----------------------------------------------------------------------------------

def test_the_migration_recanonicalises_rows_stored_before(world):
    resident = f.ResidentFactory()
    number = pii.decrypt(resident.id_number_encrypted)
    typed, phone_typed = full_width(number), "１３８０００１２３４５"
    Resident.objects.filter(pk=resident.pk).update(
        id_number_encrypted=pii.encrypt(typed), id_number_hash=pii.lookup_hash(typed),
        phone_encrypted=pii.encrypt(phone_typed), phone_hash=pii.lookup_hash(phone_typed))
    migration = importlib.import_module("residents.migrations.0002_canonical_identifiers")
    migration.recanonicalise(django_apps, None)
    resident.refresh_from_db()
    assert pii.decrypt(resident.id_number_encrypted) == number
    assert resident.id_number_hash == pii.lookup_hash(number)
    assert resident.phone_hash == pii.lookup_hash("13800012345")
    assert resident.phone_masked == "138****2345"
