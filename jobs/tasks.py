"""Celery tasks of jobs: thin and idempotent, each calls a service."""

from celery import shared_task
from django.db import OperationalError

from . import services
from .imports import postings_import_run


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def postings_expire() -> int:
    return services.postings_expire()


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def postings_import(self, job_id: int) -> int | None:
    """Import a stored postings spreadsheet; a finished import is not run again. Returns rows imported."""
    job = postings_import_run(job_id=job_id)
    return job.imported if job is not None else None
