"""Celery tasks of stations: thin and idempotent, each calls a service."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def followups_remind() -> int:
    return services.followup_reminders_send()


@shared_task(**RETRY)
def statistics_snapshot_previous_month() -> int:
    return services.statistics_snapshot_take(period=services.previous_month(timezone.localdate()))
