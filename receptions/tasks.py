"""Celery tasks of receptions: thin and idempotent, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from . import services

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def duty_remind() -> int:
    return services.duty_reminders_send()
