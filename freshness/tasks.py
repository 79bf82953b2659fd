"""Celery tasks of freshness: thin, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def changes_prune() -> int:
    """Nightly: forget the change log of old versions (a cache that old is rebuilt, not patched)."""
    return services.changes_prune()
