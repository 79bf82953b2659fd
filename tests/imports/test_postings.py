"""Importing job postings: 5,000 rows with 50 bad ones, re-runs, GBK CSV, duplicates, a crash mid-file."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from jobs import imports
from jobs.imports import postings_import_create, postings_import_run
from jobs.models import Employer, JobPosting
from taxonomy.coding import occupation_coder, skill_resolver
from taxonomy.identifiers import make_uscc
from taxonomy.models import ImportJob
from taxonomy.validators import CONTACT_PHONE_MESSAGE, USCC_MESSAGES
from tests import factories as f

from .conftest import POSTING_FIELDS, POSTING_HEADERS, csv_bytes, posting_row, xlsx_bytes

pytestmark = pytest.mark.django_db

# Ten titles whose cleaned forms are far apart, so one employer can post all of them.
TITLES = ["藤椅编织工", "保洁员", "缝纫工", "电焊工", "叉车司机", "厨师", "保安员", "家政服务员", "仓库管理员", "收银员"]
PLACES = ["平溪街道", "康华社区", "黄岔安置点", "碧江区", "七里塘村"]
DATES = ["2099-12-31", "2099/06/30", "2099年1月31日", "2099.03.01", dt.datetime(2099, 5, 1), "2020-01-01"]
ROWS = 5000
BAD_EVERY = 100  # one bad row in every hundred: 50 of 5,000


def _uscc(index: int) -> str:
    return make_uscc("520622", 300000 + index)


def _good(index: int) -> list:
    employer = index // len(TITLES)
    return posting_row(
        employer_name=f"玉屏企业{employer}有限公司", uscc=_uscc(employer), title=TITLES[index % len(TITLES)],
        openings=1 + index % 7, wage_min=2000 + index % 5 * 100, wage_max=3500 + index % 5 * 100,
        place=PLACES[employer % len(PLACES)], valid_until=DATES[index % len(DATES)],
        skill_texts=["会编藤椅、做保洁", "电焊", "开叉车", "", "做饭"][index % 5],
        is_poverty_workshop="是" if employer % 10 == 0 else "否",
    )


# (what is wrong, the column reported, the row's changes); the title is one no good row of the employer has,
# so a bad row is never taken for a duplicate.
def _bad_cases(uscc: str):
    bad_uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    return [
        ("bad USCC check character", "统一社会信用代码", {"uscc": bad_uscc}),
        ("wage max below min", "最高工资", {"wage_min": 5000, "wage_max": 3000}),
        ("unknown place", "工作地点", {"place": "火星基地"}),
        ("missing title", "岗位名称", {"title": None}),
        ("openings not a number", "招聘人数", {"openings": "若干"}),
        ("age limits reversed", "年龄上限", {"age_min": 50, "age_max": 20}),
        ("invalid date", "截止日期", {"valid_until": "2026-02-30"}),
        ("bad phone", "联系电话", {"contact_phone": "1234567"}),
        ("unknown wage unit", "工资单位", {"wage_unit": "每年"}),
        ("age out of range", "年龄下限", {"age_min": 10}),
    ]


def _rows() -> tuple[list[list], dict[int, tuple[str, str]]]:
    """5,000 rows, every hundredth one bad; returns the rows and {Excel row: (reason, column)}."""
    rows, bad = [], {}
    for index in range(ROWS):
        row = _good(index)
        if index % BAD_EVERY == BAD_EVERY // 2:
            reason, column, changes = _bad_cases(_uscc(index // len(TITLES)))[index // BAD_EVERY % 10]
            values = dict(zip(POSTING_FIELDS, row, strict=True)) | {"title": "质检员"} | changes
            row = [values[name] for name in POSTING_FIELDS]
            bad[index + 2] = (reason, column)
        rows.append(row)
    return rows, bad


def _import(content: bytes, user, file_name: str = "岗位.xlsx") -> ImportJob:
    job = postings_import_create(file_name=file_name, content=content, created_by=user)
    return postings_import_run(job_id=job.pk)


@pytest.fixture(scope="module")
def big_file() -> tuple[bytes, dict[int, tuple[str, str]]]:
    rows, bad = _rows()
    return xlsx_bytes(POSTING_HEADERS, rows), bad


@pytest.mark.slow
def test_five_thousand_rows_import_once_with_every_bad_row_reported(big_file, bureau_user, capsys):
    content, bad = big_file
    started = time.perf_counter()
    job = _import(content, bureau_user)
    first = time.perf_counter() - started

    assert (job.status, job.total_rows, job.imported, job.duplicates) == ("finished", 5000, 4950, 0)
    assert JobPosting.objects.count() == 4950
    assert Employer.objects.count() == 500
    assert {error["row"] for error in job.errors} == set(bad)
    reported = {error["row"]: (bad[error["row"]][0], error["field"]) for error in job.errors}
    assert reported == bad  # one problem per bad row, under the column that is wrong
    assert len(job.errors) == 50
    assert all(error["message"] for error in job.errors)
    _assert_created_as_the_services_would(bureau_user)

    started = time.perf_counter()
    again = _import(content, bureau_user)
    second = time.perf_counter() - started
    assert (again.imported, again.duplicates, len(again.duplicate_rows)) == (0, 4950, 4950)
    assert {error["row"] for error in again.errors} == set(bad)
    assert JobPosting.objects.count() == 4950
    with capsys.disabled():
        print(f"\n5,000-row postings import on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: "
              f"{first:.1f} s first run, {second:.1f} s second run (all duplicates)")


def _queries_outside_the_services(monkeypatch, content: bytes, user) -> int:
    """Queries the import itself issues: all of them, less those inside employer_create and posting_create
    and the SAVEPOINT/RELEASE around each row."""
    count = {"inside": 0, "outside": 0, "depth": 0}

    def counted(service):
        def run(**kwargs):
            count["depth"] += 1
            try:
                return service(**kwargs)
            finally:
                count["depth"] -= 1
        return run

    def counter(execute, sql, params, many, context):
        count["inside" if count["depth"] else "outside"] += 1
        return execute(sql, params, many, context)

    monkeypatch.setattr(imports, "posting_create", counted(imports.posting_create))
    monkeypatch.setattr(imports, "employer_create", counted(imports.employer_create))
    job = postings_import_create(file_name="a.xlsx", content=content, created_by=user)
    with connection.execute_wrapper(counter):
        postings_import_run(job_id=job.pk)
    monkeypatch.undo()
    return count["outside"] - 2 * job.total_rows


def test_the_import_itself_issues_a_constant_number_of_queries(bureau_user, monkeypatch):
    """Employers, places, titles, occupations and skills are looked up once per file, not once per row."""
    occupation_coder(), skill_resolver()  # built once per process, not part of an import
    rows, _bad = _rows()
    small = _queries_outside_the_services(monkeypatch, xlsx_bytes(POSTING_HEADERS, rows[:40]), bureau_user)
    large = _queries_outside_the_services(monkeypatch, xlsx_bytes(POSTING_HEADERS, rows[1000:1200]), bureau_user)
    # a handful (job row, employers, titles, places, occupations, skills, the coders' freshness checks): not per row
    assert max(small, large) <= 20


def _assert_created_as_the_services_would(user) -> None:
    posting = JobPosting.objects.select_related("employer", "place", "occupation").get(
        employer__uscc=_uscc(0), title="藤椅编织工")
    assert (posting.employer.name, posting.employer.is_poverty_workshop, posting.place.name) == (
        "玉屏企业0有限公司", True, "平溪街道")
    assert (posting.openings, posting.wage_min, posting.wage_max, posting.wage_unit) == (
        1, Decimal("2000.00"), Decimal("3500.00"), "month")
    assert (posting.status, posting.posted_by) == ("open", user)
    assert posting.occupation is not None
    assert posting.skills.exists()
    past = JobPosting.objects.filter(valid_until=dt.date(2020, 1, 1))
    assert set(past.values_list("status", flat=True)) == {"draft"}
    assert not JobPosting.objects.filter(valid_until__gte=timezone.localdate()).exclude(status="open").exists()


def _error_table(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(error["row"], error["field"], error["message"]) for error in job.errors]


def test_bad_rows_are_reported_with_the_services_messages(bureau_user):
    uscc = make_uscc("520622", 4242)
    rows = [
        posting_row(uscc=uscc[:-1] + ("0" if uscc[-1] != "0" else "1")),
        posting_row(wage_min=5000, wage_max=3000),
        posting_row(contact_phone="1234567"),
        posting_row(openings="若干", age_min=50, age_max=20),
    ]
    job = _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user)
    assert _error_table(job) == [
        (2, "统一社会信用代码", str(USCC_MESSAGES["check_char"])),
        (3, "最高工资", gettext("The maximum wage cannot be lower than the minimum wage.")),
        (4, "联系电话", str(CONTACT_PHONE_MESSAGE)),
        (5, "招聘人数", gettext("Enter a number.")),
        (5, "年龄上限", gettext("The maximum age cannot be lower than the minimum age.")),  # in the same upload
    ]
    assert JobPosting.objects.count() == 0


def test_several_problems_of_one_row_are_all_reported(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row(title=None, openings=0, valid_until="明年")]), bureau_user)
    assert {(error["row"], error["field"]) for error in job.errors} == {(2, "岗位名称"), (2, "招聘人数"), (2, "截止日期")}


def test_cross_cell_rules_come_with_the_cells_own_in_one_upload(bureau_user):
    """Wage min above max and ages out of range or reversed used to surface only on a second upload."""
    row = posting_row(wage_min=5000, wage_max=3000, age_min=60, age_max=14, openings=0, contact_phone="12345")
    job = _import(xlsx_bytes(POSTING_HEADERS, [row]), bureau_user)
    fields = {error["field"] for error in job.errors}
    assert fields == {imports.HEADERS[name] for name in ("wage_max", "age_max", "openings",
                                                          "contact_phone")}
    messages = " ".join(error["message"] for error in job.errors)
    assert gettext("The maximum wage cannot be lower than the minimum wage.") in messages
    assert gettext("The maximum age cannot be lower than the minimum age.") in messages
    assert gettext("Age limits must be between 16 and 70.") in messages
    assert not JobPosting.objects.exists()


def test_a_new_employers_landline_is_kept_with_its_area_code(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row(contact_phone="0856 3221234")]), bureau_user)
    assert (job.errors, Employer.objects.get().contact_phone) == ([], "0856-3221234")


def test_gbk_csv_with_other_header_spellings(bureau_user):
    headers = ["用人单位", "统一社会信用代码（18位）", "职位", "招聘人数（人）", "最低工资（元）", "最高工资（元）",
               "工资单位", "工作方式", "工作地点", "技能要求", "截止日期", "是否扶贫车间"]
    rows = [
        ["玉屏藤艺专业合作社", make_uscc("520622", 777), "藤椅编织工", "3", "80", "150", "计件", "居家", "康华社区",
         "会编藤椅", "2099年12月31日", "是"],
        ["玉屏藤艺专业合作社", make_uscc("520622", 777), "手工艺品制作工", "10", "2000", "3000", "月", "现场",
         "康华社区", "刺绣、编织", "2099/12/31", "是"],
    ]
    job = _import(csv_bytes(headers, rows, encoding="gbk"), bureau_user, file_name="岗位.csv")
    assert (job.status, job.imported, job.errors) == ("finished", 2, [])
    posting = JobPosting.objects.get(title="藤椅编织工")
    assert (posting.wage_unit, posting.work_mode, posting.employer.is_poverty_workshop) == ("piece", "home_based", True)
    assert posting.valid_until == dt.date(2099, 12, 31)


def test_a_duplicate_inside_the_file_is_skipped(bureau_user):
    rows = [posting_row(title="保洁员"), posting_row(title="急招保洁员3名"), posting_row(title="厨师")]
    job = _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user)
    assert (job.imported, job.duplicates, job.duplicate_rows, job.errors) == (2, 1, [3], [])


def test_a_posting_already_there_is_a_duplicate_unless_it_is_closed(bureau_user):
    employer = f.EmployerFactory(uscc=make_uscc("520622", 555))
    f.PostingFactory(employer=employer, title="保洁员")
    closed = f.PostingFactory(employer=employer, title="厨师")
    JobPosting.objects.filter(pk=closed.pk).update(status="closed")
    rows = [posting_row(uscc=employer.uscc, title="保洁员（长期）"), posting_row(uscc=employer.uscc, title="厨师")]
    job = _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user)
    assert (job.imported, job.duplicate_rows) == (1, [2])
    assert JobPosting.objects.filter(employer=employer, title="厨师").count() == 2


def test_the_same_title_at_another_employer_is_not_a_duplicate(bureau_user):
    rows = [posting_row(uscc=make_uscc("520622", 1), title="保洁员"),
            posting_row(uscc=make_uscc("520622", 2), title="保洁员")]
    assert _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user).imported == 2


def test_a_new_employer_needs_a_work_place(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row(place=None)]), bureau_user)
    assert [(error["row"], error["field"]) for error in job.errors] == [(2, "工作地点")]
    assert Employer.objects.count() == 0


def test_a_registered_employer_keeps_its_place_when_the_row_has_none(bureau_user):
    employer = f.EmployerFactory(uscc=make_uscc("520622", 556), place=f.place(f.KANGHUA_SITE))
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row(uscc=employer.uscc, place=None)]), bureau_user)
    assert job.imported == 1
    assert JobPosting.objects.get().place == employer.place


def test_places_by_exact_name_then_the_shortest_name_containing_it(bureau_user):
    rows = [posting_row(uscc=make_uscc("520622", 10 + n), place=name)
            for n, name in enumerate(["平溪街道", "碧江", "康华", "平溪"])]
    _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user)
    assert list(JobPosting.objects.order_by("employer__uscc").values_list("place__name", flat=True)) == [
        "平溪街道", "碧江区", "康华社区", "平溪村"]


def test_a_failed_row_does_not_leave_its_new_employer_behind(bureau_user):
    rows = [posting_row(wage_min=5000, wage_max=100), posting_row(title="厨师")]
    job = _import(xlsx_bytes(POSTING_HEADERS, rows), bureau_user)
    assert (job.imported, len(job.errors)) == (1, 1)
    assert Employer.objects.count() == 1
    assert JobPosting.objects.get().title == "厨师"


def test_a_crash_mid_file_imports_nothing_and_a_rerun_imports_everything_once(bureau_user, monkeypatch):
    rows = [posting_row(uscc=make_uscc("520622", 20000 + n // 5), title=TITLES[n % 5]) for n in range(150)]
    content = xlsx_bytes(POSTING_HEADERS, rows)
    job = postings_import_create(file_name="岗位.xlsx", content=content, created_by=bureau_user)
    real = imports.posting_create
    calls = {"n": 0}

    def crash_on_row_100(**kwargs):
        calls["n"] += 1
        if calls["n"] == 100:
            raise RuntimeError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(imports, "posting_create", crash_on_row_100)
    crashed = postings_import_run(job_id=job.pk)
    assert (crashed.status, crashed.imported) == ("failed", 0)
    assert "RuntimeError" in crashed.failure
    assert (JobPosting.objects.count(), Employer.objects.count()) == (0, 0)
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == b""  # failed: the file is gone

    monkeypatch.setattr(imports, "posting_create", real)
    assert postings_import_run(job_id=job.pk).status == "failed"  # a late redelivery changes nothing
    assert JobPosting.objects.count() == 0
    again = _import(content, bureau_user)  # uploaded again, it imports everything once
    assert (again.status, again.imported, again.duplicates, again.errors) == ("finished", 150, 0, [])
    assert JobPosting.objects.count() == 150


def test_a_finished_import_is_not_run_again(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row()]), bureau_user)
    assert postings_import_run(job_id=job.pk).imported == 1
    assert JobPosting.objects.count() == 1


def test_a_residents_job_is_not_run_as_postings(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [posting_row()]), bureau_user)
    ImportJob.objects.filter(pk=job.pk).update(kind="residents", status="pending")
    assert postings_import_run(job_id=job.pk) is None


@pytest.mark.parametrize(
    ("file_name", "content", "msgid"),
    [
        ("a.pdf", b"%PDF", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        ("a.xlsx", b"", "The file is empty."),
        ("a.csv", "单位名称,岗位名称\n甲,乙\n".encode(), None),
    ],
)
def test_a_bad_file_is_refused_before_anything_is_stored(bureau_user, file_name, content, msgid):
    with pytest.raises(ValidationError) as caught:
        postings_import_create(file_name=file_name, content=content, created_by=bureau_user)
    message = caught.value.message_dict["file"][0]
    if msgid:
        assert message == gettext(msgid)
    else:
        assert "统一社会信用代码、招聘人数" in message
    assert ImportJob.objects.count() == 0


def test_the_example_row_of_the_template_is_not_imported(bureau_user):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(imports.postings_template()))
    book.active.append(posting_row())
    buffer = BytesIO()
    book.save(buffer)
    job = _import(buffer.getvalue(), bureau_user)
    assert (job.total_rows, job.imported, job.errors) == (1, 1, [])
    assert not Employer.objects.filter(uscc=imports.EXAMPLE_USCC).exists()


def test_the_task_runs_an_import_once(bureau_user):
    from jobs.tasks import postings_import

    job = postings_import_create(file_name="a.xlsx", content=xlsx_bytes(POSTING_HEADERS, [posting_row()]),
                                 created_by=bureau_user)
    assert postings_import.delay(job.pk).get() == 1
    assert postings_import.delay(job.pk).get() == 1  # finished: reported again, not re-run
    assert JobPosting.objects.count() == 1


def test_a_lost_database_marks_the_import_failed_and_is_raised_for_a_retry(bureau_user, monkeypatch):
    from django.db import OperationalError

    job = postings_import_create(file_name="a.xlsx", content=xlsx_bytes(POSTING_HEADERS, [posting_row()]),
                                 created_by=bureau_user)

    def gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    real = imports.posting_create
    monkeypatch.setattr(imports, "posting_create", gone)
    with pytest.raises(OperationalError):
        postings_import_run(job_id=job.pk)
    waiting = ImportJob.objects.get(pk=job.pk)
    assert (waiting.status, waiting.attempts) == ("pending", 1)  # kept, file and all, for the task's retry
    assert JobPosting.objects.count() == 0
    monkeypatch.setattr(imports, "posting_create", real)
    assert postings_import_run(job_id=job.pk).imported == 1
