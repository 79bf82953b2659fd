"""Tracking codes of anonymous requests: made at random, read back forgivingly, kept only as a keyed hash."""

from __future__ import annotations

import secrets
import unicodedata

from residents import pii

# Letters and digits that are not mistaken for one another when read off a phone or written down.
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10  # 32**10 ≈ 10**15 codes, asked with the phone's last four digits and throttled


def tracking_code_new() -> str:
    """A fresh code for an anonymous submitter, e.g. K7Q4M-9PX2R (read in two groups of five)."""
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def tracking_code_clean(raw: str) -> str:
    """What a person typed, as the code it means: half-width capitals, without the spaces and dashes."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", raw or "").upper() if ch.isascii() and ch.isalnum())


def tracking_hash(raw: str) -> str:
    """The keyed hash kept instead of the code (domain-separated from the other lookup hashes)."""
    return pii.lookup_hash(f"request-tracking:{tracking_code_clean(raw)}")
