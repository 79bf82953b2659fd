"""Importing a station's past recommendations and their outcomes (推荐就业记录) from its spreadsheets.

One row is one recommendation of a resident (by Lianxin resident number or ID number) to a posting (by
Lianxin posting number) on a day, with its result: 录用 (with the start, and the leave day and reason once
the person left), 未录用, 本人放弃 or 无结果. Each row goes through `outcome_history_record`; a row already
imported (same resident, posting and day) is skipped as a duplicate, so importing a file twice imports it
once. Liaison staff import only the residents of their station (`allowed_place_ids`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from jobs.models import JobPosting
from residents import pii
from residents.imports import resident_named
from residents.models import Resident
from taxonomy.identifiers import IdentifierError, make_id_number, parse_id_number
from taxonomy.imports import (
    DuplicateOf,
    NamedDuplicate,
    ParsedRow,
    RowImporter,
    RowOutcome,
    RowProblems,
    cell_problem,
    duplicates_named,
    import_job_create,
    import_job_run,
    required_problem,
)
from taxonomy.models import ImportJob
from taxonomy.spreadsheets import (
    CellError,
    Column,
    Row,
    cell_choice,
    cell_code,
    cell_date,
    cell_int,
    cell_text,
    numbered_instructions,
    write_template,
)
from taxonomy.text import normalise_text
from taxonomy.validators import ID_NUMBER_MESSAGES

from .models import Placement, Recommendation
from .services.history import outcome_history_record

S = Recommendation.State
RESULTS = {
    "录用": S.HIRED, "已录用": S.HIRED, "被录用": S.HIRED, "聘用": S.HIRED, "已入职": S.HIRED, "入职": S.HIRED,
    "成功": S.HIRED, "hired": S.HIRED,
    "未录用": S.REJECTED, "不录用": S.REJECTED, "未被录用": S.REJECTED, "落选": S.REJECTED, "未通过": S.REJECTED,
    "企业拒绝": S.REJECTED, "用人单位拒绝": S.REJECTED, "rejected": S.REJECTED,
    "本人放弃": S.DECLINED, "放弃": S.DECLINED, "本人拒绝": S.DECLINED, "拒绝入职": S.DECLINED,
    "不愿意去": S.DECLINED, "declined": S.DECLINED,
    "无结果": S.NO_ANSWER, "无回复": S.NO_ANSWER, "未回复": S.NO_ANSWER, "没有结果": S.NO_ANSWER,
    "联系不上": S.NO_ANSWER, "no_answer": S.NO_ANSWER,
}
RESULT_WORDS = ("录用", "未录用", "本人放弃", "无结果")

R = Placement.EndReason
# Words a leave reason is recognised by, first match wins; anything else is "other", its words kept as the note.
LEAVE_REASONS = (
    (("辞退", "开除", "解雇", "劝退", "被辞", "dismiss"), R.DISMISSED),
    (("倒闭", "关闭", "停产", "停业", "歇业", "破产", "closed"), R.EMPLOYER_CLOSED),
    (("合同到期", "合同期满", "季节", "工期", "项目结束", "到期", "contract"), R.CONTRACT_ENDED),
    (("辞职", "自离", "离职", "本人", "个人原因", "回家", "照顾", "外出", "身体", "太远", "工资低", "quit"), R.QUIT),
)

COLUMNS: tuple[Column, ...] = (
    Column("resident_id", "居民编号", ("居民ID", "群众编号", "resident_id"), example=1, width=10,
           note="连心系统中的居民编号（居民页面上显示）；与身份证号二选一填写即可。"),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "id_number"),
           example=make_id_number("520622", dt.date(1988, 3, 15), 2), text=True, width=22,
           note="18位；与居民编号二选一。请将单元格设为文本格式，以免Excel丢失末尾数字。"),
    Column("posting_id", "岗位编号", ("岗位ID", "posting_id"), required=True, example=1, width=10,
           note="连心系统中的岗位编号（岗位页面上显示）。"),
    Column("recommended_on", "推荐日期", ("推荐时间", "recommended_on"), required=True, example="2025-03-06",
           date=True, width=12),
    Column("result", "结果", ("推荐结果", "结果类型", "result"), required=True, choices=RESULT_WORDS,
           example="录用", width=10, note="录用、未录用、本人放弃 或 无结果。"),
    Column("started_on", "入职日期", ("上岗日期", "入职时间", "started_on"), example="2025-03-16", date=True,
           width=12, note="结果为录用时必填，不早于推荐日期。"),
    Column("left_on", "离职日期", ("离岗日期", "离职时间", "left_on"), date=True, width=12,
           note="仍在岗的不填；不早于入职日期。"),
    Column("leave_reason", "离职原因", ("离岗原因", "leave_reason"), width=16,
           note="如 辞职、辞退、合同到期、企业停产；离职的请填写。"),
)
HEADERS = {column.field: column.header for column in COLUMNS}

INSTRUCTIONS = numbered_instructions("推荐就业记录导入说明", (
    "每行一条推荐记录：哪位群众、在哪天、被推荐到哪个岗位，以及结果。",
    "群众用居民编号或身份证号指明（二选一）；岗位用连心系统中的岗位编号。",
    "同一群众、同一岗位、同一推荐日期的记录只导入一次；重复导入同一文件不会产生重复记录。",
    "录用的记录会占用岗位的一个名额；岗位名额已满时该行列为错误，不会超额。",
    "联络站工作人员只能导入本联络站服务范围内的群众的记录。",
))


def outcomes_template() -> bytes:
    """The .xlsx template of the outcomes import."""
    return write_template(COLUMNS, sheet_title="推荐就业记录", instructions=INSTRUCTIONS)


def leave_reason(text: str) -> str:
    """The end reason a leave reason's words stand for ("" for none)."""
    if not text:
        return ""
    folded = normalise_text(text)
    for words, reason in LEAVE_REASONS:
        if any(word in folded for word in words):
            return reason
    return R.OTHER


