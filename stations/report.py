"""The station's report: a sentence in its own words, an Excel workbook and CSV of the figures."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jobs.wages import wage_text
from taxonomy.exports import SafeCsvWriter, xlsx_append

from .statistics import FIGURE_LABELS, FIGURE_SOURCES, Figure, Statistics, figure_records


def approximate(count: int) -> str:
    """How such reports round: 8 → "8", 23 → "20余", 128 → "120余", 1,023 → "1000余"; exact when round."""
    if count < 10:
        return str(count)
    digits = len(str(count))
    keep = 1 if digits == 2 else 2
    unit = 10 ** (digits - keep)
    floor = count // unit * unit
    return str(count) if floor == count else f"{floor}余"


def report_sentence(stats: Statistics) -> str:
    """E.g. 提供就业信息1000余条，推荐就业100余人，组织培训20余次，实现就业30余人。"""
    values = stats.values
    parts = [
        _("provided %(n)s items of job information") % {"n": approximate(values[Figure.JOBS_PUBLISHED])},
        _("recommended %(n)s people for jobs") % {"n": approximate(values[Figure.RESIDENTS_RECOMMENDED])},
        _("organised %(n)s training sessions") % {"n": approximate(values[Figure.SESSIONS_HELD])},
        _("helped %(n)s people into work") % {"n": approximate(values[Figure.PLACEMENTS])},
    ]
    # The station's own form (2021 report): questions answered, receptions held, problems resolved, opinions
    # collected and suggestions formed — said only when the station keeps such records.
    if values.get(Figure.REQUESTS_RECEIVED) or values.get(Figure.RECEPTIONS):
        parts += [
            _("collected and answered %(n)s residents' questions") % {
                "n": approximate(values[Figure.REQUESTS_ANSWERED])},
            _("held %(n)s receptions and visits") % {"n": approximate(values[Figure.RECEPTIONS])},
            _("received %(n)s people") % {"n": approximate(values[Figure.PEOPLE_RECEIVED])},
            _("resolved %(n)s problems") % {"n": approximate(values[Figure.REQUESTS_RESOLVED])},
            _("collected %(n)s items of public opinion") % {"n": approximate(values[Figure.OPINIONS])},
            _("formed %(n)s deputy suggestions") % {"n": approximate(values[Figure.SUGGESTIONS])},
        ]
    return _("%(parts)s.") % {"parts": _(", ").join(parts)}


def record_table(figure: Figure, records) -> tuple[list[str], list[list]]:
    """Columns and rows of the records behind a figure; personal data only ever masked."""
    if figure in FIGURE_SOURCES:
        return FIGURE_SOURCES[figure].table(records)
    if figure == Figure.JOBS_PUBLISHED:
        head = [_("id"), _("title"), _("employer"), _("occupation"), _("wage"), _("openings"), _("published at")]
        rows = [[p.pk, p.title, p.employer.name, p.occupation.name if p.occupation else "",
                 wage_text(p.wage_min, p.wage_max, p.wage_unit), p.openings,
                 p.published_at.strftime("%Y-%m-%d") if p.published_at else ""] for p in records]
    elif figure in (Figure.RESIDENTS_RECOMMENDED, Figure.WORKING_AGE_RESIDENTS, Figure.WORKING_AGE_EMPLOYED):
        head = [_("id"), _("full name"), _("ID number"), _("household number"), _("employment status")]
        rows = [[r.pk, r.name, r.id_number_masked, r.household.number, r.get_employment_status_display()]
                for r in records]
    elif figure == Figure.PLACEMENTS:
        head = [_("id"), _("resident"), _("posting"), _("employer"), _("agreed wage"), _("start date"), _("status")]
        rows = [[p.pk, p.resident.name, p.posting.title, p.posting.employer.name,
                 wage_text(p.wage, None, p.wage_unit), p.start_date.isoformat(), p.get_status_display()]
                for p in records]
    elif figure in (Figure.RETAINED_3M, Figure.RETAINED_6M):
        head = [_("id"), _("resident"), _("posting"), _("due date"), _("still in work")]
        rows = [[f.pk, f.placement.resident.name, f.placement.posting.title, f.due_date.isoformat(),
                 _("yes") if f.still_employed else _("no")] for f in records]
    elif figure == Figure.SESSIONS_HELD:
        head = [_("id"), _("course"), _("start date"), _("end date"), _("place"), _("enrolled"), _("capacity")]
        rows = [[s.pk, s.course.name, s.start_date.isoformat(), s.end_date.isoformat(), s.place.name,
                 s.enrolled_count, s.capacity] for s in records]
    elif figure in (Figure.TRAINEES_COMPLETED, Figure.TRAINEES_PLACED_90D):
        head = [_("id"), _("resident"), _("course"), _("completed at"), _("certificate number")]
        rows = [[e.pk, e.resident.name, e.session.course.name,
                 e.completed_at.strftime("%Y-%m-%d") if e.completed_at else "", e.certificate_number] for e in records]
    elif figure == Figure.INTERESTS:
        head = [_("id"), _("resident"), _("posting"), _("employer"), _("said on")]
        rows = [[i.pk, i.resident.name, i.posting.title, i.posting.employer.name,
                 timezone.localtime(i.expressed_at).date().isoformat()] for i in records]
    elif figure == Figure.ZERO_EMPLOYMENT_HOUSEHOLDS:
        head = [_("id"), _("household number"), _("site"), _("poverty status")]
        rows = [[h.pk, h.number, h.site.name, h.get_poverty_status_display()] for h in records]
    else:  # pragma: no cover - every figure is handled above
        raise ValueError(figure)
    return [str(h) for h in head], rows


def summary_rows(stats: Statistics) -> list[list]:
    rows = [[str(FIGURE_LABELS[f]), stats.values[f]] for f in Figure]
    median = stats.values.get("median_hours_to_answer")
    rows.append([str(_("median time to answer (hours)")), "" if median is None else median])
    rows.append([str(_("zero-employment households at the start")), stats.zero_employment_at_start])
    rows.append([str(_("change in zero-employment households")), stats.zero_employment_change])
    rate = stats.employment_rate
    rows.append([str(_("employment rate of working-age residents")), "" if rate is None else f"{rate:.1%}"])
    return rows


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMAT = "yyyy-mm-dd"


def _cell(value):
    """A record's value as the workbook keeps it: ISO days as real dates."""
    if isinstance(value, str) and _ISO_DAY.match(value):
        return dt.date.fromisoformat(value)
    return value


