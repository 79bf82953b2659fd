"""Tables people keep in Excel or CSV, read into rows and written as templates (pure: no Django).

Reading: an .xlsx (first sheet or a named one) or a .csv (UTF-8, else GB18030, the superset of the
GBK that Chinese Excel writes). The header row is found among the first rows and mapped to field
names through each column's accepted spellings, compared after `normalise_header` (full-width to
half-width, no spaces, no "*" marks, no bracketed notes such as "（元）"). Row numbers are the ones
the user sees in Excel. Cell values are left as Python values (str, int, float, datetime); the
`cell_*` functions turn them into what a column holds and raise `CellError` when they cannot.

Writing: a template workbook with the header row, an example row, drop-downs for columns with a
fixed list of values, text-formatted columns for codes, and a second sheet of instructions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .exports import xlsx_text_cell
from .text import clean_text

XLSX_MAGIC = b"PK\x03\x04"
# An .xlsx is a zip: refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# …or that holds one part bigger than this: a 20,000-row sheet is about 25 MB of XML, while a 200 MB cell
# (208 KB zipped) would take openpyxl half a minute and half a gigabyte before any check could see it.
MAX_UNPACKED_PART_BYTES = 64 * 1024 * 1024
# The header row may sit below a title row or two ("2026年玉屏县岗位信息表").
HEADER_SEARCH_ROWS = 10
# Sheets formatted down to row 1,048,576 are common; this many empty rows in a row end the table.
EMPTY_ROWS_ENOUGH = 1000
# Excel's day 0 (it counts 1900 as a leap year, so serials after February 1900 count from here).
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20_000, 80_000)  # 1954 … 2119: a plausible date, not any number
TEMPLATE_ROWS = 20_000

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>|《[^》]*》")
_SPACES = re.compile(r"\s+")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$", re.IGNORECASE)
_TRUE = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "对"})
_FALSE = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "不是"})


class SpreadsheetError(ValueError):
    """A file that cannot be read as the expected table; `code` says why and `params` the details.

    Codes: unsupported_type, xls, unreadable, too_large_unpacked, encoding, no_sheet, empty,
    missing_headers (params: columns), duplicate_header (params: header), no_rows,
    too_many_rows (params: limit).
    """

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


class CellError(ValueError):
    """A cell whose value is not what its column holds; `code` is what was expected.

    Codes: number, integer, date, boolean, choice (params: choices), id_as_number.
    """

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    """One column of an import: its field, its header as the template writes it, and how to fill it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    choices: tuple[str, ...] = ()
    example: Any = None
    text: bool = False  # codes and numbers that must stay text (ID numbers, phones)
    date: bool = False
    width: int = 14

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header

    def spellings(self) -> set[str]:
        return {normalise_header(name) for name in (self.header, *self.aliases, self.field)} - {""}


@dataclass(frozen=True)
class Row:
    """A data row: its number as Excel shows it, and the value of each mapped column (None if empty)."""

    number: int
    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: which header each field was found under, and the data rows."""

    headers: dict[str, str]
    rows: list[Row]
    header_row: int
    ignored_headers: list[str] = field(default_factory=list)


# --- headers


def normalise_header(text: Any) -> str:
    """'* 最低工资（元）' → '最低工资': NFKC, no bracketed notes, no '*' or spaces, Latin lower-cased."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _BRACKETED.sub("", value)
    value = _SPACES.sub("", value).replace("*", "").replace("＊", "")
    return value.strip(":：").lower()


def header_map(columns: Sequence[Column]) -> dict[str, str]:
    """Each accepted spelling (normalised) → the field it names; a spelling names only one field."""
    mapping: dict[str, str] = {}
    for column in columns:
        for spelling in column.spellings():
            if mapping.setdefault(spelling, column.field) != column.field:
                raise ValueError(f"header spelling {spelling!r} names two columns")
    return mapping


def _match_header(cells: Sequence[Any], mapping: dict[str, str]) -> dict[int, str]:
    return {index: mapping[key] for index, cell in enumerate(cells) if (key := normalise_header(cell)) in mapping}


# --- files


def file_kind(file_name: str, content: bytes) -> str:
    """'xlsx' or 'csv' from the file name (and, for .xlsx, the zip signature); SpreadsheetError otherwise."""
    name = (file_name or "").lower().strip()
    if name.endswith((".xlsx", ".xlsm")):
        if not content.startswith(XLSX_MAGIC):
            raise SpreadsheetError("unreadable")
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    if name.endswith((".xls", ".et", ".wps")):
        raise SpreadsheetError("xls")
    raise SpreadsheetError("unsupported_type")


def decode_csv(content: bytes) -> str:
    """CSV bytes as text: UTF-16 when it has a BOM, UTF-8 (with or without BOM), else GB18030 (GBK)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("encoding")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def csv_rows(content: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of a CSV file; the row number counts records, as Excel does when it opens it."""
    text = decode_csv(content)
    if "\x00" in text:
        raise SpreadsheetError("unreadable")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, tuple(cells)
    except csv.Error:
        raise SpreadsheetError("unreadable") from None