def _parse(row: Row) -> ParsedRow:
    parsed = ParsedRow(HEADERS)
    values = parsed.values
    for name in ("posting_id", "recommended_on", "result"):
        if row[name] is None:
            parsed.problem(name, required_problem())
    if row["resident_id"] is None and row["id_number"] is None:
        parsed.problem("resident_id", _("Give the resident's Lianxin number or ID number."))
    for name, convert in (("resident_id", cell_int), ("posting_id", cell_int), ("recommended_on", cell_date),
                          ("started_on", cell_date), ("left_on", cell_date)):
        try:
            values[name] = convert(row[name])
        except CellError as exc:
            parsed.problem(name, cell_problem(exc))
    values["id_hash"] = None
    if row["id_number"] is not None:
        try:
            values["id_hash"] = pii.lookup_hash(parse_id_number(cell_code(row["id_number"])).number)
        except IdentifierError as exc:
            parsed.problem("id_number", ID_NUMBER_MESSAGES[exc.code])
        except CellError as exc:
            parsed.problem("id_number", cell_problem(exc))
    try:
        values["result"] = cell_choice(row["result"], RESULTS, offered=RESULT_WORDS)
    except CellError as exc:
        parsed.problem("result", cell_problem(exc))
    values["leave_text"] = cell_text(row["leave_reason"])
    return parsed


