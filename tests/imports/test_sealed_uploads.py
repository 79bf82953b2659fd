"""Uploaded sheets hold ID numbers and phones: sealed while the import waits or runs, erased when it ends,
never echoed in the row report; a migration erases what older imports kept; dead workers' imports recover."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jobs.imports import postings_import_create
from residents.imports import residents_import_create, residents_import_run
from residents.models import Resident
from taxonomy.imports import import_jobs_recover
from taxonomy.models import ImportJob
from taxonomy.sealed import redact_identifiers, seal, unseal

from .conftest import POSTING_HEADERS, posting_row, xlsx_bytes
from .test_residents import HEADERS, _id, resident_row

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _stored_content(job_id: int) -> bytes:
    """The bytes in the database column itself, as a backup or a leaked dump would hold them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM taxonomy_importjob WHERE id = %s", [job_id])
        return bytes(cursor.fetchone()[0])


def _everything_kept(job: ImportJob) -> str:
    job.refresh_from_db()
    return repr([job.file_name, job.failure, job.errors, job.duplicate_rows, _stored_content(job.pk)])


def test_a_waiting_upload_is_sealed_with_the_personal_data_keys():
    content = xlsx_bytes(HEADERS, [resident_row(id_number=_id(7), phone=PHONE)])
    job = residents_import_create(file_name="群众.xlsx", content=content)
    stored = _stored_content(job.pk)
    assert stored
    assert stored != content
    assert b"PK" not in stored[:4]  # not a workbook any more
    assert unseal(stored) == content


def test_the_file_is_erased_when_the_import_finishes_and_the_report_keeps_rows_and_messages_only():
    shifted = resident_row(name="吴家强", id_number=_id(9), site=_id(9))  # the ID number typed in the site column
    content = xlsx_bytes(HEADERS, [resident_row(id_number=_id(8), phone=PHONE), shifted])
    job = residents_import_create(file_name=f"群众{_id(8)}.xlsx", content=content)
    job = residents_import_run(job_id=job.pk)
    assert (job.status, job.imported) == ("finished", 1)
    assert _stored_content(job.pk) == b""
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "安置点")]
    assert "5206**********" in job.errors[0]["message"]
    kept = _everything_kept(job)
    for secret in (_id(8), _id(9), PHONE, _id(9)[:17]):
        assert secret not in kept
    assert Resident.objects.count() == 1


def test_the_file_is_erased_when_the_import_fails(bureau_user, monkeypatch):
    from jobs import imports

    def broken(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(imports, "posting_create", broken)
    job = postings_import_create(file_name="岗位.xlsx", content=xlsx_bytes(POSTING_HEADERS, [posting_row()]),
                                 created_by=bureau_user)
    job = imports.postings_import_run(job_id=job.pk)
    assert job.status == "failed"
    assert _stored_content(job.pk) == b""


def test_the_database_refuses_an_ended_import_that_keeps_its_file():
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    for status in ("finished", "failed"):
        with pytest.raises(IntegrityError), transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(status=status)


def test_a_file_sealed_under_a_retired_key_still_opens_after_rotation(settings):
    old = settings.PII_ENCRYPTION_KEYS[0]
    sealed = seal(b"sheet")
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert unseal(sealed) == b"sheet"
    assert unseal(seal(b"sheet")) == b"sheet"


def test_a_file_whose_key_was_dropped_fails_the_import_with_a_reason(settings):
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    job = residents_import_run(job_id=job.pk)
    assert job.status == "failed"
    assert "upload it again" in job.failure or "重新上传" in job.failure
    assert _stored_content(job.pk) == b""


@pytest.mark.parametrize(("text", "expected"), [
    ("身份证号520622198803150027有误", "身份证号5206**********0027有误"),
    ("５２０６２２１９８８０３１５００２Ｘ", "５２０６**********００２Ｘ"),
    ("手机13912345678", "手机139****5678"),
    ("15位520622880315002", "15位***************"),  # noqa: RUF001 - the old 15-digit number
    ("第12行，共3000行，单价2元/件", "第12行，共3000行，单价2元/件"),  # noqa: RUF001
])
def test_identifiers_are_masked_in_free_text(text, expected):
    assert redact_identifiers(text) == expected


# --- imports a dead worker left behind


def _abandoned(job: ImportJob, *, attempts: int, minutes: int = 120) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=attempts,
                                               started_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_an_import_left_running_by_a_dead_worker_is_run_again(django_capture_on_commit_callbacks):
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    _abandoned(job, attempts=1)
    fresh = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    _abandoned(fresh, attempts=1, minutes=0)  # within the grace period: a live worker may be on it
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == {"resumed": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.imported, job.attempts) == ("finished", 1, 2)
    assert ImportJob.objects.get(pk=fresh.pk).status == "running"
    assert Resident.objects.count() == 1


def test_an_import_interrupted_too_often_fails_with_a_reason_and_its_file_erased(django_capture_on_commit_callbacks):
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]),
                                  language="zh-hans")
    _abandoned(job, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == {"resumed": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed"
    assert "3" in job.failure
    assert job.failure.startswith("导入")
    assert _stored_content(job.pk) == b""
    assert Resident.objects.count() == 0


def test_an_import_whose_message_was_lost_is_queued_again(django_capture_on_commit_callbacks):
    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == {"resumed": 1, "failed": 0}
    assert ImportJob.objects.get(pk=job.pk).status == "finished"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_erases_what_older_imports_kept_and_seals_what_still_waits():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("taxonomy", "0006_import_kind_outcomes")], [("taxonomy", "0007_import_file_sealed_and_erased")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldJob = old_apps.get_model("taxonomy", "ImportJob")  # noqa: N806 - a model class
    sheet = xlsx_bytes(HEADERS, [resident_row(id_number=_id(5), phone=PHONE)])
    finished = OldJob.objects.create(
        kind="residents", file_name="群众.xlsx", content=sheet, status="finished", total_rows=1,
        errors=[{"row": 2, "field": "安置点", "message": f"No place named “{_id(5)}” is known"}])
    failed = OldJob.objects.create(kind="residents", file_name="群众.xlsx", content=sheet, status="failed")
    waiting = OldJob.objects.create(kind="residents", file_name="群众.xlsx", content=sheet, status="pending")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert _stored_content(finished.pk) == b""
    assert _stored_content(failed.pk) == b""
    assert unseal(_stored_content(waiting.pk)) == sheet
    # (Only the column this migration knows: later ones add columns that the current model would ask for.)
    assert _id(5) not in repr(ImportJob.objects.filter(pk=finished.pk).values_list("errors", flat=True).get())
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert residents_import_run(job_id=waiting.pk).imported == 1


def test_the_embedded_run_resumes_at_start_what_a_stopped_server_left_running(django_capture_on_commit_callbacks):
    """`scripts/run.sh` runs tasks in the server's process: an import it was running when stopped is resumed when
    it starts again (`recover_stuck_work --at-start`), however recently it started; a broker refuses that."""
    from django.core.management import CommandError, call_command

    from config.celery import app

    job = residents_import_create(file_name="群众.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    _abandoned(job, attempts=1, minutes=0)  # stopped a moment ago: within any grace period
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stuck_work", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "running"  # the beat's rule: a live worker may be on it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stuck_work", "--at-start", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.imported, job.attempts) == ("finished", 1, 2)
    assert Resident.objects.count() == 1
    app.conf.task_always_eager = False
    try:
        with pytest.raises(CommandError, match="embedded"):
            call_command("recover_stuck_work", "--at-start", verbosity=0)
    finally:
        app.conf.task_always_eager = True
