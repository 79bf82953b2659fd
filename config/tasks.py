"""Firing Celery tasks by name after the current transaction commits.

Lower layers use this to ask for work done by a higher layer (a posting published → matching
re-ranks) without importing it: the task is named, its module loaded only when it fires. Bulk work
(a spreadsheet import) wraps itself in `coalesced(...)`, so thousands of per-record tasks become one.

With a broker, a write does not depend on it: the task is kept in the outbox table in the write's own
transaction, handed to the broker after the commit with a short timeout and no retries, and left in
the outbox for the drain (a beat task, every minute) when the broker cannot take it. The clerk gets
their answer at once either way, and the work is done when the broker is back.

Without a broker (eager tasks, the embedded default) the work of a web request runs once its response
has gone out (Django's `request_finished`), not inside it: the clerk who publishes a posting is answered
at once, and the re-ranking follows in the same process. Long work that a person watches (an import,
fired with `long=True`) runs instead in the process's one background thread once the transaction commits:
after-response work would hold the request's thread, and with it the browser's kept-alive connection, so
the next page (the import's progress) would wait for the whole import. One thread, so two imports run one
after the other rather than fight over SQLite's single writer. Outside a request (commands, tasks, tests
that call services) eager work runs at once, as Celery's eager mode does.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)
_state = threading.local()


def _request_started(**kwargs) -> None:
    _state.after_response = []


def _request_finished(**kwargs) -> None:
    queued, _state.after_response = getattr(_state, "after_response", None) or [], None
    for task, args in queued:
        try:
            task.apply(args=args, throw=True)
        except Exception:
            logger.exception("task %s%r, run after the response, failed", task.name, tuple(args))


request_started.connect(_request_started, dispatch_uid="lianxin-eager-after-response-start")
request_finished.connect(_request_finished, dispatch_uid="lianxin-eager-after-response-finish")


_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def _background_executor() -> ThreadPoolExecutor:
    global _background
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lianxin-background")
        return _background


def _run_in_background(task, args) -> None:
    from django.db import connections

    try:
        task.apply(args=args, throw=True)
    except Exception:
        logger.exception("task %s%r, run in the background thread, failed", task.name, tuple(args))
    finally:
        connections.close_all()  # this thread's connections only


def run_in_background(function, *args) -> Future:
    """Run `function(*args)` in the process's one background thread (eager tasks only); tests wait on the Future."""
    return _background_executor().submit(function, *args)


def fire(name: str, *args, long: bool = False) -> None:
    """Queue the task `name` (dotted path) with `args` (JSON values) once the transaction commits: through the
    outbox with a broker, eagerly without one (`long`: in the background thread when a request asked for it,
    unless `EAGER_LONG_TASKS_IN_THREAD` is off)."""
    swallowed = getattr(_state, "coalesce", None)
    if swallowed is not None and name in swallowed["names"]:
        swallowed["hit"] = True
        return

    if not app.conf.task_always_eager:
        from outbox.services import outbox_message_add, outbox_message_send

        message_id = outbox_message_add(task_name=name, args=list(args)).pk
        transaction.on_commit(lambda: outbox_message_send(message_id=message_id, task_name=name, args=list(args)))
        return

    def send() -> None:
        importlib.import_module(name.rsplit(".", 1)[0])
        task = app.tasks[name]
        queued = getattr(_state, "after_response", None)
        if queued is not None and long and getattr(settings, "EAGER_LONG_TASKS_IN_THREAD", True):
            run_in_background(_run_in_background, task, args)
        elif queued is not None:
            queued.append((task, args))
        else:
            task.delay(*args)

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
