"""The station's report: a sentence in its own words, an Excel workbook and CSV of the figures."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
        head = [_("id"), _("title"), _("employer"), _("occupation"), _("openings"), _("published at")]
        rows = [[p.pk, p.title, p.employer.name, p.occupation.name if p.occupation else "", p.openings,
                 p.published_at.strftime("%Y-%m-%d") if p.published_at else ""] for p in records]
    elif figure in (Figure.RESIDENTS_RECOMMENDED, Figure.WORKING_AGE_RESIDENTS, Figure.WORKING_AGE_EMPLOYED):
        head = [_("id"), _("full name"), _("ID number"), _("household number"), _("employment status")]
        rows = [[r.pk, r.name, r.id_number_masked, r.household.number, r.get_employment_status_display()]
                for r in records]
    elif figure == Figure.PLACEMENTS:
        head = [_("id"), _("resident"), _("posting"), _("employer"), _("start date"), _("status")]
        rows = [[p.pk, p.resident.name, p.posting.title, p.posting.employer.name, p.start_date.isoformat(),
                 p.get_status_display()] for p in records]
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


def report_workbook(stats: Statistics) -> bytes:
    """An .xlsx: a summary sheet, then one sheet per figure with the records behind it."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("summary"))[:31]
    sheet.append([stats.scope.name, f"{stats.period.start:%Y-%m-%d} – {stats.period.end:%Y-%m-%d}"])
    sheet.append([report_sentence(stats)])
    sheet.append([])
    sheet.append([str(_("figure")), str(_("value"))])
    for row in summary_rows(stats):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 36
    for figure in Figure:
        records = figure_records(figure, stats.scope, stats.period)
        head, rows = record_table(figure, records)
        page = book.create_sheet(str(FIGURE_LABELS[figure])[:31])
        page.append(head)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append(row)
        for index in range(1, len(head) + 1):
            page.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_csv(stats: Statistics) -> str:
    """The summary figures as CSV (UTF-8 with BOM so that Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(_("figure")), str(_("value"))])
    writer.writerows(summary_rows(stats))
    return buffer.getvalue()


def figure_csv(figure: Figure, stats: Statistics) -> str:
    head, rows = record_table(Figure(figure), figure_records(figure, stats.scope, stats.period))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(head)
    writer.writerows(rows)
    return buffer.getvalue()
