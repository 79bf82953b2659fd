"""Sending the tasks of the outbox: at once after the write commits, and later by `outbox_drain`."""

from __future__ import annotations

import datetime as dt
import importlib
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A message younger than this may still be on its way from the request that wrote it.
DRAIN_AFTER_SECONDS = 30


def _task(name: str):
    from config.celery import app

    importlib.import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]


def outbox_message_add(*, task_name: str, args: list) -> OutboxMessage:
    """Keep a task to send (in the caller's transaction: it commits with the write that asked for it)."""
    return OutboxMessage.objects.create(task_name=task_name, args=list(args))


def outbox_message_send(*, message_id: int, task_name: str, args: list) -> bool:
    """Hand one task to the broker, failing fast; the row goes once the broker has it. False if it is down."""
    try:
        _task(task_name).apply_async(args=args, ignore_result=True, retry=False)
    except Exception as exc:  # the broker is down or unreachable: the row waits for the drain
        logger.warning("broker did not take %s%r (kept in the outbox): %s", task_name, tuple(args), exc)
        OutboxMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1,
                                                           last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    OutboxMessage.objects.filter(pk=message_id).delete()
    return True


def outbox_drain(*, limit: int = 1000, now: dt.datetime | None = None) -> int:
    """Send what waits in the outbox, oldest first, until it is empty or the broker fails again.

    Each batch is taken under SKIP LOCKED so two drains never send the same row; a row is deleted in
    the drain's transaction after the broker took it (a crash in between sends it twice: the tasks are
    idempotent). Returns how many were sent."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=DRAIN_AFTER_SECONDS)
    sent = 0
    while sent < limit:
        with transaction.atomic():
            batch = list(OutboxMessage.objects.filter(created_at__lte=cutoff).order_by("id")
                         .select_for_update(skip_locked=True)[:100])
            if not batch:
                return sent
            for message in batch:
                if not outbox_message_send(message_id=message.pk, task_name=message.task_name, args=message.args):
                    return sent
                sent += 1
    return sent
