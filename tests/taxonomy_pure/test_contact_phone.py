"""An employer's contact phone: a mobile number or a landline with its area code; a resident's stays mobile-only."""

from __future__ import annotations

import pytest

from taxonomy.identifiers import (
    IdentifierError,
    normalise_contact_phone,
    normalise_landline,
    validate_contact_phone,
    validate_phone,
)


@pytest.mark.parametrize(("typed", "stored"), [
    ("13812345678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("0856-3221234", "0856-3221234"),
    ("0856 3221234", "0856-3221234"),
    ("08563221234", "0856-3221234"),
    ("(0856)3221234", "0856-3221234"),
    ("（0856）3221234", "0856-3221234"),  # full-width brackets, as typed with a Chinese input method
    ("０８５６－３２２１２３４", "0856-3221234"),  # full-width digits
    ("010-12345678", "010-12345678"),
    ("01012345678", "010-12345678"),  # run on: 010 and 02x are the three-digit area codes
    ("02112345678", "021-12345678"),
    ("075512345678", "0755-12345678"),
    ("0856-3221234-801", "0856-3221234-801"),
    ("0856-3221234转801", "0856-3221234-801"),
    ("0856-3221234 ext. 12", "0856-3221234-12"),
    ("0856 - 3221234", "0856-3221234"),
])
def test_a_mobile_or_a_landline_with_its_area_code_is_accepted(typed, stored):
    assert validate_contact_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "3221234",  # no area code
    "0856-322123",  # local number too short
    "0856-322123456",  # too long
    "0856-0221234",  # a local number does not start with 0
    "0211234",
    "085632212",
    "0101234567890",
    "0856--3221234",
    "0856-3221234-",
    "12912345678",  # not a mobile prefix
    "1381234",
    "abc",
])
def test_anything_else_is_refused(typed):
    with pytest.raises(IdentifierError) as caught:
        validate_contact_phone(typed)
    assert caught.value.code == "format"


@pytest.mark.parametrize("stored", ["13812345678", "0856-3221234", "010-12345678", "0856-3221234-801"])
def test_a_stored_contact_phone_validates_as_itself(stored):
    assert validate_contact_phone(stored) == stored


def test_a_residents_phone_stays_mobile_only():
    with pytest.raises(IdentifierError):
        validate_phone("0856-3221234")
    assert normalise_landline("13812345678") is None


def test_an_invalid_contact_phone_is_kept_as_typed_for_the_validator_to_refuse():
    assert (normalise_contact_phone(" 3221234 "), normalise_contact_phone("0856 3221234")) == (
        "3221234", "0856-3221234")
