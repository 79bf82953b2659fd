"""Tasks that survive a worker killed with SIGKILL mid-import and mid-ranking (real worker, Redis, PostgreSQL).

The import rolls back whole (nothing half-imported) and the recovery beat task starts it again on the
next worker; the ranking's killed chunk rolls back, the others count once, and the run finishes."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from matching import services as matching
from matching import tasks as matching_tasks
from matching.models import RankingRun
from residents.imports import residents_import_create
from residents.models import Resident
from residents.tasks import residents_import
from taxonomy.imports import import_jobs_recover, progress_key
from taxonomy.models import ImportJob

from ..imports.conftest import xlsx_bytes
from ..imports.test_residents import HEADERS, _id, resident_row
from .conftest import Worker
from .test_tasks import single_process_top

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, *, seconds: float, what: str, every: float = 0.1, between=None):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        if between is not None:
            between()
        time.sleep(every)


@pytest.fixture
def quick_recovery(settings):
    """The recovery task's limits, short enough for a test (production: minutes)."""
    settings.STUCK_WORK = {"GRACE_SECONDS": 1, "IDLE_SECONDS": 3, "PENDING_SECONDS": 600, "MAX_ATTEMPTS": 3}


def test_an_import_killed_midway_leaves_nothing_and_completes_on_the_next_worker(worker_queue, quick_recovery):
    rows = [resident_row(household_number=f"PX-{n // 3:04d}", name=f"群众{n}", id_number=_id(100 + n), phone=None)
            for n in range(150)]
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, rows))
    cache.delete(progress_key(job.pk))  # the shared cache may remember an earlier test's job of this id
    first = Worker(worker_queue, concurrency=1).start()
    try:
        residents_import.delay(job.pk)
        wait_for(lambda: int(cache.get(progress_key(job.pk)) or 0) >= 1
                 and ImportJob.objects.filter(pk=job.pk, status="running").exists(),
                 seconds=60, what="the import under way")
        first.kill()
    finally:
        first.stop()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert Resident.objects.count() == 0  # its transaction died with the worker: nothing half-imported

    second = Worker(worker_queue, concurrency=1).start()
    try:
        time.sleep(1.1)  # past the grace period
        assert import_jobs_recover() == {"resumed": 1, "failed": 0}  # the beat task, every minute in production
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "finished", seconds=120, what="the import done")
    finally:
        second.stop()
    job.refresh_from_db()
    assert (job.imported, job.errors, job.attempts) == (150, [], 2)
    assert bytes(job.content) == b""
    assert Resident.objects.count() == 150


def test_a_ranking_killed_midway_finishes_with_every_chunk_counted_once(worker_queue, quick_recovery):
    from django.core.management import call_command

    call_command("seed_demo", "--households", "30", "--residents", "120", "--employers", "8", "--postings", "40",
                 "--sessions", "4", "-v", "0")
    seeking = Resident.objects.filter(employment_status="seeking").count()
    run, chunks = matching.ranking_run_create(k=10, chunk_size=4)
    assert len(chunks) >= 10
    first = Worker(worker_queue, concurrency=1).start()
    try:
        matching_tasks.dispatch_ranking(run.pk)
        wait_for(lambda: RankingRun.objects.get(pk=run.pk).chunks_done >= 3, seconds=60, what="chunks under way",
                 every=0.02)
        first.kill()
    finally:
        first.stop()
    run.refresh_from_db()
    assert run.status == "running"
    assert 3 <= run.chunks_done < run.chunks_total

    second = Worker(worker_queue, concurrency=1).start()
    try:  # the beat task runs every minute in production; here every second
        wait_for(lambda: RankingRun.objects.get(pk=run.pk).status == "finished", seconds=120, every=1,
                 what="the run finished", between=matching.ranking_runs_recover)
    finally:
        second.stop()
    run.refresh_from_db()
    assert (run.chunks_done, run.residents_ranked) == (run.chunks_total, seeking)
    stored = matching.top_matches_as_arrays(list(Resident.objects.values_list("id", flat=True)))
    expected = single_process_top(10)
    assert {r: [p for p, _ in rows] for r, rows in stored.items() if r in expected} == expected


def test_an_acceptance_killed_midway_resumes_and_recommends_each_pair_once(worker_queue, quick_recovery,
                                                                           liaison_user, room1):
    from decimal import Decimal

    from jobs.services import SkillRequirementInput
    from matching.indexes import clear_indexes
    from matching.models import AssignmentAcceptance, Recommendation
    from taxonomy.models import Skill
    from tests import factories as f

    clear_indexes()  # a flushed database: indexes kept in this process from earlier tests do not apply
    cleaning = Skill.objects.get(code="house.cleaning")
    for _ in range(4):
        f.PostingFactory(title="保洁员", openings=10, skills=[SkillRequirementInput(skill=cleaning)])
    residents = [f.ResidentFactory(skill_texts=["做保洁"], max_commute_km=Decimal("50")) for _ in range(30)]
    run = matching.assignment_run_create(mode="optimal", resident_ids=[r.pk for r in residents],
                                         created_by=liaison_user, k=5)
    run = matching.assignment_run_execute(run_id=run.pk)
    pairs = len(run.proposal)
    assert pairs >= 20
    env = {"ASSIGNMENT_ACCEPT_CHUNK": "1"}
    first = Worker(worker_queue, concurrency=1, env=env).start()
    try:
        acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)  # fired on commit
        wait_for(lambda: AssignmentAcceptance.objects.get(pk=acceptance.pk).done >= 3, seconds=60, every=0.02,
                 what="pairs under way")
        first.kill()
    finally:
        first.stop()
    acceptance.refresh_from_db()
    assert acceptance.status == "running"
    assert 3 <= acceptance.done < pairs
    assert Recommendation.objects.count() == len(acceptance.created) == acceptance.done  # whole chunks only

    second = Worker(worker_queue, concurrency=1, env=env).start()
    try:
        wait_for(lambda: AssignmentAcceptance.objects.get(pk=acceptance.pk).status == "finished", seconds=120,
                 every=1, what="the acceptance finished", between=matching.assignment_acceptances_recover)
    finally:
        second.stop()
    acceptance.refresh_from_db()
    assert acceptance.done == acceptance.total == pairs
    assert acceptance.attempts >= 2
    made = list(Recommendation.objects.values_list("resident_id", "posting_id"))
    assert len(made) == len(set(made)) == len(acceptance.created) == pairs - len(acceptance.skipped)
