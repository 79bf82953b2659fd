"""The imports API: templates, upload and polling, roles, and garbage files refused with nothing stored."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.utils.translation import gettext
from openpyxl import load_workbook

from jobs.models import Employer, JobPosting
from residents.models import Household, Resident
from taxonomy.imports import progress_key
from taxonomy.models import ImportJob

from ..api.support import error_of
from .conftest import POSTING_HEADERS, csv_bytes, posting_row, xlsx_bytes
from .test_residents import HEADERS as RESIDENT_HEADERS
from .test_residents import resident_row

pytestmark = pytest.mark.django_db

IMPORTS = "/api/v1/imports/"


def _upload(api, kind: str, content: bytes, name: str = "a.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return api.post(IMPORTS, {"kind": kind, "file": upload}, format="multipart")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (ImportJob, JobPosting, Employer, Resident, Household)}


def _nothing_stored(before: dict[str, int] | None = None) -> bool:
    return _counts() == (before or dict.fromkeys(_counts(), 0))


@pytest.mark.parametrize(("kind", "who", "first_header"), [("postings", "bureau_user", "单位名称*"),
                                                          ("residents", "liaison_user", "户编号*")])
def test_template_download_is_a_workbook_with_the_headers(api, request, kind, who, first_header):
    response = api.as_user(request.getfixturevalue(who)).get(f"{IMPORTS}templates/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.active["A1"].value == first_header
    assert len(book.worksheets) == 2


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [("resident_user", "postings", 403), ("deputy_user", "postings", 403), ("deputy_user", "residents", 403),
     ("liaison_user", "postings", 403), ("bureau_user", "residents", 403), ("admin_user", "residents", 200),
     ("bureau_user", "payroll", 404)],
)
def test_template_access_by_role(api, request, who, kind, status):
    response = api.as_user(request.getfixturevalue(who)).get(f"{IMPORTS}templates/{kind}/")
    assert response.status_code == status


def test_upload_then_poll(api, bureau_user, django_capture_on_commit_callbacks):
    rows = [posting_row(title="保洁员"), posting_row(title="厨师", wage_min=5000, wage_max=100),
            posting_row(title="急招保洁员")]
    api.as_user(bureau_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api, "postings", xlsx_bytes(POSTING_HEADERS, rows), "岗位.xlsx")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status"}

    detail = api.get(f"{IMPORTS}{body['id']}/").json()
    assert {key: detail[key] for key in ("status", "total", "processed", "imported", "duplicates")} == {
        "status": "finished", "total": 3, "processed": 3, "imported": 1, "duplicates": 1}
    assert detail["errors"] == [{"row": 3, "field": "最高工资",
                                 "message": gettext("The maximum wage cannot be lower than the minimum wage.")}]
    assert detail["duplicate_rows"] == [4]
    assert detail["file_name"] == "岗位.xlsx"

    listed = api.get(IMPORTS).json()["results"]
    assert [(item["id"], item["error_count"]) for item in listed] == [(body["id"], 1)]
    assert "errors" not in listed[0]


def test_the_task_waits_for_the_commit(api, bureau_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(api.as_user(bureau_user), "postings", xlsx_bytes(POSTING_HEADERS, [posting_row()]))
    assert (response.json()["status"], len(callbacks), JobPosting.objects.count()) == ("pending", 1, 0)


def test_progress_comes_from_the_cache_while_running(api, bureau_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job_id = _upload(api.as_user(bureau_user), "postings", xlsx_bytes(POSTING_HEADERS, [posting_row()])).json()["id"]
    ImportJob.objects.filter(pk=job_id).update(status="running")
    cache.set(progress_key(job_id), 1)
    detail = api.get(f"{IMPORTS}{job_id}/").json()
    assert (detail["status"], detail["processed"], detail["total"]) == ("running", 1, 1)


def test_liaison_staff_import_residents_of_their_station_only(api, liaison_user, other_station,
                                                             django_capture_on_commit_callbacks):
    from .test_residents import _id

    rows = [resident_row(), resident_row(household_number="ZJP-1", site="紫气山社区", id_number=_id(41))]
    with django_capture_on_commit_callbacks(execute=True):
        job_id = _upload(api.as_user(liaison_user), "residents", xlsx_bytes(RESIDENT_HEADERS, rows)).json()["id"]
    detail = api.get(f"{IMPORTS}{job_id}/").json()
    assert (detail["imported"], [(e["row"], e["field"]) for e in detail["errors"]]) == (1, [(3, "安置点")])


@pytest.mark.parametrize(
    ("who", "kind"),
    [("resident_user", "postings"), ("resident_user", "residents"), ("deputy_user", "postings"),
     ("deputy_user", "residents"), ("liaison_user", "postings"), ("bureau_user", "residents")],
)
def test_upload_by_a_role_that_may_not_import_it_is_403(api, request, who, kind):
    content = xlsx_bytes(POSTING_HEADERS, [posting_row()]) if kind == "postings" else xlsx_bytes(
        RESIDENT_HEADERS, [resident_row()])
    user = request.getfixturevalue(who)
    before = _counts()
    response = _upload(api.as_user(user), kind, content)
    assert response.status_code == 403
    error_of(response)
    assert _nothing_stored(before)


@pytest.mark.parametrize("who", ["resident_user", "deputy_user"])
def test_the_list_is_closed_to_residents_and_deputies(api, request, who):
    assert api.as_user(request.getfixturevalue(who)).get(IMPORTS).status_code == 403


def test_someone_elses_import_is_not_found(api, bureau_user, django_capture_on_commit_callbacks):
    from tests import factories as f

    with django_capture_on_commit_callbacks(execute=True):
        job_id = _upload(api.as_user(bureau_user), "postings", xlsx_bytes(POSTING_HEADERS, [posting_row()])).json()["id"]
    colleague = f.UserFactory(username="clerk2", role="bureau")
    assert api.as_user(colleague).get(f"{IMPORTS}{job_id}/").status_code == 404
    assert api.get(IMPORTS).json()["results"] == []


def test_anonymous_is_refused(api):
    assert api.get(IMPORTS).status_code in (401, 403)


GARBAGE = {
    "pdf": ("a.pdf", b"%PDF-1.4 ...", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
    "no extension": ("data", b"a,b\n1,2\n", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
    "old xls": ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
                "Old Excel files (.xls) cannot be read; save the file as .xlsx (Excel workbook) and upload it again."),
    "random bytes as xlsx": ("a.xlsx", bytes(range(256)) * 4,
                             "The file cannot be read as a spreadsheet; it may be damaged or not really an .xlsx or "
                             ".csv file."),
    "empty": ("a.csv", b"", "The file is empty."),
    "header only": ("a.xlsx", xlsx_bytes(POSTING_HEADERS, []), "The file has a header row but no data rows."),
    "binary csv": ("a.csv", b"\x81\x30\x81", "The CSV file's text encoding is not recognised; save it as UTF-8 or GBK."),
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_garbage_files_are_400_with_the_reason_and_nothing_stored(api, bureau_user, case):
    name, content, msgid = GARBAGE[case]
    response = _upload(api.as_user(bureau_user), "postings", content, name)
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["message"] == gettext(msgid)
    assert error["fields"] == {"file": [gettext(msgid)]}
    assert _nothing_stored()


def test_missing_required_headers_are_named(api, bureau_user):
    content = csv_bytes(["单位名称", "岗位名称", "最低工资"], [["甲", "保洁员", "1"]], encoding="gbk")
    response = _upload(api.as_user(bureau_user), "postings", content, "岗位.csv")
    message = error_of(response)["message"]
    assert response.status_code == 400
    assert "统一社会信用代码、招聘人数" in message
    assert _nothing_stored()


def test_a_file_over_10_mb_is_refused(api, bureau_user):
    content = "单位名称,统一社会信用代码,岗位名称,招聘人数\n".encode() + b"x" * (10 * 1024 * 1024)
    response = _upload(api.as_user(bureau_user), "postings", content, "big.csv")
    assert response.status_code == 400
    assert error_of(response)["message"] == gettext("The file is larger than %(size)s MB.") % {"size": 10}
    assert _nothing_stored()


def test_more_than_20000_rows_is_refused(api, bureau_user):
    rows = [posting_row(title=f"岗位{n}") for n in range(20_001)]
    response = _upload(api.as_user(bureau_user), "postings", csv_bytes(POSTING_HEADERS, rows), "many.csv")
    assert response.status_code == 400
    assert error_of(response)["message"] == gettext(
        "The file has more than %(limit)s data rows; split it into smaller files.") % {"limit": 20000}
    assert _nothing_stored()


@pytest.mark.parametrize("data", [{}, {"kind": "postings"}, {"kind": "payroll", "file": "x"}, {"file": "x"}])
def test_a_form_without_kind_or_file_is_400(api, bureau_user, data):
    response = api.as_user(bureau_user).post(IMPORTS, data, format="multipart")
    assert response.status_code == 400
    error_of(response)
    assert _nothing_stored()


def test_json_is_not_accepted_for_uploads(api, bureau_user):
    response = api.as_user(bureau_user).post(IMPORTS, {"kind": "postings"}, format="json")
    assert response.status_code == 415
    error_of(response)
