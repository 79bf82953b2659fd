"""Celery tasks of residents: thin and idempotent, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from .imports import residents_import_run


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def residents_import(self, job_id: int) -> int | None:
    """Import a stored residents spreadsheet; a finished import is not run again. Returns rows imported."""
    job = residents_import_run(job_id=job_id)
    return job.imported if job is not None else None
