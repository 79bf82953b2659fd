"""Importing job postings from the bureau's spreadsheets (.xlsx, .csv) with Chinese headers.

Every row is created through `employer_create` and `posting_create`; employers are matched by their
USCC and registered on first sight. A row whose employer already has a posting that is not closed
with a near-identical title (rapidfuzz ratio of the cleaned titles ≥ DUPLICATE_TITLE_SCORE) is a
duplicate and skipped, and so is a repeat inside the same file: importing a file twice imports it once.
For speed the titles are coded to occupations and the skill texts resolved in one batch each, and
the employers, places and existing titles looked up once per file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from taxonomy.coding import OCCUPATION_MIN_CONFIDENCE, code_titles
from taxonomy.identifiers import IdentifierError, make_uscc, validate_contact_phone, validate_uscc
from taxonomy.imports import (
    DuplicateOf,
    NamedDuplicate,
    ParsedRow,
    PlaceNames,
    RowImporter,
    RowOutcome,
    RowProblems,
    cell_problem,
    duplicates_named,
    import_job_create,
    import_job_run,
    required_problem,
    skills_by_text,
)
from taxonomy.models import ImportJob, Occupation, Place
from taxonomy.spreadsheets import (
    CellError,
    Column,
    Row,
    cell_bool,
    cell_choice,
    cell_code,
    cell_date,
    cell_decimal,
    cell_int,
    cell_text,
    numbered_instructions,
    write_template,
)
from taxonomy.text import clean_job_title
from taxonomy.validators import CONTACT_PHONE_MESSAGE, USCC_MESSAGES

from .models import Employer, JobPosting, WageUnit
from .services import SkillRequirementInput, employer_create, posting_create

DUPLICATE_TITLE_SCORE = 92
MAX_OPENINGS = 100_000
MAX_WAGE = Decimal("9999999.99")

WAGE_UNITS = {
    "月": WageUnit.MONTH, "元/月": WageUnit.MONTH, "每月": WageUnit.MONTH, "月薪": WageUnit.MONTH,
    "month": WageUnit.MONTH, "天": WageUnit.DAY, "日": WageUnit.DAY, "元/天": WageUnit.DAY, "元/日": WageUnit.DAY,
    "日薪": WageUnit.DAY, "day": WageUnit.DAY, "小时": WageUnit.HOUR, "时": WageUnit.HOUR,
    "元/小时": WageUnit.HOUR, "时薪": WageUnit.HOUR, "hour": WageUnit.HOUR, "计件": WageUnit.PIECE,
    "件": WageUnit.PIECE, "元/件": WageUnit.PIECE, "piece": WageUnit.PIECE,
}
WORK_MODES = {
    "现场": JobPosting.WorkMode.ON_SITE, "到岗": JobPosting.WorkMode.ON_SITE, "线下": JobPosting.WorkMode.ON_SITE,
    "坐班": JobPosting.WorkMode.ON_SITE, "on_site": JobPosting.WorkMode.ON_SITE,
    "居家": JobPosting.WorkMode.HOME_BASED, "居家就业": JobPosting.WorkMode.HOME_BASED,
    "在家": JobPosting.WorkMode.HOME_BASED, "home_based": JobPosting.WorkMode.HOME_BASED,
}
WORK_TIMES = {
    "全职": JobPosting.WorkTime.FULL, "full": JobPosting.WorkTime.FULL, "兼职": JobPosting.WorkTime.PART,
    "part": JobPosting.WorkTime.PART, "灵活": JobPosting.WorkTime.FLEXIBLE, "弹性": JobPosting.WorkTime.FLEXIBLE,
    "灵活时间": JobPosting.WorkTime.FLEXIBLE, "flexible": JobPosting.WorkTime.FLEXIBLE,
}

EXAMPLE_USCC = make_uscc("520622", 1, kind="93")

COLUMNS: tuple[Column, ...] = (
    Column("employer_name", "单位名称", ("用人单位", "企业名称", "公司名称", "招聘单位", "单位", "employer"),
           required=True, example="玉屏示例藤艺专业合作社", width=26,
           note="用人单位全称。按统一社会信用代码匹配已登记的单位；新单位将以此名称登记。"),
    Column("uscc", "统一社会信用代码", ("社会信用代码", "统一信用代码", "信用代码", "uscc"), required=True,
           example=EXAMPLE_USCC, text=True, width=22, note="18位，最后一位为校验码；请将单元格设为文本格式。"),
    Column("title", "岗位名称", ("岗位", "职位", "职位名称", "招聘岗位", "工种", "title"), required=True,
           example="藤椅编织工", width=16, note="同一单位未关闭的岗位中名称几乎相同的，视为重复，不再导入。"),
    Column("openings", "招聘人数", ("人数", "需求人数", "招聘数量", "岗位数量", "openings"), required=True,
           example=5, width=10, note="整数，至少为1。"),
    Column("wage_min", "最低工资", ("工资下限", "薪资下限", "最低薪资", "wage_min"), example=3000,
           width=10, note="数字，单位：元；按“工资单位”计。"),
    Column("wage_max", "最高工资", ("工资上限", "薪资上限", "最高薪资", "wage_max"), example=4500,
           width=10, note="数字，不低于最低工资。"),
    Column("wage_unit", "工资单位", ("计薪方式", "薪资单位", "wage_unit"), choices=("月", "天", "小时", "计件"),
           example="月", width=10, note="月、天、小时或计件；不填为月。"),
    Column("piece_monthly_estimate", "预计月收入", ("计件月收入", "预计月工资", "月收入估算", "预估月收入",
                                                  "piece_monthly_estimate"),
           width=12, note="仅计件岗位填写：按此计件单价，一般每月能挣多少元，如 2800。"
                          "用来与居民的期望工资比较；不填则工资一项不加分也不减分。"),
    Column("work_mode", "工作方式", ("就业方式", "work_mode"), choices=("现场", "居家"), example="现场",
           width=10, note="现场或居家（居家就业，如手工计件）；不填为现场。"),
    Column("work_time", "工作时间", ("全职兼职", "用工形式", "work_time"), choices=("全职", "兼职", "灵活"),
           example="全职", width=10, note="全职、兼职或灵活；不填为全职。"),
    Column("place", "工作地点", ("工作地址", "地点", "work_place", "place"), example="康华社区", width=14,
           note="地名，如 平溪街道、康华社区、碧江区；不填则为单位所在地。新单位须填写。"),
    Column("skill_texts", "技能要求", ("技能", "所需技能", "岗位技能", "skills"), example="会编藤椅", width=20,
           note="自由填写，多项用顿号或逗号分隔；无法识别的技能会保留在岗位上供核对。"),
    Column("age_min", "年龄下限", ("最低年龄", "最小年龄", "age_min"), example=18, width=10,
           note="16至70之间的整数。"),
    Column("age_max", "年龄上限", ("最高年龄", "最大年龄", "age_max"), example=55, width=10,
           note="16至70之间的整数，不低于年龄下限。"),
    Column("valid_until", "截止日期", ("有效期至", "截止时间", "有效期", "报名截止日期", "valid_until"),
           example=dt.date(2026, 12, 31), date=True, width=12,
           note="如 2026-12-31、2026/12/31 或 2026年12月31日。未过期的岗位直接发布，已过期的存为草稿。"),
    Column("description", "岗位描述", ("岗位职责", "工作内容", "岗位要求", "职位描述", "description"),
           example="在扶贫车间编织藤椅，按件计酬，提供免费培训。", width=30, note="选填。"),
    Column("contact_name", "联系人", ("联系人姓名", "contact_name"), example="吴经理", width=10,
           note="新登记单位的联系人。"),
    Column("contact_phone", "联系电话", ("电话", "手机", "手机号", "联系方式", "contact_phone"),
           example="13800000000", text=True, width=14, note="11位手机号。"),
    Column("is_poverty_workshop", "是否扶贫车间", ("扶贫车间", "is_poverty_workshop"), choices=("是", "否"),
           example="否", width=12, note="是或否；新登记单位是否为扶贫车间。"),
)
HEADERS = {column.field: column.header for column in COLUMNS}

INSTRUCTIONS = numbered_instructions("岗位信息导入说明", (
    "每行一个岗位。单位按统一社会信用代码匹配，未登记的单位会自动登记。",
    "同一单位已有名称几乎相同且未关闭的岗位时，该行视为重复，跳过不导入；同一文件重复导入不会产生重复岗位。",
))


def postings_template() -> bytes:
    """The .xlsx template bureau staff fill in."""
    return write_template(COLUMNS, sheet_title="岗位信息", instructions=INSTRUCTIONS)


_MONTHLY_AMOUNT = re.compile(r"^(?:大约|约|月均|平均|每月)?(?P<amount>.*?)(?:元)?(?:/月|每月|一个月)?(?:左右)?$")


def _cell_monthly_amount(value: Any) -> Decimal | None:
    """A monthly amount as people write it: 2800, '约2800元/月', '3,000元左右' (a number, else CellError)."""
    if isinstance(value, str):
        match = _MONTHLY_AMOUNT.match(unicodedata.normalize("NFKC", value).strip().replace(" ", ""))
        value = match["amount"] if match else value
    return cell_decimal(value)


def _parse(row: Row, places: PlaceNames) -> ParsedRow:
    parsed = ParsedRow(HEADERS)
    values = parsed.values
    for name in ("employer_name", "uscc", "title", "openings"):
        if row[name] is None:
            parsed.problem(name, required_problem())
    values["employer_name"] = cell_text(row["employer_name"])
    values["title"] = cell_text(row["title"])
    if row["uscc"] is not None:
        try:
            values["uscc"] = validate_uscc(cell_code(row["uscc"]))
        except IdentifierError as exc:
            parsed.problem("uscc", USCC_MESSAGES[exc.code])
        except CellError as exc:
            parsed.problem("uscc", cell_problem(exc))
    converters = {
        "openings": cell_int, "wage_min": cell_decimal, "wage_max": cell_decimal,
        "piece_monthly_estimate": _cell_monthly_amount, "age_min": cell_int,
        "age_max": cell_int, "valid_until": cell_date, "is_poverty_workshop": cell_bool,
        "wage_unit": lambda v: cell_choice(v, WAGE_UNITS, offered=("月", "天", "小时", "计件")),
        "work_mode": lambda v: cell_choice(v, WORK_MODES, offered=("现场", "居家")),
        "work_time": lambda v: cell_choice(v, WORK_TIMES, offered=("全职", "兼职", "灵活")),
    }
    for name, convert in converters.items():
        try:
            values[name] = convert(row[name])
        except CellError as exc:
            parsed.problem(name, cell_problem(exc))
    openings = values.get("openings")
    if openings is not None and not 1 <= openings <= MAX_OPENINGS:
        parsed.problem("openings", _("The number of openings must be a whole number from 1 to %(max)s.")
                       % {"max": MAX_OPENINGS})
    for name in ("wage_min", "wage_max"):
        wage = values.get(name)
        if wage is not None and not 0 <= wage <= MAX_WAGE:
            parsed.problem(name, _("A wage is a number from 0 to 9,999,999.99 yuan."))
    # The rules across cells, with the cells' own, so that one upload reports every problem of the row.
    low, high = values.get("wage_min"), values.get("wage_max")
    if low is not None and high is not None and high < low:
        parsed.problem("wage_max", _("The maximum wage cannot be lower than the minimum wage."))
    for name in ("age_min", "age_max"):
        age = values.get(name)
        if age is not None and not 16 <= age <= 70:
            parsed.problem(name, _("Age limits must be between 16 and 70."))
    young, old = values.get("age_min"), values.get("age_max")
    if young is not None and old is not None and old < young:
        parsed.problem("age_max", _("The maximum age cannot be lower than the minimum age."))
    estimate = values.get("piece_monthly_estimate")
    if estimate is not None and not 0 <= estimate <= MAX_WAGE:
        parsed.problem("piece_monthly_estimate",
                       _("The estimated monthly earnings are a number from 0 to 9,999,999.99 yuan."))
    elif estimate is not None and "wage_unit" in values and (
        (values["wage_unit"] or WageUnit.MONTH) != WageUnit.PIECE
    ):
        parsed.problem("piece_monthly_estimate",
                       _("An estimate of monthly earnings is only for piece-rate postings."))
    phone = cell_text(row["contact_phone"])
    values["contact_phone"] = ""
    if phone:
        try:
            values["contact_phone"] = validate_contact_phone(cell_code(row["contact_phone"]))
        except (IdentifierError, CellError):
            parsed.problem("contact_phone", CONTACT_PHONE_MESSAGE)
    place_name = cell_text(row["place"])
    values["place"] = places.find(place_name) if place_name else None
    if place_name and values["place"] is None:
        parsed.problem("place", places.problem(place_name))
    values["skill_text"] = cell_text(row["skill_texts"])
    values["description"] = cell_text(row["description"])
    values["contact_name"] = cell_text(row["contact_name"])
    return parsed


class PostingImporter(RowImporter):
    """Imports the rows of a postings file for the user who uploaded it."""

    field_headers = {
        "name": HEADERS["employer_name"], "uscc": HEADERS["uscc"], "contact_name": HEADERS["contact_name"],
        "contact_phone": HEADERS["contact_phone"], "is_poverty_workshop": HEADERS["is_poverty_workshop"],
        "title": HEADERS["title"], "openings": HEADERS["openings"], "wage_min": HEADERS["wage_min"],
        "wage_max": HEADERS["wage_max"], "wage_unit": HEADERS["wage_unit"],
        "piece_monthly_estimate": HEADERS["piece_monthly_estimate"], "work_mode": HEADERS["work_mode"],
        "work_time": HEADERS["work_time"], "place": HEADERS["place"], "age_min": HEADERS["age_min"],
        "age_max": HEADERS["age_max"], "valid_until": HEADERS["valid_until"],
        "description": HEADERS["description"], "skills": HEADERS["skill_texts"],
    }
    default_header = HEADERS["title"]

    def __init__(self, *, user=None, today: dt.date | None = None) -> None:
        super().__init__()
        self.user = user
        self.today = today or timezone.localdate()
        self.places = PlaceNames()
        self.parsed: dict[int, ParsedRow] = {}
        self.employers: dict[str, Employer] = {}
        self.titles: dict[int, list[tuple[str, int]]] = {}
        self.occupations: dict[str, tuple[Occupation | None, float | None]] = {}
        self.skills: dict[str, tuple[list, list[str]]] = {}

    def prepare(self, rows: list[Row]) -> None:
        self.parsed = {row.number: _parse(row, self.places) for row in rows}
        good = [parsed.values for parsed in self.parsed.values() if not parsed.problems]
        usccs = {values["uscc"] for values in good}
        self.employers = {employer.uscc: employer for employer in Employer.objects.filter(uscc__in=usccs)}
        self.titles = {}
        open_titles = (JobPosting.objects.filter(employer__in=list(self.employers.values()))
                       .exclude(status=JobPosting.Status.CLOSED).values_list("employer_id", "title", "pk"))
        for employer_id, title, posting_id in open_titles:
            self.titles.setdefault(employer_id, []).append((clean_job_title(title), posting_id))
        titles = list(dict.fromkeys(values["title"] for values in good))
        self.occupations = {}
        for title, coded in zip(titles, code_titles(titles) if titles else [], strict=True):
            confident = coded.occupation is not None and coded.result.confidence >= OCCUPATION_MIN_CONFIDENCE
            self.occupations[title] = (
                (coded.occupation, round(coded.result.confidence, 3)) if confident else (None, None)
            )
        self.skills = skills_by_text([values["skill_text"] for values in good])

    def _duplicate_of(self, employer: Employer | None, cleaned: str) -> DuplicateOf | None:
        """The employer's open posting (or one of this file) with a near-identical title, if any."""
        seen = self.titles.get(employer.pk) if employer is not None else None
        if not seen:
            return None
        found = process.extractOne(cleaned, [title for title, _id in seen], scorer=fuzz.ratio,
                                   score_cutoff=DUPLICATE_TITLE_SCORE)
        return DuplicateOf("posting", seen[found[2]][1]) if found is not None else None

    def import_row(self, row: Row) -> RowOutcome | DuplicateOf:
        parsed = self.parsed[row.number]
        if parsed.problems:
            raise RowProblems(parsed.problems)
        values = parsed.values
        employer = self.employers.get(values["uscc"])
        cleaned = clean_job_title(values["title"])
        duplicate = self._duplicate_of(employer, cleaned)
        if duplicate is not None:
            return duplicate
        place: Place | None = values["place"]
        if employer is None:
            if place is None:
                raise RowProblems([(HEADERS["place"], _("The employer is not registered yet; give the work place "
                                                        "so that it can be registered there."))])
            employer = employer_create(
                name=values["employer_name"], uscc=values["uscc"], place=place, created_by=self.user,
                contact_name=values["contact_name"], contact_phone=values["contact_phone"],
                is_poverty_workshop=bool(values["is_poverty_workshop"]),
            )
            new_employer = employer
            self.stage(lambda: self.employers.setdefault(new_employer.uscc, new_employer))
        occupation, confidence = self.occupations.get(values["title"], (None, None))
        skills, unresolved = self.skills.get(values["skill_text"], ([], []))
        valid_until = values["valid_until"]
        fields: dict[str, Any] = {
            "openings": values["openings"], "wage_min": values["wage_min"], "wage_max": values["wage_max"],
            "piece_monthly_estimate": values["piece_monthly_estimate"],
            "age_min": values["age_min"], "age_max": values["age_max"], "valid_until": valid_until,
            "description": values["description"], "place": place,
        }
        for name in ("wage_unit", "work_mode", "work_time"):
            if values[name] is not None:
                fields[name] = values[name]
        if occupation is not None:
            fields.update(occupation=occupation, occupation_confidence=confidence)
        posting = posting_create(
            employer=employer, title=values["title"], posted_by=self.user,
            skills=[SkillRequirementInput(skill=skill) for skill in skills], unresolved_skill_texts=unresolved,
            publish=valid_until is None or valid_until >= self.today, **fields,
        )
        employer_id, posting_id = employer.pk, posting.pk
        self.stage(lambda: self.titles.setdefault(employer_id, []).append((cleaned, posting_id)))
        return RowOutcome.IMPORTED


