"""Helpers for the API tests: the error shape, database fingerprints, searching responses."""

from __future__ import annotations

import re

from django.db.models import Model

from jobs.models import Employer, JobPosting, JobSkill
from residents.models import Household, PiiRevealLog, Resident, ResidentSkill
from taxonomy.models import Occupation, Place, Skill, SkillGroup
from training.models import Course, CourseSkill, Enrollment, TrainingSession

CJK = re.compile(r"[\u4e00-\u9fff]")
API = "/api/v1"
OTHER_TOWN_PLACE = "520622001001"  # 紫气山社区, served by other_station

# Everything the API can write, compared row by row; the big vocabularies only by count.
WRITABLE_MODELS: list[type[Model]] = [
    Household, Resident, ResidentSkill, PiiRevealLog, Employer, JobPosting, JobSkill, Course, CourseSkill,
    TrainingSession, Enrollment,
]
COUNTED_MODELS: list[type[Model]] = [Skill, SkillGroup, Occupation, Place]


def db_state() -> dict:
    """A snapshot of every row the API could change, to prove that a refused request changed nothing."""
    state: dict = {model.__name__: list(model.objects.order_by("pk").values()) for model in WRITABLE_MODELS}
    state.update({f"{model.__name__}.count": model.objects.count() for model in COUNTED_MODELS})
    state["Resident.wanted_occupations"] = list(
        Resident.wanted_occupations.through.objects.order_by("pk").values_list("resident_id", "occupation_id")
    )
    return state


def error_of(response) -> dict:
    """The `error` object of a 4xx response, after checking the one shape every error has."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    assert isinstance(error["fields"], dict)
    return error


def field_errors(response, status: int = 400) -> dict[str, list[str]]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return error_of(response)["fields"]


def assert_chinese(messages: list[str]) -> None:
    assert any(CJK.search(message) for message in messages), messages


def all_keys(value) -> set[str]:
    """Every dictionary key anywhere inside a decoded JSON value."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()


def results(response) -> list[dict]:
    """The items of a list response, paginated or not."""
    assert response.status_code == 200, (response.status_code, response.content[:500])
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def ids(response) -> list[int]:
    return [item["id"] for item in results(response)]


def valid_payloads(world) -> dict[str, dict]:
    """A valid creation body per resource, built around the `world` fixture."""
    import datetime as dt

    from taxonomy.identifiers import make_uscc
    from tests import factories as f

    start = dt.date.today() + dt.timedelta(days=10)
    return {
        "households": {"number": "HH-NEW-001", "site": f.place(f.HUANGCHA_SITE).pk, "poverty_status": "lifted",
                       "address": "黄岔安置点 3 栋 2 单元", "relocated_on": "2019-06-01"},
        "residents": {
            "household": world["household"].pk, "name": "杨春花", "id_number": f.fresh_id_number(female=True),
            "phone": "13912345678", "education": "junior", "employment_status": "seeking",
            "has_disability": False, "care_duties": "children", "consent_share_with_employers": True,
            "min_monthly_wage": "2500.00", "max_commute_km": "10.0", "accepts_home_based": True,
            "accepts_outside_county": False, "work_time": "part",
            "skills": [{"skill": world["skill"].pk, "level": 3}], "wanted_occupations": [world["occupation"].code],
        },
        "employers": {"name": "平溪手工艺品有限公司", "uscc": make_uscc("520622", 777), "place": f.place(f.PINGXI).pk,
                      "address": "平溪街道", "contact_name": "吴经理", "contact_phone": "13812345678",
                      "is_poverty_workshop": False},
        "jobs": {
            "employer": world["employer"].pk, "title": "缝纫工", "occupation": world["occupation"].code,
            "openings": 2, "wage_min": "3000", "wage_max": "4200", "wage_unit": "month", "work_mode": "on_site",
            "work_time": "full", "valid_until": str(start + dt.timedelta(days=60)),
            "skills": [{"skill": world["skill"].pk, "level": 2, "kind": "required", "mandatory": True}],
        },
        "courses": {"code": "housekeeping-2", "name": "家政服务进阶", "hours": 32, "description": "家政",
                    "skills": [{"skill": world["skill"].pk, "level": 3}]},
        "sessions": {"course": world["course"].pk, "start_date": str(start),
                     "end_date": str(start + dt.timedelta(days=5)), "place": f.place(f.KANGHUA_SITE).pk,
                     "venue": "康华社区活动室", "capacity": 25, "trainer": "龙师傅", "partner_department": "县人社局"},
    }
