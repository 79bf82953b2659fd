"""Protection of personal data at rest: Fernet encryption (rotatable keys) and keyed lookup hashes."""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    """Encrypt with the first configured key; older keys still decrypt (rotation)."""
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """A keyed hash (HMAC-SHA256) so equal values can be found and kept unique without decrypting."""
    return hmac.new(settings.PII_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
