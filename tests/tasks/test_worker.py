"""A real Celery worker on the Redis broker ranks a county in chunks, as the single-process engine does."""

import time

import pytest

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
