"""Django validators around the pure identifier checks, with translatable messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import (
    IdentifierError,
    parse_id_number,
    validate_contact_phone,
    validate_phone,
    validate_uscc,
)
from .text import BIDI_CONTROLS

ID_NUMBER_MESSAGES = {
    "length": _("An ID number has 18 characters."),
    "format": _("An ID number is 17 digits followed by a digit or X."),
    "check_digit": _("The ID number's check digit is wrong; please check the number."),
    "birth_date": _("The ID number contains an impossible birth date."),
    "birth_future": _("The birth date in the ID number is in the future; please check the number."),
    "birth_too_old": _("The birth date in the ID number is more than 120 years ago; please check the number."),
}
USCC_MESSAGES = {
    "length": _("A unified social credit code has 18 characters."),
    "format": _("The unified social credit code contains characters that are not allowed."),
    "check_char": _("The unified social credit code's check character is wrong; please check the code."),
}
PHONE_MESSAGE = _("A mobile number is 11 digits starting with 13–19.")
CONTACT_PHONE_MESSAGE = _(
    "Enter a mobile number (11 digits starting with 13–19) or a landline with its area code, such as 0856-3221234."
)


def id_number_validator(value: str) -> None:
    try:
        parse_id_number(value)
    except IdentifierError as exc:
        raise ValidationError(ID_NUMBER_MESSAGES[exc.code], code=f"id_number_{exc.code}") from None


def uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except IdentifierError as exc:
        raise ValidationError(USCC_MESSAGES[exc.code], code=f"uscc_{exc.code}") from None


def phone_validator(value: str) -> None:
    try:
        validate_phone(value)
    except IdentifierError:
        raise ValidationError(PHONE_MESSAGE, code="phone_format") from None


def contact_phone_validator(value: str) -> None:
    """An employer's contact phone: a mobile number or a landline with its area code."""
    try:
        validate_contact_phone(value)
    except IdentifierError:
        raise ValidationError(CONTACT_PHONE_MESSAGE, code="contact_phone_format") from None


BIDI_MESSAGE = _("Remove the invisible direction-control characters (such as U+202E) from this text.")


def no_bidi_controls(value: str) -> None:
    """Names and titles may not hold bidirectional overrides, which make text display in another order."""
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        raise ValidationError(BIDI_MESSAGE, code="bidi_control")
