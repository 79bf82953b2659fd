"""A real Celery worker on the Redis broker ranks a county in chunks, as the single-process engine does."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from matching import services as matching
from matching import tasks as matching_tasks
from matching.models import RankingRun
from residents.models import Resident

from .test_tasks import single_process_top

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_queue():
    """Start `celery worker` in a subprocess on a queue of its own, against the test database."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
        "CELERY_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-c", "2", "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while True:
            replies = app.control.ping(timeout=1.0) or []
            if any(replies):
                break
            if worker.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{worker.stdout.read() if worker.stdout else ''}")
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_chunked_county_ranking_on_a_real_worker(celery_worker_queue):
    from django.core.management import call_command

    call_command("seed_demo", "--households", "60", "--residents", "240", "--employers", "12", "--postings", "90",
                 "--sessions", "4", "--no-history", "-v", "0")
    seeking = Resident.objects.filter(employment_status="seeking").count()
    assert seeking > 50

    run_id = matching_tasks.county_ranking.delay(k=10, chunk_size=25).get(timeout=120)
    deadline = time.monotonic() + 180
    run = RankingRun.objects.get(pk=run_id)
    while run.status != RankingRun.Status.FINISHED and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert run.status == RankingRun.Status.FINISHED
    assert run.chunks_total == -(-seeking // 25)
    assert run.chunks_done == run.chunks_total
    assert run.residents_ranked == seeking

    stored = matching.top_matches_as_arrays(list(Resident.objects.values_list("id", flat=True)))
    expected = single_process_top(10)
    assert {r: [p for p, _ in rows] for r, rows in stored.items() if r in expected} == expected
