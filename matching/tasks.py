"""Celery tasks of matching: thin, idempotent, retried on transient errors; each calls a service."""

from __future__ import annotations

from celery import shared_task
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
def ranking_chunk(run_id: int, index: int) -> int:
    return services.ranking_chunk_run(run_id=run_id, index=index)


@shared_task(**RETRY)
def ranking_run_dispatch(run_id: int) -> int:
    """Send a run's chunks not done yet to the workers (again, after a worker died: each counts once)."""
    return dispatch_ranking(run_id)


@shared_task(**RETRY)
def county_ranking(k: int = 10, chunk_size: int = 2000) -> int:
    """Rank every resident seeking work, chunks spread over the workers; returns the run id.

    The last chunk done marks the run finished; `stuck_work_recover` sends again the chunks of a run
    whose workers died."""
    run, _chunks = services.ranking_run_create(k=k, chunk_size=chunk_size)
    dispatch_ranking(run.pk)
    return run.pk


def dispatch_ranking(run_id: int) -> int:
    """Send the run's chunks not done yet, one task each; returns how many were sent."""
    indexes = services.ranking_chunks_to_send(run_id=run_id)
    for index in indexes:
        ranking_chunk.delay(run_id, index)
    return len(indexes)


@shared_task(**RETRY)
def assignment_run(run_id: int) -> int:
    return services.assignment_run_execute(run_id=run_id).pk


@shared_task(**RETRY)
def assignment_acceptance(acceptance_id: int) -> int:
    """Recommend an acceptance's pairs, resuming where it stopped; returns the pairs done."""
    return services.assignment_acceptance_run(acceptance_id=acceptance_id).done


@shared_task(**RETRY)
def train_match_model() -> int:
    """Weekly: back-test and fit a new version on the latest outcomes; it activates only if it earns it."""
    from .learning.services import match_model_train

    return match_model_train().pk


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def stuck_work_recover() -> dict[str, dict[str, int]]:
    """Every minute: resume (or fail with a reason) the ranking and assignment runs and the acceptances that dead
    workers left behind."""
    return {"ranking_runs": services.ranking_runs_recover(), "assignment_runs": services.assignment_runs_recover(),
            "acceptances": services.assignment_acceptances_recover()}
