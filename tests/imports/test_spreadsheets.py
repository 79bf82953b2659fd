"""The pure spreadsheet helpers: headers, encodings, row numbers, cell values, templates (no database)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from taxonomy.spreadsheets import (
    CellError,
    Column,
    SpreadsheetError,
    cell_bool,
    cell_choice,
    cell_code,
    cell_date,
    cell_decimal,
    cell_int,
    normalise_header,
    numbered_instructions,
    read_table,
    write_template,
)

from .conftest import csv_bytes, xlsx_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]

COLUMNS = (
    Column("name", "单位名称", ("企业名称",), required=True, example="示例单位"),
    Column("title", "岗位名称", ("职位",), required=True, example="保洁员"),
    Column("wage_min", "最低工资", ("工资下限",), example=3000),
    Column("unit", "工资单位", choices=("月", "天", "小时", "计件"), example="月"),
    Column("code", "统一社会信用代码", text=True, example="91520622000000001X"),
    Column("until", "截止日期", date=True, example=dt.date(2026, 12, 31)),
)
HEADERS = ["单位名称*", "岗位名称*", "最低工资", "工资单位", "统一社会信用代码", "截止日期"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("单位名称*", "单位名称"),
        ("* 单位名称", "单位名称"),
        ("岗位名称＊", "岗位名称"),
        ("最低工资（元）", "最低工资"),
        ("最低工资(元/月)", "最低工资"),
        ("【必填】岗位名称", "岗位名称"),
        ("  招聘 人数 ", "招聘人数"),
        ("联系电话：", "联系电话"),
        ("ＵＳＣＣ", "uscc"),
        (None, ""),
    ],
)
def test_headers_are_compared_without_marks_brackets_spaces_or_full_width(raw, expected):
    assert normalise_header(raw) == expected


def test_headers_are_found_under_any_accepted_spelling_below_a_title_row():
    content = xlsx_bytes(["企业名称（全称）", "* 职位", "工资下限（元）", "备注"], [["甲公司", "保洁员", 3000, "x"]],
                         title_rows=["2026年玉屏县岗位信息表"])
    sheet = read_table(content, "岗位.xlsx", COLUMNS)
    assert (sheet.header_row, sheet.headers) == (2, {"name": "企业名称（全称）", "title": "* 职位",
                                                     "wage_min": "工资下限（元）"})


def test_unknown_headers_are_ignored_and_listed():
    sheet = read_table(xlsx_bytes(["单位名称", "岗位名称", "备注"], [["甲", "保洁员", "x"]]), "a.xlsx", COLUMNS)
    assert sheet.ignored_headers == ["备注"]


def test_row_numbers_are_excel_row_numbers_and_blank_rows_are_skipped():
    rows = [["甲", "保洁员"], [None, None], ["乙", "厨师"], ["", "  "], ["丙", "保安员"]]
    sheet = read_table(xlsx_bytes(["单位名称", "岗位名称"], rows), "a.xlsx", COLUMNS)
    assert [(row.number, row["name"]) for row in sheet.rows] == [(2, "甲"), (4, "乙"), (6, "丙")]


def test_a_named_sheet_is_read():
    book = Workbook()
    book.active.append(["something else"])
    other = book.create_sheet("岗位")
    other.append(["单位名称", "岗位名称"])
    other.append(["甲", "保洁员"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = read_table(buffer.getvalue(), "a.xlsx", COLUMNS, sheet_name="岗位")
    assert [row.values for row in sheet.rows] == [{"name": "甲", "title": "保洁员"}]


def test_a_missing_named_sheet_is_an_error():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(xlsx_bytes(["单位名称", "岗位名称"], [["甲", "乙"]]), "a.xlsx", COLUMNS, sheet_name="无此表")
    assert (caught.value.code, caught.value.params) == ("no_sheet", {"sheet": "无此表"})


def test_excel_numbers_dates_and_text_keep_their_types():
    when = dt.datetime(2026, 12, 31)
    sheet = read_table(xlsx_bytes(HEADERS, [["甲", "保洁员", 3000.0, "月", "91520622000000001X", when]]),
                       "a.xlsx", COLUMNS)
    assert sheet.rows[0].values == {"name": "甲", "title": "保洁员", "wage_min": 3000, "unit": "月",
                                    "code": "91520622000000001X", "until": when}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_in_chinese_encodings(encoding):
    content = csv_bytes(HEADERS, [["平溪手工艺品有限公司", "藤椅编织工", "3,500", "计件", "", "2026年12月31日"]],
                        encoding=encoding)
    sheet = read_table(content, "jobs.csv", COLUMNS)
    assert sheet.rows[0].values == {"name": "平溪手工艺品有限公司", "title": "藤椅编织工", "wage_min": "3,500",
                                    "unit": "计件", "code": None, "until": "2026年12月31日"}


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_semicolons_or_tabs(delimiter):
    content = delimiter.join(["单位名称", "岗位名称"]).encode() + b"\r\n" + delimiter.join(["甲", "乙"]).encode()
    assert read_table(content, "a.csv", COLUMNS).rows[0].values == {"name": "甲", "title": "乙"}


def test_csv_row_numbers_count_records():
    content = csv_bytes(["单位名称", "岗位名称"], [["甲", "多行\n描述"], ["", ""], ["乙", "厨师"]])
    assert [row.number for row in read_table(content, "a.csv", COLUMNS).rows] == [2, 4]


@pytest.mark.parametrize(
    ("file_name", "content", "code"),
    [
        ("a.xlsx", b"", "empty"),
        ("a.pdf", b"%PDF-1.4", "unsupported_type"),
        ("a", b"x", "unsupported_type"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "xls"),
        ("a.xlsx", b"not a zip at all", "unreadable"),
        ("a.xlsx", b"PK\x03\x04broken zip", "unreadable"),
        ("a.csv", b"\xff\xfe\x00\xd8", "encoding"),
        ("a.csv", b"\x81\x30", "encoding"),
        ("a.csv", "单位名称,岗位名称\n甲,\x00乙\n".encode(), "unreadable"),
        ("a.csv", b"\n\n\n", "empty"),
        ("a.csv", "单位名称,岗位名称\n".encode(), "no_rows"),
    ],
)
def test_unreadable_files(file_name, content, code):
    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, file_name, COLUMNS)
    assert caught.value.code == code


def test_missing_required_headers_are_named():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(csv_bytes(["单位名称", "最低工资"], [["甲", "1"]]), "a.csv", COLUMNS)
    assert (caught.value.code, caught.value.params) == ("missing_headers", {"columns": ["岗位名称"]})


def test_a_file_with_no_known_header_lacks_every_required_column():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(csv_bytes(["姓名", "年龄"], [["甲", "1"]]), "a.csv", COLUMNS)
    assert caught.value.params == {"columns": ["单位名称", "岗位名称"]}


def test_a_column_given_twice_is_an_error():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(csv_bytes(["单位名称", "岗位名称", "职位"], [["甲", "乙", "丙"]]), "a.csv", COLUMNS)
    assert (caught.value.code, caught.value.params) == ("duplicate_header", {"header": "职位"})


def test_more_rows_than_allowed_is_an_error():
    content = csv_bytes(["单位名称", "岗位名称"], [["甲", str(n)] for n in range(6)])
    assert len(read_table(content, "a.csv", COLUMNS, max_rows=6).rows) == 6
    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, "a.csv", COLUMNS, max_rows=5)
    assert (caught.value.code, caught.value.params) == ("too_many_rows", {"limit": 5})


@pytest.mark.parametrize(
    "value",
    ["2026/12/31", "2026-12-31", "2026年12月31日", "2026.12.31", "2026-12-31 00:00:00", "20261231", 20261231,
     "２０２６／１２／３１", 46387, 46387.0, dt.datetime(2026, 12, 31, 0, 0), dt.date(2026, 12, 31)],
)
def test_dates(value):
    assert cell_date(value) == dt.date(2026, 12, 31)


@pytest.mark.parametrize("value", ["2026-02-30", "明年", "12/31/2026", "2026-13-01", 123, 3.5, "2026年"])
def test_not_dates(value):
    with pytest.raises(CellError) as caught:
        cell_date(value)
    assert caught.value.code == "date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3500, Decimal("3500")), (3500.5, Decimal("3500.5")), (Decimal("12.30"), Decimal("12.30")),
     ("3,500", Decimal("3500")), ("３５００", Decimal("3500")), ("3500元", Decimal("3500")), (" 0.5 ", Decimal("0.5")),
     ("-20", Decimal("-20")), (None, None), ("", None)],
)
def test_numbers(value, expected):
    assert cell_decimal(value) == expected


@pytest.mark.parametrize("value", ["若干", "3千", "NaN", "inf", "1e", True, "3-5"])
def test_not_numbers(value):
    with pytest.raises(CellError):
        cell_decimal(value)


def test_whole_numbers():
    assert [cell_int(v) for v in (3, 3.0, "3", "３", "3.00", None)] == [3, 3, 3, 3, 3, None]
    with pytest.raises(CellError) as caught:
        cell_int(2.5)
    assert caught.value.code == "integer"


def test_yes_and_no():
    assert [cell_bool(v) for v in ("是", "否", "Y", "no", 1, 0, True, "√", None)] == [
        True, False, True, False, True, False, True, True, None]
    with pytest.raises(CellError):
        cell_bool("也许")


def test_choices_compare_normalised_labels():
    units = {"月": "month", "元/月": "month", "计件": "piece"}
    assert [cell_choice(v, units) for v in ("月", " 元/月 ", "计件", None)] == ["month", "month", "piece", None]
    with pytest.raises(CellError) as caught:
        cell_choice("每年", units, offered=("月", "计件"))
    assert caught.value.params == {"choices": ["月", "计件"]}


def test_codes_stay_text_and_a_code_excel_made_a_float_is_refused():
    assert cell_code(" 52062219880315002X ") == "52062219880315002X"
    assert cell_code(13912345678) == "13912345678"
    with pytest.raises(CellError) as caught:
        cell_code(5.20622198803150e17)
    assert caught.value.code == "id_as_number"


def test_template_has_headers_example_drop_downs_text_columns_and_instructions():
    content = write_template(COLUMNS, sheet_title="岗位信息", instructions=("岗位信息导入说明", "第2行为示例。"))
    book = load_workbook(io.BytesIO(content))
    sheet = book["岗位信息"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert [cell.value for cell in sheet[2]][:4] == ["示例单位", "保洁员", 3000, "月"]
    validations = {v.formula1: str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert validations == {'"月,天,小时,计件"': "D2:D20001"}
    assert sheet.column_dimensions["E"].number_format == "@"
    notes = book.worksheets[1]
    assert notes.title == "填写说明"
    assert notes["A1"].value == "岗位信息导入说明"
    assert ["单位名称", "必填"] in [[cell.value for cell in row][:2] for row in notes.iter_rows()]


def test_the_untouched_example_row_is_skipped_and_the_first_real_row_is_row_3():
    book = load_workbook(io.BytesIO(write_template(COLUMNS, sheet_title="岗位信息")))
    with pytest.raises(SpreadsheetError) as caught:
        read_table(_saved(book), "t.xlsx", COLUMNS)
    assert caught.value.code == "no_rows"
    book.active.append(["甲公司", "厨师"])
    assert [(row.number, row["name"]) for row in read_table(_saved(book), "t.xlsx", COLUMNS).rows] == [(3, "甲公司")]
    book.active["B2"] = "保洁员（改）"  # an example row that was edited is data
    assert len(read_table(_saved(book), "t.xlsx", COLUMNS).rows) == 2


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_spreadsheets_module_does_not_import_django():
    code = (
        "import sys\n"
        "import taxonomy.spreadsheets as s\n"
        "s.write_template([s.Column('a', 'A', required=True)], sheet_title='x')\n"
        "loaded = sorted(name for name in sys.modules if name == 'django' or name.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_instructions_are_numbered_with_the_shared_points_first_and_last():
    lines = numbered_instructions("导入说明", ("每行一人。",))
    assert lines[0] == "导入说明"
    assert [line.split(". ", 1)[0] for line in lines[1:]] == ["1", "2", "3", "4"]
    assert lines[2] == "2. 每行一人。"
    assert lines[1].startswith("1. 第1行为表头")
    assert lines[-1].startswith("4. 也可上传CSV")
