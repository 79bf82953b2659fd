"""Cells that a spreadsheet cannot run: every CSV and xlsx the project writes goes through these.

A cell whose text starts with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice as a
formula (CSV injection: `=HYPERLINK("http://evil.example/p","岗位详情")`, `+1+cmd|' /C calc'!A0`). In CSV such
text gets a leading apostrophe, which makes it plain text. In xlsx every text cell is written as a string
(never a formula) and one that looks like a formula is also marked "quote prefix", so that Excel keeps it
text even when a clerk edits the cell; its characters stay exactly as entered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run, made inert with a leading apostrophe; anything else unchanged
    (numbers stay numbers: -3 is a number, the text "-3" becomes "'-3")."""
    return "'" + value if looks_like_formula(value) else value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


class SafeCsvWriter:
    """`csv.writer` whose every row is neutralised first."""

    def __init__(self, buffer, **kwargs):
        self._writer = csv.writer(buffer, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_value(value: Any) -> Any:
    """A value as an xlsx cell can hold it: text without the control characters XML cannot carry (text typed in
    is stored without them, but older rows and other sources may still have them; openpyxl refuses the cell)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_append(sheet, row: Sequence[Any]) -> None:
    """Append a row of data to an openpyxl worksheet: text is always a string cell, never a formula."""
    sheet.append([xlsx_value(value) for value in row])
    if not row:
        return
    for cell in sheet[sheet.max_row]:
        xlsx_text_cell(cell)


def xlsx_text_cell(cell) -> None:
    """Make a cell holding text a string cell (openpyxl turns any text starting with "=" into a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True


def xlsx_set(sheet, *, row: int, column: int, value: Any):
    """`sheet.cell(row, column, value)` for data: text never becomes a formula."""
    cell = sheet.cell(row=row, column=column, value=xlsx_value(value))
    xlsx_text_cell(cell)
    return cell


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx_table(title: str, head: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx of one sheet: a bold header, then the rows, every text cell inert (see `xlsx_append`), days and
    times as real dates (aware times in local time, as the pages show them)."""
    import datetime as dt
    import io

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = (title or "sheet")[:31]
    xlsx_append(sheet, [str(h) for h in head])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, dt.datetime):
                value = (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
            values.append(value)
        xlsx_append(sheet, values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    for index in range(1, len(head) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
