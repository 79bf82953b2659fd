"""The recovery beat task: ranking and assignment runs a dead worker left are resumed, or failed with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from matching import services as matching
from matching import tasks as matching_tasks
from matching.models import AssignmentRun, RankingChunk, RankingRun
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.STUCK_WORK = {"GRACE_SECONDS": 60, "IDLE_SECONDS": 300, "PENDING_SECONDS": 600, "MAX_ATTEMPTS": 3}


def _ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def test_an_idle_ranking_run_gets_its_undone_chunks_again_and_each_counts_once(django_capture_on_commit_callbacks):
    for title in ("家政服务员", "保洁员", "藤椅编织工"):
        f.PostingFactory(title=title)
    residents = [f.ResidentFactory(skill_texts=texts) for texts in (["做保洁"], ["编藤椅"], ["带孩子"], [])]
    run, chunks = matching.ranking_run_create(k=3, chunk_size=2)
    matching.ranking_chunk_run(run_id=run.pk, index=0)
    matching.ranking_chunk_run(run_id=run.pk, index=0)  # delivered twice: counted once
    RankingRun.objects.filter(pk=run.pk).update(progressed_at=_ago(10))  # then its worker died
    busy, _ = matching.ranking_run_create(k=3, chunk_size=2)  # advancing: left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert matching.ranking_runs_recover() == {"resumed": 1, "failed": 0}
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.chunks_total, run.residents_ranked, run.attempts) == (
        "finished", 2, 2, len(residents), 2)
    assert not RankingChunk.objects.filter(run=run, done_at__isnull=True).exists()
    assert RankingRun.objects.get(pk=busy.pk).chunks_done == 0


def test_a_ranking_run_that_keeps_stalling_fails_with_a_reason_staff_see(api, bureau_user):
    f.ResidentFactory(skill_texts=["做保洁"])
    run, _chunks = matching.ranking_run_create(k=3, chunk_size=1)
    RankingRun.objects.filter(pk=run.pk).update(progressed_at=_ago(10), attempts=3)
    assert matching.ranking_runs_recover() == {"resumed": 0, "failed": 1}
    run.refresh_from_db()
    assert run.status == "failed"
    assert "0" in run.failure
    assert matching.ranking_chunk_run(run_id=run.pk, index=0) == 0  # a late chunk changes nothing


def test_an_assignment_run_left_running_is_computed_again(liaison_user, django_capture_on_commit_callbacks):
    f.PostingFactory(title="保洁员")
    resident = f.ResidentFactory(skill_texts=["做保洁"])
    run = matching.assignment_run_create(mode="optimal", resident_ids=[resident.pk], created_by=liaison_user, k=5)
    AssignmentRun.objects.filter(pk=run.pk).update(status="running", started_at=_ago(120), attempts=1)
    fresh = matching.assignment_run_create(mode="optimal", resident_ids=[resident.pk], created_by=liaison_user, k=5)
    AssignmentRun.objects.filter(pk=fresh.pk).update(status="running", started_at=timezone.now(), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert matching_tasks.stuck_work_recover.delay().get()["assignment_runs"] == {"resumed": 1, "failed": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts, run.summary["assigned"]) == ("finished", 2, 1)
    assert AssignmentRun.objects.get(pk=fresh.pk).status == "running"


def test_an_assignment_run_interrupted_too_often_fails_with_a_reason(liaison_user):
    run = matching.assignment_run_create(mode="stable", resident_ids=[], created_by=liaison_user)
    AssignmentRun.objects.filter(pk=run.pk).update(status="running", started_at=_ago(120), attempts=3)
    assert matching.assignment_runs_recover() == {"resumed": 0, "failed": 1}
    run.refresh_from_db()
    assert run.status == "failed"
    assert "3" in run.error


def test_every_periodic_task_exists_and_the_visibility_timeout_outlasts_the_longest_task():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
    assert {"taxonomy.tasks.imports_recover", "outbox.tasks.outbox_drain", "matching.tasks.stuck_work_recover"} <= {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
