"""Firing Celery tasks by name after the current transaction commits.

Lower layers use this to ask for work done by a higher layer (a posting published → matching
re-ranks) without importing it: the task is named, its module loaded only when it fires. Bulk work
(a spreadsheet import) wraps itself in `coalesced(...)`, so thousands of per-record tasks become one.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

from .celery import app

_state = threading.local()


def fire(name: str, *args) -> None:
    """Queue the task `name` (dotted path) with `args` once the transaction commits (eager without a broker)."""
    swallowed = getattr(_state, "coalesce", None)
    if swallowed is not None and name in swallowed["names"]:
        swallowed["hit"] = True
        return

    def send() -> None:
        importlib.import_module(name.rsplit(".", 1)[0])
        app.tasks[name].delay(*args)

    transaction.on_commit(send)


@contextmanager
def coalesced(names: Iterable[str], *, into: str, args: tuple = ()) -> Iterator[None]:
    """Inside the block, tasks named in `names` are not fired one by one; if any was asked for, the
    task `into` fires once at the end (after commit)."""
    previous = getattr(_state, "coalesce", None)
    _state.coalesce = {"names": set(names), "hit": False}
    try:
        yield
        hit = _state.coalesce["hit"]
    finally:
        _state.coalesce = previous
    if hit:
        fire(into, *args)
