"""Celery tasks of matching: thin, idempotent, retried on transient errors; each calls a service."""

from __future__ import annotations

from celery import chord, shared_task
from django.db import OperationalError

from . import services

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(bind=True, **RETRY)
def outcomes_import(self, job_id: int) -> int | None:
    """Import a stored outcomes spreadsheet; a finished import is not run again. Returns rows imported."""
    from .imports import outcomes_import_run

    job = outcomes_import_run(job_id=job_id)
    return job.imported if job is not None else None


@shared_task(**RETRY)
def resident_rerank(resident_id: int) -> int:
    return services.resident_rerank(resident_id=resident_id)


@shared_task(**RETRY)
def posting_rerank(posting_id: int) -> int:
    return services.posting_rerank(posting_id=posting_id)


@shared_task(**RETRY)
def ranking_chunk(run_id: int, resident_ids: list[int]) -> int:
    return services.ranking_chunk_run(run_id=run_id, resident_ids=resident_ids)


@shared_task(**RETRY)
def ranking_finish(chunk_counts: list[int], run_id: int) -> int:
    services.ranking_run_finish(run_id=run_id)
    return sum(chunk_counts)


@shared_task(**RETRY)
def county_ranking(k: int = 10, chunk_size: int = 2000) -> int:
    """Rank every resident seeking work, chunks spread over the workers (a chord); returns the run id."""
    run, chunks = services.ranking_run_create(k=k, chunk_size=chunk_size)
    dispatch_ranking(run.pk, chunks)
    return run.pk


def dispatch_ranking(run_id: int, chunks: list[list[int]]) -> None:
    """Send a run's chunks to the workers as a chord whose callback marks the run finished."""
    if chunks:
        chord(ranking_chunk.s(run_id, chunk) for chunk in chunks)(ranking_finish.s(run_id))


@shared_task(**RETRY)
def assignment_run(run_id: int) -> int:
    return services.assignment_run_execute(run_id=run_id).pk


@shared_task(**RETRY)
def train_match_model() -> int:
    """Weekly: back-test and fit a new version on the latest outcomes; it activates only if it earns it."""
    from .learning.services import match_model_train

    return match_model_train().pk
