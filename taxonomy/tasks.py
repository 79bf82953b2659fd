"""Celery tasks of taxonomy: thin, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from .imports import import_jobs_recover


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def imports_recover() -> dict[str, int]:
    """Every minute: start again the imports a dead worker left behind, or fail them with a reason."""
    return import_jobs_recover()
