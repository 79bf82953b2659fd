"""Finding background work that a dead worker left behind (imports, ranking runs, assignment runs, accepts).

A worker killed mid-task (SIGKILL, OOM, a lost machine) leaves its job marked running. The recovery
beat tasks of each app look for such jobs with the helpers here and either start them again (each
task is idempotent) or, after a few attempts, fail them with a reason that staff see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

DEFAULTS = {
    # A job marked running this long without a sign of life counts as abandoned.
    "GRACE_SECONDS": 120,
    # A job whose work is spread over many tasks (a ranking run's chunks, an accept's pairs) and that has
    # not advanced for this long counts as abandoned (its chunks may wait in a busy queue meanwhile).
    "IDLE_SECONDS": 600,
    # A job still waiting for a worker this long after it was queued is queued again (the message was lost).
    "PENDING_SECONDS": 600,
    # Times a job is started before it fails for good.
    "MAX_ATTEMPTS": 3,
}


def stuck_settings() -> dict[str, int]:
    """`settings.STUCK_WORK` over the defaults."""
    return {**DEFAULTS, **getattr(settings, "STUCK_WORK", {})}


def running_grace_seconds() -> int:
    """How long a job marked running may go before the recovery looks at it: the grace period where a live
    worker's row lock tells (PostgreSQL), else the longest a task may run (`CELERY_TASK_TIME_LIMIT`)."""
    limits = stuck_settings()
    if connection.features.has_select_for_update_skip_locked:
        return limits["GRACE_SECONDS"]
    return max(limits["GRACE_SECONDS"], int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 0) or 0))


def unlocked(queryset: QuerySet) -> list[int]:
    """Ids of the rows of `queryset` that no live transaction holds locked, locked now by the caller's.

    A job that a worker is running holds its row locked for the whole run; when the worker dies its
    database connection closes and the lock goes with it. So on PostgreSQL a row marked running that
    nobody holds is abandoned. Call inside a transaction. Without row locks (SQLite, the embedded
    default with eager tasks) every row is taken: `running_grace_seconds` is then the only test.
    """
    if not connection.features.has_select_for_update_skip_locked:
        return list(queryset.values_list("pk", flat=True))
    return list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True))
