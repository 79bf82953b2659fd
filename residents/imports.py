"""Importing residents from the liaison staff's spreadsheets (.xlsx, .csv) with Chinese headers.

Every row is created through `household_create` and `resident_create`: households are matched by
their number and registered on first sight; a resident whose ID number is already registered (or
appears earlier in the same file) is a duplicate and skipped. Liaison staff may only register
residents at the places of their station: the caller passes those place ids (`allowed_place_ids`,
None for no limit), since residents sits below stations and does not ask it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from taxonomy.identifiers import IdentifierError, make_id_number, parse_id_number, validate_phone
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
from taxonomy.models import ImportJob
from taxonomy.spreadsheets import (
    CellError,
    Column,
    Row,
    cell_bool,
    cell_choice,
    cell_code,
    cell_decimal,
    cell_text,
    numbered_instructions,
    write_template,
)
from taxonomy.validators import ID_NUMBER_MESSAGES, PHONE_MESSAGE

from . import pii
from .models import Household, PovertyStatus, Resident
from .services import SkillLevel, household_create, resident_create

MAX_WAGE = Decimal("9999999.99")
MAX_COMMUTE_KM = Decimal("99999.9")

POVERTY = {"一般户": PovertyStatus.NONE, "普通户": PovertyStatus.NONE, "无": PovertyStatus.NONE,
           "脱贫户": PovertyStatus.LIFTED, "脱贫": PovertyStatus.LIFTED, "监测户": PovertyStatus.MONITORED,
           "监测对象": PovertyStatus.MONITORED, "none": PovertyStatus.NONE, "lifted": PovertyStatus.LIFTED,
           "monitored": PovertyStatus.MONITORED}
E = Resident.Education
EDUCATION = {"未上学": E.NONE, "没上过学": E.NONE, "文盲": E.NONE, "无": E.NONE, "学前": E.NONE, "小学": E.PRIMARY,
             "初中": E.JUNIOR, "高中": E.SENIOR, "中专": E.VOCATIONAL, "职高": E.VOCATIONAL, "技校": E.VOCATIONAL,
             "中职": E.VOCATIONAL, "中技": E.VOCATIONAL, "职业学校": E.VOCATIONAL, "大专及以上": E.COLLEGE,
             "大专": E.COLLEGE, "本科": E.COLLEGE, "大学": E.COLLEGE, "研究生": E.COLLEGE, "硕士": E.COLLEGE,
             **{value: value for value in E.values}}
S = Resident.EmploymentStatus
EMPLOYMENT = {"求职中": S.SEEKING, "待业": S.SEEKING, "失业": S.SEEKING, "未就业": S.SEEKING, "找工作": S.SEEKING,
              "已就业": S.EMPLOYED, "就业": S.EMPLOYED, "务工": S.EMPLOYED, "在岗": S.EMPLOYED,
              "自主创业": S.SELF_EMPLOYED, "创业": S.SELF_EMPLOYED, "个体经营": S.SELF_EMPLOYED,
              "个体": S.SELF_EMPLOYED, "无就业意愿": S.NOT_SEEKING, "不求职": S.NOT_SEEKING,
              "暂不就业": S.NOT_SEEKING, "在校学生": S.STUDENT, "在校": S.STUDENT, "学生": S.STUDENT,
              "退休": S.RETIRED, **{value: value for value in S.values}}
C = Resident.CareDuties
CARE = {"无": C.NONE, "没有": C.NONE, "子女": C.CHILDREN, "孩子": C.CHILDREN, "老人": C.ELDERLY,
        "老人或病人": C.ELDERLY, "子女和老人": C.BOTH, "子女及老人": C.BOTH, "都有": C.BOTH,
        **{value: value for value in C.values}}

COLUMNS: tuple[Column, ...] = (
    Column("household_number", "户编号", ("户号", "户编码", "家庭编号", "household"), required=True,
           example="示例-0001", text=True, width=14, note="同一户的成员填写相同的户编号；未登记的户会自动登记。"),
    Column("site", "安置点", ("安置社区", "居住地", "所在地", "site"), example="康华社区", width=14,
           note="安置点或社区名称，如 黄岔安置点、康华社区。新登记的户须填写；须在本联络站服务范围内。"),
    Column("poverty_status", "脱贫户类型", ("户类型", "脱贫类型", "户类别", "poverty_status"),
           choices=("一般户", "脱贫户", "监测户"), example="脱贫户", width=12, note="一般户、脱贫户或监测户；新登记的户使用。"),
    Column("name", "姓名", ("name",), required=True, example="王小芳", width=10),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "id_number"), required=True,
           example=make_id_number("520622", dt.date(1988, 3, 15), 2), text=True, width=22,
           note="18位，加密保存。请将单元格设为文本格式，以免Excel丢失末尾数字。已登记的身份证号视为重复，跳过。"),
    Column("phone", "手机号", ("手机", "手机号码", "联系电话", "电话", "phone"), example="13900000000", text=True,
           width=14, note="11位手机号，加密保存。"),
    Column("education", "文化程度", ("学历", "education"),
           choices=("未上学", "小学", "初中", "高中", "中专", "大专及以上"), example="初中", width=10),
    Column("employment_status", "就业状态", ("就业情况", "employment_status"),
           choices=("求职中", "已就业", "自主创业", "无就业意愿", "在校学生", "退休"), example="求职中", width=12),
    Column("skill_texts", "技能", ("技能特长", "特长", "掌握技能", "skills"), example="会编藤椅、做保洁", width=20,
           note="自由填写，多项用顿号或逗号分隔；无法识别的会保留供核对。"),
    Column("min_monthly_wage", "期望月薪", ("期望工资", "期望薪资", "min_monthly_wage"), example=2500, width=10,
           note="数字，单位：元/月。"),
    Column("max_commute_km", "最远通勤公里", ("通勤距离", "最远通勤距离", "max_commute_km"), example=10, width=12,
           note="数字，单位：公里。"),
    Column("accepts_home_based", "接受居家就业", ("居家就业", "accepts_home_based"), choices=("是", "否"),
           example="是", width=12, note="是或否；不填为是。"),
    Column("accepts_outside_county", "接受县外就业", ("县外就业", "accepts_outside_county"), choices=("是", "否"),
           example="否", width=12, note="是或否；不填为否。"),
    Column("has_disability", "残疾", ("是否残疾", "has_disability"), choices=("是", "否"), example="否", width=8,
           note="是或否；不填为否。"),
    Column("care_duties", "照料负担", ("照料责任", "care_duties"), choices=("无", "子女", "老人", "子女和老人"),
           example="子女", width=12, note="无、子女、老人或子女和老人；不填为无。"),
)
HEADERS = {column.field: column.header for column in COLUMNS}

INSTRUCTIONS = numbered_instructions("搬迁群众信息导入说明", (
    "每行一人。户按户编号匹配，未登记的户会自动登记在所填安置点。",
    "身份证号已登记的人视为重复，跳过不导入；同一文件重复导入不会产生重复人员。",
    "联络站工作人员只能导入本联络站服务范围内的安置点的群众；范围外的行会列为错误。",
    "身份证号、手机号属于敏感个人信息，系统加密保存、脱敏显示；请妥善保管本表格。",
))


def residents_template() -> bytes:
    """The .xlsx template liaison staff fill in."""
    return write_template(COLUMNS, sheet_title="群众信息", instructions=INSTRUCTIONS)


def _parse(row: Row, places: PlaceNames) -> ParsedRow:
    parsed = ParsedRow(HEADERS)
    values = parsed.values
    for name in ("household_number", "name", "id_number"):
        if row[name] is None:
            parsed.problem(name, required_problem())
    values["household_number"] = cell_text(row["household_number"])
    values["name"] = cell_text(row["name"])
    if row["id_number"] is not None:
        try:
            info = parse_id_number(cell_code(row["id_number"]))
            values["id_number"] = info.number
            values["id_hash"] = pii.lookup_hash(info.number)
        except IdentifierError as exc:
            parsed.problem("id_number", ID_NUMBER_MESSAGES[exc.code])
        except CellError as exc:
            parsed.problem("id_number", cell_problem(exc))
    values["phone"] = ""
    if row["phone"] is not None:
        try:
            values["phone"] = validate_phone(cell_code(row["phone"]))
        except (IdentifierError, CellError):
            parsed.problem("phone", PHONE_MESSAGE)
    converters = {
        "poverty_status": lambda v: cell_choice(v, POVERTY, offered=("一般户", "脱贫户", "监测户")),
        "education": lambda v: cell_choice(v, EDUCATION, offered=COLUMNS[6].choices),
        "employment_status": lambda v: cell_choice(v, EMPLOYMENT, offered=COLUMNS[7].choices),
        "care_duties": lambda v: cell_choice(v, CARE, offered=("无", "子女", "老人", "子女和老人")),
        "min_monthly_wage": cell_decimal, "max_commute_km": cell_decimal, "accepts_home_based": cell_bool,
        "accepts_outside_county": cell_bool, "has_disability": cell_bool,
    }
    for name, convert in converters.items():
        try:
            values[name] = convert(row[name])
        except CellError as exc:
            parsed.problem(name, cell_problem(exc))
    wage, commute = values.get("min_monthly_wage"), values.get("max_commute_km")
    if wage is not None and not 0 <= wage <= MAX_WAGE:
        parsed.problem("min_monthly_wage", _("A wage is a number from 0 to 9,999,999.99 yuan."))
    if commute is not None and not 0 <= commute <= MAX_COMMUTE_KM:
        parsed.problem("max_commute_km", _("A distance is a number of kilometres, 0 or more."))
    site_name = cell_text(row["site"])
    values["site"] = places.find(site_name) if site_name else None
    if site_name and values["site"] is None:
        parsed.problem("site", places.problem(site_name))
    values["skill_text"] = cell_text(row["skill_texts"])
    return parsed


class ResidentImporter(RowImporter):
    """Imports the rows of a residents file; `allowed_place_ids` limits where residents may be added."""

    field_headers = {
        "number": HEADERS["household_number"], "site": HEADERS["site"],
        "poverty_status": HEADERS["poverty_status"], "household": HEADERS["household_number"],
        "name": HEADERS["name"], "id_number": HEADERS["id_number"], "phone": HEADERS["phone"],
        "education": HEADERS["education"], "employment_status": HEADERS["employment_status"],
        "min_monthly_wage": HEADERS["min_monthly_wage"], "max_commute_km": HEADERS["max_commute_km"],
        "accepts_home_based": HEADERS["accepts_home_based"],
        "accepts_outside_county": HEADERS["accepts_outside_county"], "has_disability": HEADERS["has_disability"],
        "care_duties": HEADERS["care_duties"], "skills": HEADERS["skill_texts"],
    }
    default_header = HEADERS["name"]

    def __init__(self, *, allowed_place_ids: set[int] | None = None) -> None:
        super().__init__()
        self.allowed_place_ids = allowed_place_ids
        self.places = PlaceNames()
        self.parsed: dict[int, ParsedRow] = {}
        self.households: dict[str, Household] = {}
        self.registered: dict[str, int] = {}  # ID-number hash → the resident registered with it
        self.skills: dict[str, tuple[list, list[str]]] = {}

    def prepare(self, rows: list[Row]) -> None:
        self.parsed = {row.number: _parse(row, self.places) for row in rows}
        good = [parsed.values for parsed in self.parsed.values() if not parsed.problems]
        numbers = {values["household_number"] for values in good}
        self.households = {h.number: h for h in Household.objects.filter(number__in=numbers)}
        hashes = {values["id_hash"] for values in good}
        self.registered = dict(Resident.objects.filter(id_number_hash__in=hashes)
                               .values_list("id_number_hash", "pk"))
        self.skills = skills_by_text([values["skill_text"] for values in good])

    def _outside(self, place_id: int | None) -> bool:
        return self.allowed_place_ids is not None and place_id is not None and place_id not in self.allowed_place_ids

    def import_row(self, row: Row) -> RowOutcome | DuplicateOf:
        parsed = self.parsed[row.number]
        if parsed.problems:
            raise RowProblems(parsed.problems)
        values = parsed.values
        site = values["site"]
        household = self.households.get(values["household_number"])
        if site is not None and self._outside(site.pk):
            raise RowProblems([(HEADERS["site"], _("“%(place)s” is outside your station's area; residents there "
                                                   "are registered by their own station.") % {"place": site.name})])
        if household is not None and self._outside(household.site_id):
            raise RowProblems([(HEADERS["household_number"], _("This household lives outside your station's area; "
                                                               "its residents are registered by its own station."))])
        if values["id_hash"] in self.registered:
            return DuplicateOf("resident", self.registered[values["id_hash"]])
        if household is None:
            if site is None:
                raise RowProblems([(HEADERS["site"], _("The household is not registered yet; give its resettlement "
                                                       "site so that it can be registered there."))])
            household = household_create(number=values["household_number"], site=site,
                                         poverty_status=values["poverty_status"] or PovertyStatus.NONE)
            new_household = household
            self.stage(lambda: self.households.setdefault(new_household.number, new_household))
        fields = {name: values[name] for name in ("education", "employment_status", "care_duties",
                                                  "min_monthly_wage", "max_commute_km", "accepts_home_based",
                                                  "accepts_outside_county", "has_disability")
                  if values[name] is not None}
        skills, unresolved = self.skills.get(values["skill_text"], ([], []))
        resident = resident_create(
            household=household, name=values["name"], id_number=values["id_number"], phone=values["phone"],
            skills=[SkillLevel(skill=skill, level=2) for skill in skills], unresolved_skill_texts=unresolved,
            **fields,
        )
        id_hash, resident_id = values["id_hash"], resident.pk
        self.stage(lambda: self.registered.setdefault(id_hash, resident_id))
        return RowOutcome.IMPORTED


def resident_duplicates_named(records: list[dict], *, place_scope: set[int] | None = None) -> list[NamedDuplicate]:
    """The residents that an import's skipped rows repeat, by name and site, for a reader who may see residents
    at `place_scope` (None: anywhere); one registered elsewhere is only said to be (never an ID number)."""
    residents = Resident.objects.select_related("household__site").in_bulk(
        {record["id"] for record in records if record.get("kind") == "resident"})

    def name(row: int, resident_id: int) -> NamedDuplicate | None:
        resident = residents.get(resident_id)
        if resident is None:
            return None
        return resident_named(row, resident, place_scope)

    return duplicates_named(records, "resident", name)


def resident_named(row: int, resident: Resident, place_scope: set[int] | None, label: str = "%(name)s · %(site)s",
                   **params: str) -> NamedDuplicate:
    """A resident a skipped row repeats, named in `label` (with `params`) when the reader may see them at
    `place_scope`; else only said to be registered elsewhere. Never an ID number."""
    if place_scope is not None and resident.household.site_id not in place_scope:
        return NamedDuplicate(row, _("a resident registered by another station"))
    return NamedDuplicate(row, label % {"name": resident.name, "site": resident.household.site.name, **params},
                          "resident", resident.pk)


def residents_import_create(
    *, file_name: str, content: bytes, created_by=None, allowed_place_ids: set[int] | None = None, language: str = "",
    submission_key: str = "",
) -> ImportJob:
    """Store a residents spreadsheet to import, after checking that it can be read (ValidationError if not).

    `allowed_place_ids` (None: anywhere) is kept with the job and limits the rows when it runs."""
    return import_job_create(kind=ImportJob.Kind.RESIDENTS, file_name=file_name, content=content, columns=COLUMNS,
                             created_by=created_by, place_scope=allowed_place_ids, language=language,
                             submission_key=submission_key)


def residents_import_run(*, job_id: int) -> ImportJob | None:
    """Import a stored residents spreadsheet (once; a finished job is left as it is)."""
    return import_job_run(
        job_id=job_id, kind=ImportJob.Kind.RESIDENTS, columns=COLUMNS,
        importer=lambda job: ResidentImporter(
            allowed_place_ids=set(job.place_scope) if job.place_scope is not None else None
        ),
    )
