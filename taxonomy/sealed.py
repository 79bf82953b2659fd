"""Uploaded files at rest: sealed with the personal-data keys while they wait, and identifiers kept out of reports.

A spreadsheet of residents holds ID numbers and phones, so while its import waits or runs it is kept
encrypted with the same rotatable Fernet keys as residents' personal data (`PII_ENCRYPTION_KEYS`),
and erased when the import ends. Whatever is written about the rows afterwards (the row report, a
failure) goes through `redact_identifiers`, so no full number survives the upload.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from .identifiers import mask_id_number, mask_phone


class SealBroken(Exception):
    """The sealed bytes cannot be opened with any configured key (a key was dropped, or the bytes damaged)."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def seal(content: bytes) -> bytes:
    """Encrypt with the first configured key (older keys still open it: rotation)."""
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).encrypt(bytes(content))


def unseal(sealed: bytes) -> bytes:
    try:
        return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).decrypt(bytes(sealed))
    except InvalidToken:
        raise SealBroken from None


# A run of 15 or more digits (an ID number, 18 with an X check character) or 11 digits from 1 (a mobile
# number). `\d` also takes full-width digits (５２０６…), as people sometimes type them.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXxＸｘ]|\d{15,17})(?![\dXxＸｘ])")
_PHONE = re.compile(r"(?<!\d)[1１]\d{10}(?!\d)")


def redact_identifiers(text: str) -> str:
    """`text` with every ID number and mobile number in it masked as pages show them (5206**********1234)."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)
