"""A running import's live progress (rows done out of total) on its page and in the API, one import per
submitted form however often it arrives, the background thread that keeps the upload quick with eager tasks,
and the rows skipped as duplicates named with the record they repeat."""

from __future__ import annotations

import io
import re
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from config import tasks as config_tasks
from config.tasks import run_in_background
from jobs.imports import COLUMNS, PostingImporter, postings_import_create
from jobs.models import JobPosting
from residents import pii
from taxonomy.imports import AlreadySubmitted, import_job_run
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import POSTING_HEADERS, posting_row, xlsx_bytes
from .test_residents import HEADERS as RESIDENT_HEADERS
from .test_residents import _id, resident_row

pytestmark = pytest.mark.django_db

IMPORTS = "/api/v1/imports/"


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload_form(client, content: bytes, submission: str, url: str = "web:bureau-imports"):
    return client.post(reverse(url), {"file": SimpleUploadedFile("名单.xlsx", content), "submission": submission})


def four_postings() -> bytes:
    return xlsx_bytes(POSTING_HEADERS, [posting_row(title=title) for title in ("保洁员", "厨师", "搬运工", "藤椅编织工")])


class ProbeImporter(PostingImporter):
    """The postings importer, asking `look()` what the page and the API say before each row."""

    def __init__(self, look, **kwargs):
        super().__init__(**kwargs)
        self.look = look
        self.seen: list[tuple] = []

    def import_row(self, row):
        self.seen.append(self.look())
        return super().import_row(row)


def test_the_page_and_the_api_count_the_rows_done_while_the_import_runs(api, bureau_user, settings):
    settings.IMPORT_PROGRESS_EVERY_ROWS = 1
    job = postings_import_create(file_name="岗位.xlsx", content=four_postings(), created_by=bureau_user)
    page, client = reverse("web:bureau-import", args=[job.pk]), web(bureau_user)
    api.as_user(bureau_user)

    def look() -> tuple:
        polled = client.get(page, HTTP_HX_REQUEST="true").content.decode()
        shown = re.search(r'data-processed="(\d+)" data-total="(\d+)"', polled).groups()
        detail = api.get(f"{IMPORTS}{job.pk}/").json()
        return detail["status"], detail["processed"], detail["total"], shown, "已处理" in polled

    probe = ProbeImporter(look, user=bureau_user)
    import_job_run(job_id=job.pk, kind=ImportJob.Kind.POSTINGS, columns=COLUMNS, importer=lambda _job: probe)
    assert probe.seen == [("running", done, 4, (str(done), "4"), True) for done in range(4)]
    finished = client.get(page, HTTP_HX_REQUEST="true")
    assert (finished["HX-Refresh"], b'data-testid="import-progress"' in finished.content,
            api.get(f"{IMPORTS}{job.pk}/").json()["processed"]) == ("true", False, 4)


def test_the_same_form_sent_twice_stores_and_runs_one_import(bureau_user, django_capture_on_commit_callbacks):
    client, key = web(bureau_user), uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = upload_form(client, four_postings(), key)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = upload_form(client, four_postings(), key)
    job = ImportJob.objects.get()
    assert (first.status_code, second.status_code, first["Location"], second["Location"]) == (
        302, 302, reverse("web:bureau-import", args=[job.pk]), reverse("web:bureau-import", args=[job.pk]))
    # The first submission's commit started the import (and its re-ranking); the second's started nothing.
    assert (len(first_callbacks) > 0, len(second_callbacks), job.status, JobPosting.objects.count()) == (
        True, 0, "finished", 4)


def test_the_upload_form_carries_a_new_key_each_time(bureau_user):
    client = web(bureau_user)
    keys = [re.search(r'name="submission" value="([0-9a-f]{32})"',
                      client.get(reverse("web:bureau-imports")).content.decode()).group(1) for _ in range(2)]
    page = client.get(reverse("web:bureau-imports")).content.decode()
    assert (keys[0] != keys[1], 'data-busy="' in page) == (True, True)


def test_the_same_key_of_another_user_is_another_import(bureau_user, django_capture_on_commit_callbacks):
    colleague = f.UserFactory(username="clerk2", role="bureau")
    with django_capture_on_commit_callbacks(execute=False):
        upload_form(web(bureau_user), four_postings(), "same-key")
        upload_form(web(colleague), four_postings(), "same-key")
    assert ImportJob.objects.count() == 2


def test_the_database_holds_one_import_per_submission(bureau_user):
    postings_import_create(file_name="a.xlsx", content=four_postings(), created_by=bureau_user, submission_key="k1")
    job = ImportJob.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(kind="postings", file_name="b.xlsx", created_by=bureau_user, submission_key="k1",
                                 status="finished")
    with pytest.raises(AlreadySubmitted) as caught:
        postings_import_create(file_name="b.xlsx", content=four_postings(), created_by=bureau_user,
                               submission_key="k1")
    assert caught.value.job.pk == job.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_post_arriving_at_once_stores_one_import():
    user = f.UserFactory(username="clerk-race", role="bureau")
    content, barrier, ids = four_postings(), threading.Barrier(2), []

    def submit():
        from django.db import connection

        barrier.wait()
        try:
            ids.append(postings_import_create(file_name="a.xlsx", content=content, created_by=user,
                                              submission_key="race").pk)
        except AlreadySubmitted as exc:
            ids.append(exc.job.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(ids), len(set(ids)), ImportJob.objects.count()) == (2, 1, 1)