def xlsx_rows(content: bytes, sheet_name: str | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of a sheet of an .xlsx file: the named one, or the first."""
    from openpyxl import load_workbook  # imported here: CSV-only callers need not load it

    buffer = io.BytesIO(content)
    try:
        with zipfile.ZipFile(buffer) as archive:
            parts = archive.infolist()
            if (sum(info.file_size for info in parts) > MAX_UNPACKED_BYTES
                    or any(info.file_size > MAX_UNPACKED_PART_BYTES for info in parts)):
                raise SpreadsheetError("too_large_unpacked")
        buffer.seek(0)
        book = load_workbook(buffer, read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception:  # a broken or foreign zip: openpyxl raises many kinds of error
        raise SpreadsheetError("unreadable") from None
    try:
        if sheet_name is not None:
            if sheet_name not in book.sheetnames:
                raise SpreadsheetError("no_sheet", sheet=sheet_name)
            sheet = book[sheet_name]
        elif book.worksheets:
            sheet = book.worksheets[0]
        else:
            raise SpreadsheetError("no_sheet", sheet="")
        # The stored dimension is often wrong (files written by other tools); read the rows themselves.
        sheet.reset_dimensions()
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, tuple(cells)
        except SpreadsheetError:
            raise
        except Exception:
            raise SpreadsheetError("unreadable") from None
    finally:
        book.close()


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.replace("\u3000", " ").replace("\xa0", " ").strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def read_table(
    content: bytes,
    file_name: str,
    columns: Sequence[Column],
    *,
    sheet_name: str | None = None,
    max_rows: int | None = None,
    skip_example: bool = True,
) -> Sheet:
    """Read the data rows of a file whose header row names the columns; raises SpreadsheetError.

    Unknown headers are ignored (and listed); a missing required header, a header given twice, a
    table with no data rows or with more than `max_rows` are errors. Rows with nothing in the mapped
    columns are skipped. With `skip_example`, a row equal to the template's example in every required
    column (the example row left in place) is skipped too.
    """
    if not content:
        raise SpreadsheetError("empty")
    kind = file_kind(file_name, content)
    source = xlsx_rows(content, sheet_name) if kind == "xlsx" else csv_rows(content)
    mapping = header_map(columns)
    required = [column for column in columns if column.required]
    example = {c.field: cell_text(c.example) for c in required if c.example is not None} if skip_example else {}

    header_number, positions, header_cells = _find_header(source, mapping, required)
    headers: dict[str, str] = {}
    for index, name in positions.items():
        if name in headers:
            raise SpreadsheetError("duplicate_header", header=str(header_cells[index]).strip())
        headers[name] = str(header_cells[index]).strip()
    missing = [column.header for column in required if column.field not in headers]
    if missing:
        raise SpreadsheetError("missing_headers", columns=missing)
    ignored = [str(cell).strip() for index, cell in enumerate(header_cells)
               if index not in positions and cell not in (None, "")]

    rows: list[Row] = []
    empty_run = 0
    for number, cells in source:
        values = {name: _clean_value(cells[index]) if index < len(cells) else None
                  for index, name in positions.items()}
        if all(value is None for value in values.values()):
            empty_run += 1
            if empty_run >= EMPTY_ROWS_ENOUGH:
                break
            continue
        empty_run = 0
        if example and all(cell_text(values.get(name)) == text for name, text in example.items()):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise SpreadsheetError("too_many_rows", limit=max_rows)
        rows.append(Row(number=number, values=values))
    if not rows:
        raise SpreadsheetError("no_rows")
    return Sheet(headers=headers, rows=rows, header_row=header_number, ignored_headers=ignored)


def _find_header(
    source: Iterator[tuple[int, tuple[Any, ...]]], mapping: dict[str, str], required: list[Column]
) -> tuple[int, dict[int, str], tuple[Any, ...]]:
    """The header row: the first of the first rows that names every required column, else the row
    naming the most columns (the caller then reports what it lacks)."""
    best: tuple[int, dict[int, str], tuple[Any, ...]] | None = None
    needed = {column.field for column in required}
    seen_any = False
    for number, cells in source:
        seen_any = seen_any or any(cell not in (None, "") for cell in cells)
        positions = _match_header(cells, mapping)
        if positions and needed <= set(positions.values()):
            return number, positions, cells
        if positions and (best is None or len(positions) > len(best[1])):
            best = (number, positions, cells)
        if number >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        if not seen_any:
            raise SpreadsheetError("empty")
        raise SpreadsheetError("missing_headers", columns=[column.header for column in required])
    return best


# --- cells


def cell_text(value: Any) -> str:
    """A cell as text: '' for empty, integers without '.0', dates as 2026-12-31."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value)).strip()


def cell_code(value: Any) -> str:
    """A code typed into a cell (ID number, USCC, phone): text without spaces; refuses one Excel turned
    into a floating-point number (an 18-digit number loses its last digits)."""
    if isinstance(value, float) and abs(value) >= 1e15:
        raise CellError("id_as_number")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))


