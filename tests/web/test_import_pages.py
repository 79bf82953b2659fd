"""The bureau's spreadsheet import page: upload, the task's outcome, and the report of row errors."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.imports import COLUMNS
from jobs.models import JobPosting
from taxonomy.identifiers import make_uscc
from taxonomy.models import ImportJob

pytestmark = pytest.mark.django_db

POSTING_HEADERS = [column.template_header for column in COLUMNS]


def csv_bytes(headers, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def posting_row(**values) -> list:
    """A valid row in the template's column order; keyword arguments override cells."""
    row = {"employer_name": "玉屏藤艺专业合作社", "uscc": make_uscc("520622", 900001), "title": "藤椅编织工",
           "openings": 5, "wage_min": 3000, "wage_max": 4500, "wage_unit": "月", "work_mode": "现场",
           "work_time": "全职", "place": "康华社区", "skill_texts": "会编藤椅", "valid_until": "2099-12-31",
           **values}
    return [row.get(column.field, "") for column in COLUMNS]


def upload(client, content: bytes, name: str = "岗位.csv"):
    return client.post(reverse("web:bureau-imports"), {"file": SimpleUploadedFile(name, content)})


def test_an_upload_imports_the_rows_and_reports_the_bad_ones(world, clients, django_capture_on_commit_callbacks):
    rows = [posting_row(), posting_row(title="藤椅缠扎工", wage_min=5000, wage_max=3000)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clients["bureau"], csv_bytes(POSTING_HEADERS, rows))
    job = ImportJob.objects.get()
    page = clients["bureau"].get(response["Location"])
    html = page.content.decode()
    assert (job.status, job.imported, JobPosting.objects.filter(title="藤椅编织工").count(),
            'data-testid="import-error" data-row="3"' in html) == ("finished", 1, 2, True)


def test_a_file_that_cannot_be_read_is_a_form_error_and_stores_nothing(world, clients):
    response = upload(clients["bureau"], b"\x00\x01 not a spreadsheet", name="junk.xlsx")
    assert (response.status_code, "file" in response.context["form"].errors, ImportJob.objects.exists()) == (
        200, True, False)


def test_an_upload_without_a_file_is_a_form_error(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-imports"), {})
    assert (response.status_code, "file" in response.context["form"].errors) == (200, True)


def test_the_template_downloads_as_a_workbook(world, clients):
    response = clients["bureau"].get(reverse("web:bureau-import-template"))
    assert (response.status_code, response.content[:2]) == (200, b"PK")


def test_the_status_polled_by_htmx_stops_when_finished(world, clients, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clients["bureau"], csv_bytes(POSTING_HEADERS, [posting_row()]))
    polled = clients["bureau"].get(response["Location"], HTTP_HX_REQUEST="true")
    assert (polled["HX-Refresh"], b'hx-trigger="every 2s"' in polled.content) == ("true", False)


@pytest.mark.parametrize("role", ["liaison", "deputy", "resident"])
def test_other_roles_may_not_import(world, clients, role):
    response = upload(clients[role], csv_bytes(POSTING_HEADERS, [posting_row()]))
    assert (response.status_code, ImportJob.objects.exists()) == (403, False)


def test_someone_elses_import_is_not_shown(world, clients, bureau_user, django_capture_on_commit_callbacks):
    from tests import factories as f

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clients["bureau"], csv_bytes(POSTING_HEADERS, [posting_row()]))
    other = f.UserFactory(username="clerk2", role="bureau")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404
