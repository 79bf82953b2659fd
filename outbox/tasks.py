"""Celery tasks of the outbox: thin, each calls a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def outbox_drain() -> int:
    """Every minute: send the tasks the broker could not take when their writes committed."""
    return services.outbox_drain()
