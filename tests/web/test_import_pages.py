"""The spreadsheet import pages, the bureau's (postings) and the liaison staff's (residents, at their station's
places only): upload, the task's outcome, the report of row errors, and who may see which import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jobs.imports import COLUMNS
from jobs.models import JobPosting
from residents.models import Household, Resident
from taxonomy.identifiers import make_id_number, make_uscc
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import logged_in

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


# --- Liaison staff import residents through the same pages -------------------------------------

def residents_workbook(client, rows: list[dict]) -> bytes:
    """The residents template as the liaison page serves it, filled in below its example row."""
    from residents.imports import COLUMNS as RESIDENT_COLUMNS

    book = load_workbook(io.BytesIO(client.get(reverse("web:liaison-import-template")).content))
    sheet = book.active
    for values in rows:
        row = {"poverty_status": "脱贫户", "education": "初中", "employment_status": "求职中", **values}
        sheet.append([row.get(column.field) for column in RESIDENT_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def id_number(sequence: int) -> str:
    return make_id_number("520622", dt.date(1972, 5, 1), sequence)


def upload_residents(client, content: bytes, name: str = "群众.xlsx"):
    return client.post(reverse("web:liaison-imports"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def liaison_import(world, clients, django_capture_on_commit_callbacks) -> ImportJob:
    """An import by `liaison`: rows 3 and 4 at the station's places, 5 and 6 at another station's."""
    rows = [
        {"household_number": "PX-9001", "site": "康华社区", "name": "龙小妹", "id_number": id_number(2)},
        {"household_number": "PX-9002", "site": "黄岔安置点", "name": "杨大山", "id_number": id_number(3)},
        {"household_number": "ZJP-9003", "site": "紫气山社区", "name": "罗新来", "id_number": id_number(4)},
        {"household_number": world.outsider.household.number, "name": "罗同户", "id_number": id_number(5)},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_residents(clients["liaison"], residents_workbook(clients["liaison"], rows))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("web:liaison-import", args=[job.pk])
    return job


def test_a_liaison_worker_imports_residents_of_the_station_and_sees_the_others_as_row_errors(
        world, clients, liaison_import):
    html = clients["liaison"].get(reverse("web:liaison-import", args=[liaison_import.pk])).content.decode()
    landed = dict(Resident.objects.filter(name__in=["龙小妹", "杨大山", "罗新来", "罗同户"])
                  .values_list("name", "household__site__name"))
    error_rows = re.findall(r'data-testid="import-error" data-row="(\d+)"', html)
    assert (liaison_import.kind, liaison_import.status, liaison_import.total_rows, liaison_import.imported) == (
        "residents", "finished", 4, 2)
    assert landed == {"龙小妹": "康华社区", "杨大山": "黄岔安置点"}
    assert [(e["row"], e["field"]) for e in liaison_import.errors] == [(5, "安置点"), (6, "户编号")]
    assert error_rows == ["5", "6"]
    assert Household.objects.filter(number="ZJP-9003").exists() is False


def test_the_liaison_page_lists_my_residents_imports_and_links_to_them(world, clients, liaison_import):
    html = clients["liaison"].get(reverse("web:liaison-imports")).content.decode()
    assert ('data-kind="residents"' in html, reverse("web:liaison-import", args=[liaison_import.pk]) in html,
            reverse("web:liaison-import-template") in html) == (True, True, True)


def test_a_residents_file_that_cannot_be_read_is_a_form_error_and_stores_nothing(world, clients):
    response = upload_residents(clients["liaison"], b"PK\x03\x04 not really a workbook")
    assert (response.status_code, "file" in response.context["form"].errors, ImportJob.objects.exists()) == (
        200, True, False)


def test_a_postings_file_on_the_residents_page_is_a_form_error(world, clients):
    response = upload_residents(clients["liaison"], csv_bytes(POSTING_HEADERS, [posting_row()]), name="岗位.csv")
    assert (response.status_code, "file" in response.context["form"].errors, ImportJob.objects.exists()) == (
        200, True, False)


def test_the_residents_template_downloads_with_its_headers(world, clients):
    response = clients["liaison"].get(reverse("web:liaison-import-template"))
    header = [cell.value for cell in load_workbook(io.BytesIO(response.content)).active[1]]
    assert (response.status_code, response["Content-Type"].endswith("sheet"), header[:2]) == (
        200, True, ["户编号*", "安置点"])


@pytest.mark.parametrize("role", ["bureau", "deputy", "resident"])
def test_other_roles_may_not_import_residents(world, clients, role):
    response = upload_residents(clients[role], b"irrelevant")
    assert (response.status_code, ImportJob.objects.exists()) == (403, False)


@pytest.mark.parametrize(("role", "name", "job_kind"), [
    ("bureau", "web:liaison-imports", None), ("bureau", "web:liaison-import-template", None),
    ("bureau", "web:liaison-import", "residents"),
    ("liaison", "web:bureau-imports", None), ("liaison", "web:bureau-import-template", None),
    ("liaison", "web:bureau-import", "postings"),
])
def test_the_bureau_and_liaison_staff_cannot_open_each_others_import_pages(world, clients, role, name, job_kind):
    args = [ImportJob.objects.create(kind=job_kind, file_name="a.xlsx", content=b"").pk] if job_kind else []
    assert clients[role].get(reverse(name, args=args)).status_code == 403


def test_another_liaison_worker_cannot_open_my_import(world, clients, liaison_import, station, room2):
    colleague = logged_in(f.liaison_user_for(station, room2, username="liaison2"))
    address = reverse("web:liaison-import", args=[liaison_import.pk])
    assert (colleague.get(address).status_code, clients["other_liaison"].get(address).status_code,
            clients["admin"].get(address).status_code) == (404, 404, 200)
    assert liaison_import.file_name not in colleague.get(reverse("web:liaison-imports")).content.decode()


def test_a_residents_import_is_not_found_among_the_postings_imports(world, clients, liaison_import):
    response = clients["admin"].get(reverse("web:bureau-import", args=[liaison_import.pk]))
    assert response.status_code == 404


def test_liaison_staff_have_an_import_item_in_the_navigation(world, clients):
    address = reverse("web:liaison-imports")
    liaison_page = clients["liaison"].get(reverse("web:liaison-followups")).content.decode()
    bureau_page = clients["bureau"].get(reverse("web:bureau-postings")).content.decode()
    assert (f'href="{address}"' in liaison_page, f'href="{address}"' in bureau_page) == (True, False)
