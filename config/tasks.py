"""Firing Celery tasks by name after the current transaction commits.

Lower layers use this to ask for work done by a higher layer (a posting published → matching
re-ranks) without importing it: the task is named, its module loaded only when it fires.
"""

from __future__ import annotations

import importlib

from django.db import transaction

from .celery import app


def fire(name: str, *args) -> None:
    """Queue the task `name` (dotted path) with `args` once the transaction commits (eager without a broker)."""

    def send() -> None:
        importlib.import_module(name.rsplit(".", 1)[0])
        app.tasks[name].delay(*args)

    transaction.on_commit(send)
