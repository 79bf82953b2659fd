"""GB 11643 ID numbers, GB 32100 USCCs and mobile numbers (pure, no database)."""

import datetime as dt

import pytest

from taxonomy.identifiers import (
    IdentifierError,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_phone,
    parse_id_number,
    validate_phone,
    validate_uscc,
)


def test_known_id_number_parses_with_birth_date_and_sex():
    # The standard's own example: 11010519491231002X, a woman born 1949-12-31.
    info = parse_id_number("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"
    assert info.region_code == "110105"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "check_digit"),
        ("11010519491231002", "length"),
        ("1101051949123100XX", "format"),
        ("110105194913310021", "birth_date"),
        ("", "length"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(number, code):
    with pytest.raises(IdentifierError) as caught:
        parse_id_number(number)
    assert caught.value.code == code


def test_made_id_numbers_are_valid_and_carry_sex():
    male = make_id_number("520622", dt.date(1990, 5, 17), 11)
    female = make_id_number("520622", dt.date(1990, 5, 17), 12)
    assert parse_id_number(male).sex == "M"
    assert parse_id_number(female).sex == "F"
    assert parse_id_number(male).birth_date == dt.date(1990, 5, 17)


def test_known_uscc_is_valid_and_a_changed_character_is_not():
    code = "91350100M000100Y43"  # a published example code
    assert validate_uscc(code) == code
    with pytest.raises(IdentifierError) as caught:
        validate_uscc("91350100M000100Y44")
    assert caught.value.code == "check_char"


@pytest.mark.parametrize(("raw", "code"), [("91350100M000100Y4", "length"), ("91350100M000100YI3", "format")])
def test_malformed_uscc(raw, code):
    with pytest.raises(IdentifierError) as caught:
        validate_uscc(raw)
    assert caught.value.code == code


def test_made_uscc_is_valid():
    assert validate_uscc(make_uscc("520622", 12345))


@pytest.mark.parametrize("phone", ["13912345678", "+86 139-1234-5678", "19900001111"])
def test_good_phones(phone):
    assert validate_phone(phone).startswith("1")


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "139123456789", "abc", "23912345678"])
def test_bad_phones(phone):
    with pytest.raises(IdentifierError):
        validate_phone(phone)


def test_masks_hide_the_middle():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_phone("13912345678") == "139****5678"
