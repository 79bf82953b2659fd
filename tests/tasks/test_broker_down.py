"""Writes that don't need the broker: with the broker on a dead port a write answers 2xx at once and has
committed, its follow-up task waits in the outbox, and a real worker does the work once the broker is back."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import JobPosting
from matching.models import AssignmentRun, Placement, RankingRun, TopMatch
from outbox.models import OutboxMessage
from outbox.services import outbox_drain
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import ROOT, worker_env

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1

# The writes, made through the API by a separate process whose Celery app has only the dead broker.
WRITES = r"""
import json, sys, time
import django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
args = json.loads(sys.argv[1])
results = {}
Client().get("/login/")  # a first request loads the URLconf and the apps: not the write's time
# Nor what a process builds once on first use: the schema the API's query check reads, the skill resolver.
from api.query import documented_routes
from taxonomy.coding import skill_resolver

documented_routes(), skill_resolver()
for name, username, method, path, body in args:
    client = Client()
    client.force_login(User.objects.get(username=username))
    started = time.monotonic()
    if "upload" in body:  # a spreadsheet, multipart as a browser sends it
        with open(body.pop("upload"), "rb") as upload:
            response = client.post(path, data={**body, "file": upload})
    else:
        response = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    results[name] = [response.status_code, round(time.monotonic() - started, 3)]
print(json.dumps(results))
"""


def _write_with_a_dead_broker(writes: list) -> dict[str, list]:
    env = {**worker_env(), "CELERY_BROKER_URL": DEAD_BROKER, "CELERY_RESULT_BACKEND": DEAD_BROKER}
    done = subprocess.run([sys.executable, "-c", WRITES, json.dumps(writes)], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_writes_answer_at_once_with_the_broker_down_and_the_work_is_done_when_it_is_back(
        bureau_user, liaison_user, resident_user, worker_queue, tmp_path):
    from tests.imports.conftest import POSTING_HEADERS, posting_row, xlsx_bytes
    from tests.tasks.conftest import Worker

    for title in ("家政服务员", "保洁员", "藤椅编织工"):
        f.PostingFactory(title=title)
    draft = f.PostingFactory(title="保洁员", publish=False)
    for texts in (["做保洁"], ["家政"], ["编藤椅"]):
        f.ResidentFactory(skill_texts=texts)
    hired, hiring = f.ResidentFactory(skill_texts=["做保洁"]), f.PostingFactory(title="家政服务员", openings=2)
    sheet = tmp_path / "岗位.xlsx"
    sheet.write_bytes(xlsx_bytes(POSTING_HEADERS, [posting_row(title="电焊工")]))
    assert not TopMatch.objects.exists()

    results = _write_with_a_dead_broker([
        ["publish", bureau_user.username, "post", f"/api/v1/jobs/{draft.pk}/publish/", {}],
        ["own edit", resident_user.username, "patch", "/api/v1/residents/me/", {"skill_texts": ["做保洁", "带孩子"]}],
        ["assignment run", liaison_user.username, "post", "/api/v1/assignments/", {"mode": "optimal", "k": 5}],
        ["placement", liaison_user.username, "post", "/api/v1/placements/", {"resident": hired.pk,
                                                                             "posting": hiring.pk}],
        ["ranking run", bureau_user.username, "post", "/api/v1/ranking-runs/", {"k": 5, "chunk_size": 100}],
        ["import", bureau_user.username, "post", "/api/v1/imports/", {"kind": "postings", "upload": str(sheet)}],
    ])
    for name, (status, seconds) in results.items():
        assert 200 <= status < 300, (name, status)
        assert seconds < 1.5, (name, seconds)  # was ~19 s and a 500
    draft.refresh_from_db()
    assert draft.status == JobPosting.Status.OPEN  # committed
    waiting = sorted(OutboxMessage.objects.values_list("task_name", flat=True))
    assert waiting == ["jobs.tasks.postings_import", "matching.tasks.assignment_run", "matching.tasks.posting_rerank",
                       "matching.tasks.posting_rerank", "matching.tasks.ranking_run_dispatch",
                       "matching.tasks.resident_rerank"]
    assert all(m.attempts == 1 and "Error" in m.last_error for m in OutboxMessage.objects.all())
    run, ranking, job = AssignmentRun.objects.get(), RankingRun.objects.get(), ImportJob.objects.get()
    assert (run.status, ranking.status, job.status) == ("pending", "running", "pending")
    assert Placement.objects.filter(resident=hired, posting=hiring).exists()

    def all_done() -> bool:
        statuses = {AssignmentRun.objects.get(pk=run.pk).status, ImportJob.objects.get(pk=job.pk).status,
                    RankingRun.objects.get(pk=ranking.pk).status}
        return statuses == {"finished"} and TopMatch.objects.filter(posting=draft).exists()

    # The broker is back (the test's real Redis) with a worker; the beat's drain sends what waited.
    worker = Worker(worker_queue).start()
    try:
        assert outbox_drain(now=timezone.now() + timedelta(minutes=1)) == 6
        assert not OutboxMessage.objects.exists()
        deadline = time.monotonic() + 90
        while not all_done() and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        worker.stop()
    assert all_done()  # the published posting entered residents' lists; the runs and the import finished
    assert JobPosting.objects.filter(title="电焊工").exists()


def test_a_drain_stops_at_the_first_refusal_and_keeps_the_rest(bureau_user):
    from config.celery import app

    OutboxMessage.objects.bulk_create([OutboxMessage(task_name="matching.tasks.posting_rerank", args=[n])
                                       for n in range(3)])
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    original = app.send_task
    try:
        def refused(*args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

        app.send_task = refused
        assert outbox_drain() == 0
    finally:
        app.send_task = original
        app.conf.task_always_eager = previous
    assert OutboxMessage.objects.count() == 3
    assert [m.attempts for m in OutboxMessage.objects.order_by("id")] == [1, 0, 0]