def posting_duplicates_named(records: list[dict], *, place_scope: set[int] | None = None) -> list[NamedDuplicate]:
    """The postings that an import's skipped rows repeat, by employer, title and number (for anyone who may
    import postings: postings are public)."""
    postings = JobPosting.objects.select_related("employer").in_bulk(
        {record["id"] for record in records if record.get("kind") == "posting"})

    def name(row: int, posting_id: int) -> NamedDuplicate | None:
        posting = postings.get(posting_id)
        if posting is None:
            return None
        label = _("%(employer)s · %(title)s (posting no. %(number)s)") % {
            "employer": posting.employer.name, "title": posting.title, "number": posting.pk}
        return NamedDuplicate(row, label, "posting", posting.pk)

    return duplicates_named(records, "posting", name)


def postings_import_create(
    *, file_name: str, content: bytes, created_by=None, language: str = "", submission_key: str = ""
) -> ImportJob:
    """Store a postings spreadsheet to import, after checking that it can be read (ValidationError if not)."""
    return import_job_create(kind=ImportJob.Kind.POSTINGS, file_name=file_name, content=content, columns=COLUMNS,
                             created_by=created_by, language=language, submission_key=submission_key)


def postings_import_run(*, job_id: int) -> ImportJob | None:
    """Import a stored postings spreadsheet (once; a finished job is left as it is)."""
    return import_job_run(job_id=job_id, kind=ImportJob.Kind.POSTINGS, columns=COLUMNS,
                          importer=lambda job: PostingImporter(user=job.created_by))
