"""Caches keyed on domain versions: shared across processes (Django's cache: Redis when configured) for
small values such as a dashboard's figures, and kept in the process, patched from the change log, for
large ones such as the engine's indexes (see matching/indexes.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

from .selectors import may_cache, versions_key

T = TypeVar("T")
_MISSING = object()


def shared_key(name: str, domains: Iterable[str], *parts: object) -> str:
    """A cache key naming `name`, the current versions of `domains` and any other parts (scope, period,
    language…)."""
    detail = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"lianxin:{name}:{versions_key(domains)}:{detail}"


def shared_cached(name: str, *, domains: Iterable[str], parts: tuple = (), build: Callable[[], T],
                  timeout: int = 6 * 3600) -> T:
    """The value `build()` returns, kept in the shared cache until a version of `domains` moves (or the
    timeout passes). Never stored from inside a transaction that wrote versions and has not committed."""
    key = shared_key(name, domains, *parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        if may_cache():
            cache.set(key, value, timeout)
    return value
