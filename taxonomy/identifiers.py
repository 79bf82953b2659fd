"""Pure checks of Chinese identifiers: resident ID (GB 11643), USCC (GB 32100), mobile phone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class IdentifierError(ValueError):
    """An identifier that does not pass its check; `code` says which rule it broke."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IdNumberInfo:
    """What an 18-digit resident ID number says about its holder."""

    number: str
    region_code: str
    birth_date: date
    sex: str  # "M" or "F"


def normalise_id_number(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an 18-digit ID number and derive birth date and sex; raises IdentifierError."""
    number = normalise_id_number(raw)
    if len(number) != 18:
        raise IdentifierError("length")
    if not _ID_RE.match(number):
        raise IdentifierError("format")
    if id_check_digit(number[:17]) != number[17]:
        raise IdentifierError("check_digit")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("birth_date") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise IdentifierError("birth_date")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumberInfo(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def make_id_number(region_code: str, birth: date, sequence: int) -> str:
    """Build a valid ID number (for demo data and tests); odd sequence = male."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_digit(first17)


def normalise_uscc(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Validate a unified social credit code (统一社会信用代码); returns it normalised."""
    code = normalise_uscc(raw)
    if len(code) != 18:
        raise IdentifierError("length")
    if not _USCC_RE.match(code):
        raise IdentifierError("format")
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError("check_char")
    return code


def make_uscc(region_code: str, serial: int, *, kind: str = "91") -> str:
    """Build a valid USCC (for demo data and tests)."""
    body = f"{kind}{region_code}{serial:09d}"
    body = body[:17]
    return body + uscc_check_char(body)


def normalise_phone(raw: str) -> str:
    phone = re.sub(r"[\s\-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone


def validate_phone(raw: str) -> str:
    """Validate a mainland mobile number: 11 digits starting 1[3-9]; returns it normalised."""
    phone = normalise_phone(raw)
    if not _PHONE_RE.match(phone):
        raise IdentifierError("format")
    return phone


def mask_id_number(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}" if len(number) == 18 else "*" * len(number)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "*" * len(phone)
