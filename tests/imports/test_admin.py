"""The admin's "import from spreadsheet" pages for postings and residents."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from jobs.models import JobPosting
from residents.models import Resident
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import POSTING_HEADERS, posting_row, xlsx_bytes
from .test_residents import HEADERS as RESIDENT_HEADERS
from .test_residents import resident_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _file(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.mark.parametrize("model", [JobPosting, Resident])
def test_the_change_list_links_to_the_import_page(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import_spreadsheet")
    changelist = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert url in changelist.content.decode()
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content


def test_postings_upload_shows_the_outcome_with_row_errors(admin_client, django_capture_on_commit_callbacks):
    rows = [posting_row(), posting_row(title="厨师", contact_phone="12")]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:jobs_jobposting_import_spreadsheet"),
                                     {"file": _file(xlsx_bytes(POSTING_HEADERS, rows), "岗位.xlsx")})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:jobs_jobposting_import_result", args=[job.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert "联系电话" in page
    assert JobPosting.objects.count() == 1
    assert "岗位.xlsx" in admin_client.get(reverse("admin:jobs_jobposting_import_spreadsheet")).content.decode()


def test_a_bad_file_is_a_form_error_and_nothing_is_stored(admin_client):
    response = admin_client.post(reverse("admin:jobs_jobposting_import_spreadsheet"),
                                 {"file": _file(b"%PDF", "a.pdf")})
    assert response.status_code == 200
    assert gettext("Upload an Excel workbook (.xlsx) or a CSV file (.csv).") in response.content.decode()
    assert not ImportJob.objects.exists()


def test_residents_upload_by_admin(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:residents_resident_import_spreadsheet"),
                                     {"file": _file(xlsx_bytes(RESIDENT_HEADERS, [resident_row()]), "群众.xlsx")})
    assert response.status_code == 302
    assert Resident.objects.count() == 1


@pytest.mark.parametrize(("model", "first_header"), [(JobPosting, "单位名称*"), (Resident, "户编号*")])
def test_the_template_downloads(admin_client, model, first_header):
    response = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import_template"))
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == first_header


def test_staff_without_superuser_may_not_import_residents_in_the_admin(client):
    staff = f.UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_resident", "view_resident"]))
    client.force_login(staff)
    assert client.get(reverse("admin:residents_resident_import_spreadsheet")).status_code == 403


def test_an_import_of_someone_else_is_not_shown(client, admin_user, django_capture_on_commit_callbacks):
    staff = f.UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_jobposting", "view_jobposting"]))
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:jobs_jobposting_import_spreadsheet"),
                    {"file": _file(xlsx_bytes(POSTING_HEADERS, [posting_row()]), "a.xlsx")})
    client.force_login(staff)
    job = ImportJob.objects.get()
    assert client.get(reverse("admin:jobs_jobposting_import_result", args=[job.pk])).status_code == 404
