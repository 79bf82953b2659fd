"""Exports a spreadsheet cannot run: every CSV and xlsx the project writes, fed hostile values."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook, load_workbook

from jobs.admin import EmployerResource, JobPostingResource
from jobs.imports import COLUMNS as POSTING_COLUMNS
from matching import services as matching
from residents.imports import residents_template
from taxonomy.exports import FORMULA_TRIGGERS, SafeCsvWriter, neutralise, xlsx_append
from taxonomy.spreadsheets import write_template
from tests import factories as f

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/p","岗位详情")'
CMD = "+1+cmd|' /C calc'!A0"
HOSTILE = [HYPERLINK, CMD, "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_each_trigger_is_neutralised_and_the_rest_left_alone():
    for trigger in FORMULA_TRIGGERS:
        assert neutralise(trigger + "1+1") == "'" + trigger + "1+1"
    assert [neutralise(v) for v in ("王小芳", "3,000元/月", -3, 2.5, None, "")] == ["王小芳", "3,000元/月", -3, 2.5,
                                                                                   None, ""]
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows([HOSTILE])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + value for value in HOSTILE]


def assert_inert_xlsx(content: bytes, hostile: list[str]) -> None:
    """No cell is a formula, and each hostile value is there as text marked with a quote prefix."""
    book = load_workbook(io.BytesIO(content))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value in hostile:
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                    seen.add(cell.value)
    assert seen == set(hostile)


def assert_inert_csv(content: str, hostile: list[str]) -> None:
    cells = [cell for row in csv.reader(io.StringIO(content.lstrip("\ufeff"))) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)], cells
    for value in hostile:
        assert "'" + value in cells, value


def test_an_appended_xlsx_row_keeps_text_as_text():
    book = Workbook()
    xlsx_append(book.active, [*HOSTILE, 5, -3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert_inert_xlsx(buffer.getvalue(), HOSTILE[:-1])  # XML reads a stored CR back as a line feed
    assert load_workbook(buffer).active["F1"].quotePrefix
    assert [c.value for c in load_workbook(buffer).active[1]][-2:] == [5, -3]


def test_control_characters_stored_earlier_do_not_break_a_workbook(api, liaison_user, station, hostile_activity):
    """Text typed in is stored without control characters, but rows from before that rule may hold them: the
    workbook leaves them out instead of failing (openpyxl refuses them in a cell)."""
    posting, resident = hostile_activity
    type(posting).objects.filter(pk=posting.pk).update(title="电子厂\x01普工\x1b")
    response = api.as_user(liaison_user).get(f"/api/v1/statistics/report/?scope=station&id={station.pk}&file=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert "电子厂普工" in cells


@pytest.fixture
def hostile_activity(liaison_user, room1, room2, station):
    """A published posting and a hired resident whose title and name are formulas."""
    posting = f.PostingFactory(title=HYPERLINK, place=f.place(f.ANPING))
    resident = f.ResidentFactory(name=CMD)
    matching.placement_record(resident=resident, posting=posting, recorded_by=liaison_user)
    return posting, resident


def test_the_api_report_workbook_and_csv_are_inert(api, liaison_user, station, hostile_activity):
    client = api.as_user(liaison_user)
    workbook = client.get(f"/api/v1/statistics/report/?scope=station&id={station.pk}&file=xlsx")
    assert workbook.status_code == 200
    assert_inert_xlsx(workbook.content, [HYPERLINK, CMD])
    summary = client.get(f"/api/v1/statistics/report/?scope=station&id={station.pk}&file=csv")
    assert summary.status_code == 200
    assert_inert_csv(summary.content.decode(), [])


def test_the_dashboard_downloads_are_inert(deputy_user, station, hostile_activity):
    client = Client()
    client.force_login(deputy_user)
    query = {}  # the deputy's first scope: their station, this month
    workbook = client.get("/dashboard/report.xlsx", query)
    assert workbook.status_code == 200
    assert_inert_xlsx(workbook.content, [HYPERLINK, CMD])
    for figure, hostile in (("jobs_published", [HYPERLINK]), ("placements", [HYPERLINK, CMD])):
        response = client.get(f"/dashboard/figures/{figure}.csv", query)
        assert response.status_code == 200, figure
        assert_inert_csv(response.content.decode(), hostile)
    assert client.get("/dashboard/report.csv", query).status_code == 200


def test_the_admin_exports_are_inert(hostile_activity):
    posting, _resident = hostile_activity
    employer = posting.employer
    type(employer).objects.filter(pk=employer.pk).update(contact_name=CMD, address="@evil")
    postings = JobPostingResource().export()
    employers = EmployerResource().export()
    assert_inert_csv(CSV().export_data(postings), [HYPERLINK])
    assert_inert_csv(CSV().export_data(employers), [CMD, "@evil"])
    for dataset in (postings, employers):
        book = load_workbook(io.BytesIO(XLSX().export_data(dataset)))
        assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]


def test_templates_keep_every_cell_text():
    hostile_columns = [type(column)(**{**column.__dict__, "example": HYPERLINK}) if index == 0 else column
                       for index, column in enumerate(POSTING_COLUMNS)]
    assert_inert_xlsx(write_template(hostile_columns, sheet_title="岗位信息"), [HYPERLINK])
    book = load_workbook(io.BytesIO(residents_template()))
    assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]
