"""Celery tasks of jobs: thin and idempotent, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def postings_expire() -> int:
    return services.postings_expire()
