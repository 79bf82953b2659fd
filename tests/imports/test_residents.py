"""Importing residents: households on first sight, duplicates by ID number, the station's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from residents import pii
from residents.imports import COLUMNS, residents_import_create, residents_import_run
from residents.models import Household, Resident
from stations.selectors import user_place_scope
from taxonomy.identifiers import make_id_number
from taxonomy.models import ImportJob
from taxonomy.validators import ID_NUMBER_MESSAGES, PHONE_MESSAGE
from tests import factories as f

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [column.template_header for column in COLUMNS]
FIELDS = [column.field for column in COLUMNS]


def _id(sequence: int, born: dt.date = dt.date(1988, 3, 15)) -> str:
    return make_id_number("520622", born, sequence)


def resident_row(**values) -> list:
    base = {
        "household_number": "PX-0001", "site": "康华社区", "poverty_status": "脱贫户", "name": "王小芳",
        "id_number": _id(2), "phone": "13912345678", "education": "初中", "employment_status": "求职中",
        "skill_texts": "会编藤椅、做保洁", "min_monthly_wage": 2500, "max_commute_km": 10,
        "accepts_home_based": "是", "accepts_outside_county": "否", "has_disability": "否", "care_duties": "子女",
    }
    base.update(values)
    return [base[name] for name in FIELDS]


def _import(content: bytes, *, scope: set[int] | None = None, user=None, file_name: str = "群众.xlsx") -> ImportJob:
    job = residents_import_create(file_name=file_name, content=content, created_by=user, allowed_place_ids=scope)
    return residents_import_run(job_id=job.pk)


def _errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(error["row"], error["field"], error["message"]) for error in job.errors]


def test_residents_and_their_households_are_registered_through_the_services():
    rows = [
        resident_row(),
        resident_row(name="杨大山", id_number=_id(3, dt.date(1980, 1, 2)), phone=None, education="大专",
                     employment_status="已就业", skill_texts="电焊", care_duties="无", has_disability="是"),
        resident_row(household_number="PX-0002", site="黄岔安置点", poverty_status="监测户", name="龙小妹",
                     id_number=_id(4), accepts_outside_county="是", care_duties="子女和老人"),
    ]
    job = _import(xlsx_bytes(HEADERS, rows))
    assert (job.status, job.imported, job.duplicates, job.errors) == ("finished", 3, 0, [])
    first, second = Household.objects.order_by("number")
    assert (first.number, first.site.name, first.poverty_status, first.members.count()) == (
        "PX-0001", "康华社区", "lifted", 2)
    assert (second.site.name, second.poverty_status) == ("黄岔安置点", "monitored")
    wang = Resident.objects.get(name="王小芳")
    assert pii.decrypt(wang.id_number_encrypted) == _id(2)
    assert wang.phone_masked == "139****5678"
    assert (wang.education, wang.employment_status, wang.care_duties) == ("junior", "seeking", "children")
    assert (wang.min_monthly_wage, wang.max_commute_km) == (Decimal("2500.00"), Decimal("10.0"))
    assert (wang.accepts_home_based, wang.accepts_outside_county, wang.has_disability) == (True, False, False)
    assert wang.skill_links.count() >= 1
    yang = Resident.objects.get(name="杨大山")
    assert (yang.phone_masked, yang.education, yang.employment_status, yang.has_disability) == (
        "", "college", "employed", True)


def test_registered_id_numbers_and_repeats_in_the_file_are_duplicates():
    f.ResidentFactory(id_number=_id(8))
    rows = [resident_row(id_number=_id(8)), resident_row(id_number=_id(9)), resident_row(id_number=_id(9))]
    job = _import(xlsx_bytes(HEADERS, rows))
    assert (job.imported, job.duplicate_rows, job.errors) == (1, [2, 4], [])
    again = _import(xlsx_bytes(HEADERS, rows))
    assert (again.imported, again.duplicates) == (0, 3)


def test_bad_rows_are_reported_under_their_columns():
    bad_check = _id(5)[:-1] + ("0" if _id(5)[-1] != "0" else "1")
    rows = [
        resident_row(id_number=bad_check),
        resident_row(id_number=float(_id(6)[:-1] + "0")),
        resident_row(id_number=_id(7), phone="123"),
        resident_row(id_number=_id(11), education="博士后"),
        resident_row(id_number=_id(12), household_number="PX-9", site=None),
        resident_row(id_number=_id(13), name=None),
    ]
    job = _import(xlsx_bytes(HEADERS, rows))
    assert _errors(job) == [
        (2, "身份证号", str(ID_NUMBER_MESSAGES["check_digit"])),
        (3, "身份证号", gettext("Excel stored this code as a number and lost its last digits; format the column as "
                              "text and type the code again.")),
        (4, "手机号", str(PHONE_MESSAGE)),
        (5, "文化程度", gettext("Choose one of: %(choices)s.") % {"choices": "未上学、小学、初中、高中、中专、大专及以上"}),
        (6, "安置点", gettext("The household is not registered yet; give its resettlement site so that it can be "
                            "registered there.")),
        (7, "姓名", gettext("This column is required; fill in the cell.")),
    ]
    assert (Resident.objects.count(), Household.objects.count()) == (0, 0)


def test_liaison_staff_only_import_residents_of_their_station(liaison_user, other_station):
    outside = f.HouseholdFactory(number="ZJP-0001", site=f.place("520622001001"))
    rows = [
        resident_row(),
        resident_row(household_number="ZJP-0002", site="紫气山社区", id_number=_id(21)),
        resident_row(household_number="ZJP-0001", site=None, id_number=_id(22)),
        resident_row(household_number="PX-0003", site="七里塘村", id_number=_id(23)),
    ]
    job = _import(xlsx_bytes(HEADERS, rows), scope=user_place_scope(liaison_user), user=liaison_user)
    assert [(row, field) for row, field, _message in _errors(job)] == [(3, "安置点"), (4, "户编号")]
    assert job.imported == 2
    assert not outside.members.exists()
    assert not Household.objects.filter(number="ZJP-0002").exists()


def test_without_a_scope_any_place_will_do():
    rows = [resident_row(household_number="ZJP-0002", site="紫气山社区")]
    assert _import(xlsx_bytes(HEADERS, rows), scope=None).imported == 1


def test_a_gbk_csv_of_residents():
    headers = ["户号", "安置社区", "户类型", "姓名", "公民身份号码", "手机号码", "学历", "就业情况", "技能特长"]
    rows = [["PX-0100", "康华社区", "一般户", "吴玉兰", _id(31), "13700001111", "小学", "待业", "刺绣"]]
    job = _import(csv_bytes(headers, rows, encoding="gbk"), file_name="群众.csv")
    assert (job.imported, job.errors) == (1, [])
    resident = Resident.objects.get()
    assert (resident.name, resident.education, resident.employment_status, resident.household.poverty_status) == (
        "吴玉兰", "primary", "seeking", "none")


def test_the_scope_is_kept_with_the_job():
    job = residents_import_create(file_name="a.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]),
                                  allowed_place_ids={3, 1, 2})
    assert job.place_scope == [1, 2, 3]


def test_the_task_runs_an_import_once():
    from residents.tasks import residents_import

    job = residents_import_create(file_name="a.xlsx", content=xlsx_bytes(HEADERS, [resident_row()]))
    assert residents_import.delay(job.pk).get() == 1
    assert residents_import.delay(job.pk).get() == 1
    assert Resident.objects.count() == 1


def test_a_row_born_in_the_future_is_refused_and_a_full_width_number_is_read_as_ascii():
    """Issue 15 (4, 3) by import: an ID number born 2090 is a row error in Chinese; full-width digits are the
    same person as the ASCII number (one resident, stored in ASCII)."""
    future = make_id_number("520622", dt.date(2090, 1, 1), 11)
    ascii_number = _id(5)
    full_width = ascii_number[:17].translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}) + ascii_number[17]
    rows = [resident_row(name="未来人", id_number=future),
            resident_row(name="龙阿妹", id_number=full_width, household_number="PX-0009")]
    job = _import(xlsx_bytes(HEADERS, rows))
    errors = _errors(job)
    assert [(row, field) for row, field, _message in errors] == [(2, "身份证号")]
    assert "出生" in errors[0][2]
    assert not Resident.objects.filter(name="未来人").exists()
    assert pii.decrypt(Resident.objects.get(name="龙阿妹").id_number_encrypted) == ascii_number
    again = _import(xlsx_bytes(HEADERS, [resident_row(name="龙阿妹", id_number=ascii_number,
                                                     household_number="PX-0009")]))
    assert Resident.objects.filter(id_number_hash=pii.lookup_hash(ascii_number)).count() == 1, again.errors