class OutcomeImporter(RowImporter):
    """Imports the rows of an outcomes file; `allowed_place_ids` (None: anywhere) limits whose records."""

    field_headers = {
        "resident": HEADERS["resident_id"], "posting": HEADERS["posting_id"],
        "recommended_on": HEADERS["recommended_on"], "result": HEADERS["result"],
        "started_on": HEADERS["started_on"], "left_on": HEADERS["left_on"], "leave_reason": HEADERS["leave_reason"],
    }
    default_header = HEADERS["result"]

    def __init__(self, *, recorded_by, allowed_place_ids: set[int] | None = None, source: str = "") -> None:
        super().__init__()
        self.recorded_by = recorded_by
        self.allowed_place_ids = allowed_place_ids
        self.source = source
        self.parsed: dict[int, ParsedRow] = {}
        self.residents: dict[int, Resident] = {}
        self.by_hash: dict[str, Resident] = {}
        self.postings: dict[int, JobPosting] = {}

    def prepare(self, rows: list[Row]) -> None:
        self.parsed = {row.number: _parse(row) for row in rows}
        values = [parsed.values for parsed in self.parsed.values()]
        residents = Resident.objects.select_related("household")
        ids = {v["resident_id"] for v in values if v.get("resident_id") is not None}
        self.residents = {r.pk: r for r in residents.filter(pk__in=ids)}
        hashes = {v["id_hash"] for v in values if v.get("id_hash")}
        self.by_hash = {r.id_number_hash: r for r in residents.filter(id_number_hash__in=hashes)}
        posting_ids = {v["posting_id"] for v in values if v.get("posting_id") is not None}
        self.postings = {p.pk: p for p in JobPosting.objects.filter(pk__in=posting_ids)}

    def _resident(self, values: dict, problems: list[tuple[str, str]]) -> Resident | None:
        by_number = by_id = None
        if values.get("resident_id") is not None:
            by_number = self.residents.get(values["resident_id"])
            if by_number is None:
                problems.append((HEADERS["resident_id"], _("No resident has the number %(number)s.")
                                 % {"number": values["resident_id"]}))
        if values.get("id_hash"):
            by_id = self.by_hash.get(values["id_hash"])
            if by_id is None:
                problems.append((HEADERS["id_number"], _("No resident is registered with this ID number.")))
        if by_number is not None and by_id is not None and by_number.pk != by_id.pk:
            problems.append((HEADERS["id_number"], _("The ID number belongs to another resident than number "
                                                     "%(number)s.") % {"number": by_number.pk}))
            return None
        resident = by_number or by_id
        if resident is not None and self.allowed_place_ids is not None \
                and resident.household.site_id not in self.allowed_place_ids:
            problems.append((HEADERS["resident_id"], _("This resident lives outside your station's area; their "
                                                       "records are imported by their own station.")))
            return None
        return resident

    def import_row(self, row: Row) -> RowOutcome | DuplicateOf:
        parsed = self.parsed[row.number]
        values = parsed.values
        problems = list(parsed.problems)
        resident = self._resident(values, problems)
        posting = None
        if values.get("posting_id") is not None:
            posting = self.postings.get(values["posting_id"])
            if posting is None:
                problems.append((HEADERS["posting_id"], _("No posting has the number %(number)s.")
                                 % {"number": values["posting_id"]}))
        if problems or resident is None or posting is None:
            raise RowProblems(problems)
        leave_text = values["leave_text"]
        recommendation, created = outcome_history_record(
            resident=resident, posting=posting, recommended_on=values["recommended_on"], result=values["result"],
            recorded_by=self.recorded_by, started_on=values["started_on"], left_on=values["left_on"],
            end_reason=leave_reason(leave_text) or (R.OTHER if values["left_on"] else ""),
            end_note=leave_text, source=self.source,
        )
        return RowOutcome.IMPORTED if created else DuplicateOf("recommendation", recommendation.pk)


def outcome_duplicates_named(records: list[dict], *, place_scope: set[int] | None = None) -> list[NamedDuplicate]:
    """The recommendations that an import's skipped rows repeat: the resident (when the reader may see them at
    `place_scope`, None: anywhere), the posting and the day."""
    recommendations = Recommendation.objects.select_related("resident__household__site", "posting").in_bulk(
        {record["id"] for record in records if record.get("kind") == "recommendation"})

    def name(row: int, recommendation_id: int) -> NamedDuplicate | None:
        recommendation = recommendations.get(recommendation_id)
        if recommendation is None:
            return None
        return resident_named(row, recommendation.resident, place_scope,
                              _("%(name)s, recommended to %(title)s on %(day)s"),
                              title=recommendation.posting.title, day=recommendation.recommended_on.isoformat())

    return duplicates_named(records, "recommendation", name)


def outcomes_import_create(
    *, file_name: str, content: bytes, created_by=None, allowed_place_ids: set[int] | None = None, language: str = "",
    submission_key: str = "",
) -> ImportJob:
    """Store an outcomes spreadsheet to import, after checking that it can be read (ValidationError if not)."""
    return import_job_create(kind=ImportJob.Kind.OUTCOMES, file_name=file_name, content=content, columns=COLUMNS,
                             created_by=created_by, place_scope=allowed_place_ids, language=language,
                             submission_key=submission_key)


def outcomes_import_run(*, job_id: int) -> ImportJob | None:
    """Import a stored outcomes spreadsheet (once; a finished job is left as it is). The rows are recorded as
    made by whoever uploaded the file."""
    return import_job_run(
        job_id=job_id, kind=ImportJob.Kind.OUTCOMES, columns=COLUMNS,
        importer=lambda job: OutcomeImporter(
            recorded_by=job.created_by, source=job.file_name,
            allowed_place_ids=set(job.place_scope) if job.place_scope is not None else None,
        ),
    )
