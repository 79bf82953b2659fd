"""Pure checks of Chinese identifiers: resident ID (GB 11643), USCC (GB 32100), mobile and landline phones."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# ASCII digits only: Python's \d also matches full-width and other scripts' digits (５２０６…).
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
# Characters that print as nothing; pasted from chat apps and web pages they split or pad identifiers.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"))
OLDEST_AGE_YEARS = 120

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# A landline: area code 0 + 2–3 digits (in brackets, or followed by a hyphen or space, or run on), a local
# number of 7–8 digits, and an optional extension (-801, 转801, ext. 801, x801, #801).
_LANDLINE_RE = re.compile(
    r"^(?:\((?P<bracketed>0\d{2,3})\)\s*|(?P<area>0\d{2,3})(?:\s*-\s*|\s+)|(?P<run_on>0\d{9,11})(?!\d))"
    r"(?P<number>(?(run_on)|[1-9]\d{6,7}))"
    r"(?:\s*(?:-|#|转|分机|ext\.?|x)\s*(?P<ext>\d{1,6}))?$",
    re.IGNORECASE | re.ASCII,
)


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


def canonical_code(raw: str) -> str:
    """The one form an identifier is validated, hashed, compared and stored in: NFKC (full-width
    ５２０６… and １３８… become ASCII), characters that print as nothing removed, no white space."""
    text = unicodedata.normalize("NFKC", raw or "").translate(ZERO_WIDTH)
    return re.sub(r"\s+", "", text)


def normalise_id_number(raw: str) -> str:
    return canonical_code(raw).upper()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an 18-digit ID number and derive birth date and sex; raises IdentifierError.

    The birth date must lie between `today` (default: the current date) and 120 years before it."""
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
    today = today or date.today()
    if birth > today:
        raise IdentifierError("birth_future")
    if birth < _years_before(today, OLDEST_AGE_YEARS):
        raise IdentifierError("birth_too_old")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumberInfo(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def make_id_number(region_code: str, birth: date, sequence: int) -> str:
    """Build a valid ID number (for demo data and tests); odd sequence = male."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_digit(first17)


def normalise_uscc(raw: str) -> str:
    return canonical_code(raw).upper()


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
    phone = canonical_code(raw).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone


def validate_phone(raw: str) -> str:
    """Validate a mainland mobile number: 11 digits starting 1[3-9]; returns it normalised."""
    phone = normalise_phone(raw)
    if not _PHONE_RE.match(phone):
        raise IdentifierError("format")
    return phone


def normalise_landline(raw: str) -> str | None:
    """A landline as `area-number` or `area-number-extension` (0856-3221234, 010-12345678-801), or None.

    Written without a separator the digits are split as China's area codes are: three digits for 010 and
    020–029, four for every other (0856 3221234)."""
    text = unicodedata.normalize("NFKC", raw or "").translate(ZERO_WIDTH).strip()
    match = _LANDLINE_RE.match(text)
    if match is None:
        return None
    if match["run_on"]:
        digits = match["run_on"]
        cut = 3 if digits[1] in "12" else 4
        area, number = digits[:cut], digits[cut:]
        if not (7 <= len(number) <= 8 and number[0] != "0"):
            return None
    else:
        area, number = match["bracketed"] or match["area"], match["number"]
    return f"{area}-{number}" + (f"-{match['ext']}" if match["ext"] else "")


def validate_contact_phone(raw: str) -> str:
    """Validate an employer's contact phone: a mobile number or a landline with its area code; returns it
    normalised (13812345678, 0856-3221234, 0856-3221234-801). A resident's phone stays mobile-only."""
    try:
        return validate_phone(raw)
    except IdentifierError:
        pass
    landline = normalise_landline(raw)
    if landline is None:
        raise IdentifierError("format")
    return landline


def normalise_contact_phone(raw: str) -> str:
    """An employer's contact phone normalised when valid, else as typed (trimmed), for the validator to refuse."""
    try:
        return validate_contact_phone(raw)
    except IdentifierError:
        return (raw or "").strip()


def mask_id_number(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}" if len(number) == 18 else "*" * len(number)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "*" * len(phone)


def mask_name(name: str) -> str:
    """王小芳 → 王**: the family name only, as a public page may show it."""
    name = name.strip()
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""
