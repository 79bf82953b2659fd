"""Spreadsheets for the import tests, written the way Excel and the bureau write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from jobs.imports import COLUMNS as POSTING_COLUMNS
from taxonomy.identifiers import make_uscc
from tests.django_fixtures import cache_clear_own

POSTING_HEADERS = [column.template_header for column in POSTING_COLUMNS]
POSTING_FIELDS = [column.field for column in POSTING_COLUMNS]


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title_rows: Sequence[str] = ()) -> bytes:
    """A workbook whose first sheet has optional title rows, the header row, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("岗位")
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def posting_row(**values: Any) -> list[Any]:
    """A valid postings row in template order; keyword arguments override fields (None empties a cell)."""
    base = {
        "employer_name": "玉屏藤艺专业合作社", "uscc": make_uscc("520622", 900001), "title": "藤椅编织工",
        "openings": 5, "wage_min": 3000, "wage_max": 4500, "wage_unit": "月", "piece_monthly_estimate": None,
        "work_mode": "现场",
        "work_time": "全职", "place": "康华社区", "skill_texts": "会编藤椅", "age_min": 18, "age_max": 55,
        "valid_until": "2099-12-31", "description": "按件计酬", "contact_name": "吴经理",
        "contact_phone": "13812345678", "is_poverty_workshop": "是",
    }
    base.update(values)
    return [base[name] for name in POSTING_FIELDS]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Import progress lives in the cache; every test starts without any (this process's only: a flush would
    wipe those of the tests running in parallel processes too)."""
    cache_clear_own("import-progress:*")
    yield
    cache_clear_own()