def _append(sheet, values) -> None:
    xlsx_append(sheet, values)  # text stays text, never a formula
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, dt.date):
            cell.number_format = DATE_FORMAT


def report_workbook(stats: Statistics) -> bytes:
    """An .xlsx: a summary sheet (dates as dates, the rate as a number), one sheet per figure with the records behind
    it (no internal ids), and a chart sheet of the last twelve months."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("summary"))[:31]
    _append(sheet, [stats.scope.name, stats.period.start, stats.period.end])
    xlsx_append(sheet, [report_sentence(stats)])
    xlsx_append(sheet, [])
    xlsx_append(sheet, [str(_("figure")), str(_("value"))])
    for label, value in summary_rows(stats)[:-1]:
        xlsx_append(sheet, [label, value])
    rate = stats.employment_rate
    xlsx_append(sheet, [str(_("employment rate of working-age residents")), rate])
    if rate is not None:
        sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 14
    for figure in Figure:
        records = figure_records(figure, stats.scope, stats.period)
        head, rows = record_table(figure, records)
        page = book.create_sheet(str(FIGURE_LABELS[figure])[:31])
        xlsx_append(page, head[1:])  # the first column is the database id: of no use outside
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _append(page, [_cell(value) for value in row[1:]])
        for index in range(1, len(head)):
            page.column_dimensions[get_column_letter(index)].width = 18
    _chart_sheet(book, stats)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_csv(stats: Statistics) -> str:
    """The summary figures as CSV (UTF-8 with BOM so that Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeCsvWriter(buffer)
    writer.writerow([str(_("figure")), str(_("value"))])
    writer.writerows(summary_rows(stats))
    return buffer.getvalue()


def _chart_sheet(book, stats: Statistics) -> None:
    """The last twelve months to the period's end: a table and a bar chart of it."""
    from openpyxl.chart import BarChart, Reference

    from .charts import trend_for

    trend = trend_for(stats.scope, stats.period.end)
    page = book.create_sheet(str(_("trend"))[:31])
    page.append([str(_("month")), str(FIGURE_LABELS[Figure.PLACEMENTS]),
                 str(FIGURE_LABELS[Figure.RESIDENTS_RECOMMENDED]), str(FIGURE_LABELS[Figure.SESSIONS_HELD]),
                 str(_("zero-employment households"))])
    for index, month in enumerate(trend.months):
        year, number = month.split("-")
        page.append([f"{year}年{int(number)}月", trend.placements[index], trend.residents_recommended[index],
                     trend.sessions_held[index], trend.zero_employment_households[index]])
    chart = BarChart()
    chart.title = str(_("The last twelve months"))
    chart.y_axis.title = str(_("number"))
    rows = len(trend.months) + 1
    chart.add_data(Reference(page, min_col=2, max_col=4, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(page, min_col=1, min_row=2, max_row=rows))
    chart.width, chart.height = 24, 12
    page.add_chart(chart, "G2")
    page.column_dimensions["A"].width = 12


def figure_csv(figure: Figure, stats: Statistics) -> str:
    head, rows = record_table(Figure(figure), figure_records(figure, stats.scope, stats.period))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeCsvWriter(buffer)
    writer.writerow(head)
    writer.writerows(rows)
    return buffer.getvalue()