def cell_decimal(value: Any) -> Decimal | None:
    """A number from a cell: Excel's int/float, a Decimal, or text like '3,500', '３５００', '3500元'."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))  # 3500.5 stays 3500.5, not its binary expansion
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
        text = re.sub(r"(?:元|块|人|公里|km)$", "", text, flags=re.IGNORECASE)
        if not _NUMBER.match(text):
            raise CellError("number")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise CellError("number") from None
    if not result.is_finite():
        raise CellError("number")
    return result


def cell_int(value: Any) -> int | None:
    """A whole number from a cell: 3, 3.0, '3', '３'; anything with a fraction is an error."""
    number = cell_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError("integer")
    return int(number)


def cell_date(value: Any) -> dt.date | None:
    """A date from a cell: an Excel date or serial number, or text like 2026-12-31, 2026/12/31,
    2026.12.31, 2026年12月31日 or 20261231."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        if isinstance(value, int) and (match := _COMPACT_DATE.match(str(value))):
            return _date(*match.groups())
        raise CellError("date")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise CellError("date")
    return _date(*match.groups())


def _date(year: str, month: str, day: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError("date") from None


def cell_bool(value: Any) -> bool | None:
    """是/否 (also Y/N, yes/no, 1/0, 有/无, √/×) from a cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("boolean")


def cell_choice(value: Any, choices: dict[str, str], *, offered: Iterable[str] = ()) -> str | None:
    """The value a cell's label stands for, from `choices` (label → value, labels compared normalised).

    `offered` are the labels named in the error message (by default every label)."""
    if value is None or value == "":
        return None
    key = normalise_header(cell_text(value))
    for label, result in choices.items():
        if normalise_header(label) == key:
            return result
    raise CellError("choice", choices=list(offered) or list(choices))


# --- templates

# What every import's instructions say first and last; each kind adds its own points between them.
FIRST_POINT = "第1行为表头，请勿修改列名；带 * 的列必须填写。第2行为示例，可删除（内容未改动时导入会自动跳过）。"
LAST_POINTS = (
    "有错误的行不会导入，导入结果会列出行号、列名和原因；改正后可重新导入整个文件。",
    "也可上传CSV文件（UTF-8或GBK编码），表头与本模板相同。单个文件不超过10MB、20000行。",
)


def numbered_instructions(heading: str, points: Sequence[str]) -> tuple[str, ...]:
    """The heading, then the shared first point, the kind's points and the shared last ones, numbered."""
    every = (FIRST_POINT, *points, *LAST_POINTS)
    return (heading, *(f"{number}. {point}" for number, point in enumerate(every, start=1)))


def write_template(
    columns: Sequence[Column],
    *,
    sheet_title: str,
    notes_title: str = "填写说明",
    instructions: Sequence[str] = (),
) -> bytes:
    """A template workbook: header row (required columns marked "*"), one example row, drop-downs for
    columns with choices, text format for code columns, and a second sheet with the instructions
    (a heading, then lines: see `numbered_instructions`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    optional_fill = PatternFill("solid", fgColor="EAF1DD")
    example_font = Font(italic=True, color="808080")
    last_row = TEMPLATE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.template_header)
        cell.font = bold
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "连心")
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        if column.date:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        example = sheet.cell(row=2, column=index, value=column.example)
        example.font = example_font
        if column.text:
            example.number_format = "@"
        elif column.date:
            example.number_format = "yyyy-mm-dd"
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择：" + "、".join(column.choices),
                promptTitle=column.header, prompt="可选：" + "、".join(column.choices), showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(notes_title)
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 30
    notes.column_dimensions["E"].width = 24
    line = 1
    for text in instructions:
        notes.cell(row=line, column=1, value=text).font = bold if line == 1 else Font()
        line += 1
    line += 1
    for index, title in enumerate(("列名", "是否必填", "说明", "可选值", "示例"), start=1):
        notes.cell(row=line, column=index, value=title).font = bold
    for column in columns:
        line += 1
        notes.cell(row=line, column=1, value=column.header)
        notes.cell(row=line, column=2, value="必填" if column.required else "选填")
        notes.cell(row=line, column=3, value=column.note).alignment = Alignment(wrap_text=True, vertical="top")
        notes.cell(row=line, column=4, value="、".join(column.choices))
        notes.cell(row=line, column=5, value=cell_text(column.example))

    for worksheet in (sheet, notes):  # the template holds no formula of its own: all text stays text
        for cells in worksheet.iter_rows():
            for cell in cells:
                xlsx_text_cell(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