def test_an_api_upload_repeated_with_its_idempotency_key_answers_with_the_first_import(api, bureau_user):
    api.as_user(bureau_user)

    def send():
        upload = io.BytesIO(four_postings())
        upload.name = "a.xlsx"
        return api.post(IMPORTS, {"kind": "postings", "file": upload}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="file-2026-12-07-1")

    first, second = send(), send()
    assert (first.status_code, second.status_code, first.json()["id"] == second.json()["id"],
            ImportJob.objects.count()) == (202, 202, True, 1)


def test_with_eager_tasks_the_upload_is_answered_before_the_import_runs_in_the_background(bureau_user, settings,
                                                                                         caplog,
                                                                                         django_capture_on_commit_callbacks):
    """The upload only hands the import to the background thread (busy here until the test says): it is answered
    with the import still waiting. (The browser journey of the desk sees the thread run it to the end: the thread
    reads committed data only, which this test's rolled-back transaction never is.)"""
    settings.EAGER_LONG_TASKS_IN_THREAD = True
    release = threading.Event()
    run_in_background(release.wait, 10)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            response = upload_form(web(bureau_user), four_postings(), uuid.uuid4().hex)
        # The upload's commit runs its callbacks inside the request (here they wait for the test's transaction).
        config_tasks._state.after_response = []
        try:
            for callback in callbacks:
                callback()
        finally:
            config_tasks._state.after_response = None
        job = ImportJob.objects.get()
        assert (response.status_code, job.status, JobPosting.objects.count()) == (302, "pending", 0)
    finally:
        release.set()
    run_in_background(lambda: None).result(timeout=60)  # one thread: what was handed to it ran before this
    assert f"import {job.pk}: no postings import with this id" in caplog.text


@pytest.mark.parametrize(("who", "status"), [("liaison_user", 403), ("deputy_user", 403), ("resident_user", 403),
                                            ("other_bureau", 404), ("admin_user", 200)])
def test_only_the_importer_and_admin_see_its_progress(request, bureau_user, who, status):
    job = postings_import_create(file_name="a.xlsx", content=four_postings(), created_by=bureau_user)
    user = (f.UserFactory(username="clerk3", role="bureau") if who == "other_bureau"
            else request.getfixturevalue(who))
    response = web(user).get(reverse("web:bureau-import", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(bureau_user):
    job = postings_import_create(file_name="a.xlsx", content=four_postings(), created_by=bureau_user)
    response = Client().get(reverse("web:bureau-import", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert (response.status_code, "login" in response["Location"]) == (302, True)


# --- duplicates named


def test_skipped_postings_name_the_posting_they_repeat_with_a_link(api, bureau_user,
                                                                  django_capture_on_commit_callbacks):
    rows = [posting_row(title="保洁员"), posting_row(title="厨师"), posting_row(title="急招保洁员"),
            posting_row(title="厨师")]
    with django_capture_on_commit_callbacks(execute=True):
        postings_import_create(file_name="a.xlsx", content=xlsx_bytes(POSTING_HEADERS, rows[:1]),
                               created_by=bureau_user)
        import_job_run(job_id=ImportJob.objects.get().pk, kind="postings", columns=COLUMNS,
                       importer=lambda job: PostingImporter(user=job.created_by))
        client = web(bureau_user)
        response = upload_form(client, xlsx_bytes(POSTING_HEADERS, rows), uuid.uuid4().hex)
    cleaner, cook = JobPosting.objects.get(title="保洁员"), JobPosting.objects.get(title="厨师")
    html = client.get(response["Location"]).content.decode()
    job = ImportJob.objects.filter(duplicates__gt=0).get()
    for row, posting in ((2, cleaner), (4, cleaner), (5, cook)):
        link = reverse("web:bureau-posting", args=[posting.pk])
        assert re.search(rf'data-row="{row}">.*?<a href="{link}">玉屏藤艺专业合作社 · {posting.title}', html, re.S)
    detail = api.as_user(bureau_user).get(f"{IMPORTS}{job.pk}/").json()
    assert [(d["row"], d["kind"], d["id"]) for d in detail["duplicates_of"]] == [
        (2, "posting", cleaner.pk), (4, "posting", cleaner.pk), (5, "posting", cook.pk)]


def test_skipped_residents_are_named_only_to_staff_who_may_see_them(api, liaison_user, other_station,
                                                                   django_capture_on_commit_callbacks):
    mine = f.ResidentFactory(name="吴康华", id_number=_id(7), household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE)))
    elsewhere = f.ResidentFactory(name="罗外站", id_number=_id(8),
                                  household=f.HouseholdFactory(site=f.place("520622001001")))
    rows = [resident_row(id_number=_id(7), name="吴康华"), resident_row(id_number=_id(8), name="罗外站"),
            resident_row(id_number=_id(9), name="新来的")]
    client = web(liaison_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_form(client, xlsx_bytes(RESIDENT_HEADERS, rows), uuid.uuid4().hex, "web:liaison-imports")
    html = client.get(response["Location"]).content.decode()
    job = ImportJob.objects.get()
    detail = api.as_user(liaison_user).get(f"{IMPORTS}{job.pk}/").json()
    assert [(d["row"], d["kind"], d["id"]) for d in detail["duplicates_of"]] == [
        (2, "resident", mine.pk), (3, "", None)]
    assert (detail["duplicates_of"][1]["label"], "罗外站" in html, "罗外站" in str(detail)) == (
        "在其他联络站登记的群众", False, False)
    assert f'<a href="{reverse("web:liaison-resident", args=[mine.pk])}">吴康华 · 康华社区</a>' in html
    assert not any(pii.decrypt(r.id_number_encrypted) in html + str(detail) for r in (mine, elsewhere))
