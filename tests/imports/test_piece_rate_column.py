"""The postings import's 预计月收入 column: a piece-rate posting's estimate of monthly earnings."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook

from jobs import imports
from jobs.imports import postings_import_create, postings_import_run
from jobs.models import JobPosting
from taxonomy.identifiers import make_uscc
from taxonomy.models import ImportJob

from .conftest import POSTING_HEADERS, csv_bytes, posting_row, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = "预计月收入"
ONLY_PIECE = "An estimate of monthly earnings is only for piece-rate postings."
RANGE = "The estimated monthly earnings are a number from 0 to 9,999,999.99 yuan."


def _import(content: bytes, user, file_name: str = "岗位.xlsx") -> ImportJob:
    job = postings_import_create(file_name=file_name, content=content, created_by=user)
    return postings_import_run(job_id=job.pk)


def _piece_row(**values) -> list:
    return posting_row(**{"title": "藤椅编织工（居家计件）", "wage_min": 2, "wage_max": 2.5, "wage_unit": "计件",
                          "work_mode": "居家", "work_time": "灵活", **values})


def test_the_template_offers_the_column_after_the_wage_unit():
    sheet = load_workbook(BytesIO(imports.postings_template())).active
    headers = [cell.value for cell in sheet[1]]
    assert headers.index(HEADER) == headers.index("工资单位") + 1
    assert sheet.cell(row=2, column=headers.index(HEADER) + 1).value is None  # the example row is monthly


@pytest.mark.parametrize("cell", [2800, "2800", "2,800", "约2800元/月", "２８００元", "2800元左右", "2800.00"])
def test_a_piece_rate_row_keeps_its_monthly_estimate(bureau_user, cell):
    job = _import(xlsx_bytes(POSTING_HEADERS, [_piece_row(piece_monthly_estimate=cell)]), bureau_user)
    assert (job.imported, job.errors) == (1, [])
    posting = JobPosting.objects.get()
    assert (posting.wage_unit, posting.wage_min, posting.wage_max) == ("piece", Decimal("2.00"), Decimal("2.50"))
    assert posting.piece_monthly_estimate == Decimal("2800")


def test_the_column_is_optional(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [_piece_row(), posting_row(uscc=make_uscc("520622", 2))]), bureau_user)
    assert (job.imported, job.errors) == (2, [])
    assert list(JobPosting.objects.values_list("piece_monthly_estimate", flat=True)) == [None, None]


@pytest.mark.parametrize(
    ("row", "msgid"),
    [
        (_piece_row(piece_monthly_estimate=-100), RANGE),
        (_piece_row(piece_monthly_estimate=10**8), RANGE),
        (posting_row(piece_monthly_estimate=2800), ONLY_PIECE),  # a monthly wage
        (posting_row(wage_unit=None, piece_monthly_estimate=2800), ONLY_PIECE),  # no unit: monthly
        (posting_row(wage_unit="天", wage_min=120, wage_max=150, piece_monthly_estimate=2800), ONLY_PIECE),
    ],
)
def test_a_bad_estimate_is_reported_under_its_column(bureau_user, row, msgid):
    job = _import(xlsx_bytes(POSTING_HEADERS, [row]), bureau_user)
    assert job.imported == 0
    assert [(error["row"], error["field"], error["message"]) for error in job.errors] == [(2, HEADER, gettext(msgid))]
    assert not JobPosting.objects.exists()


def test_text_that_is_not_a_number_is_reported_under_its_column(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [_piece_row(piece_monthly_estimate="看情况")]), bureau_user)
    assert [(error["row"], error["field"]) for error in job.errors] == [(2, HEADER)]
    assert all(error["message"] for error in job.errors)
    assert not JobPosting.objects.exists()


def test_a_bad_wage_unit_is_reported_once_not_twice(bureau_user):
    job = _import(xlsx_bytes(POSTING_HEADERS, [_piece_row(wage_unit="每年", piece_monthly_estimate=2800)]),
                  bureau_user)
    assert [error["field"] for error in job.errors] == ["工资单位"]


@pytest.mark.parametrize("header", ["计件月收入", "预计月工资", "月收入估算", "piece_monthly_estimate"])
def test_other_spellings_of_the_header_in_a_csv(bureau_user, header):
    headers = ["单位名称", "统一社会信用代码", "岗位名称", "招聘人数", "最低工资", "最高工资", "工资单位", header,
               "工作方式", "工作地点"]
    rows = [["玉屏藤艺专业合作社", make_uscc("520622", 778), "藤椅编织工", "3", "45", "60", "计件", "3200", "居家",
             "康华社区"]]
    job = _import(csv_bytes(headers, rows), bureau_user, file_name="岗位.csv")
    assert (job.imported, job.errors) == (1, [])
    assert JobPosting.objects.get().piece_monthly_estimate == Decimal("3200")
