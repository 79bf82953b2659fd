"""Matching scenarios of Pingxi on PostgreSQL: the ranking and its explanations, end to end."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from matching.engine import DEFAULT_CONFIG, Exclusion
from matching.selectors import (
    candidates_for_posting,
    explain_match,
    explanation_as_dict,
    matches_for_resident,
)
from residents.models import Resident
from taxonomy.models import Skill
from tests import factories as f
from training import services as training
from training.models import Enrollment, TrainingSession

pytestmark = pytest.mark.django_db


def skill(code):
    return Skill.objects.get(code=code)


def requirement(code, level=1, **kwargs):
    from jobs.services import SkillRequirementInput

    return SkillRequirementInput(skill=skill(code), level=level, **kwargs)


@pytest.fixture
def jobs(db):
    workshop = f.EmployerFactory(name="康华社区藤编扶贫车间", place=f.place(f.KANGHUA_SITE), is_poverty_workshop=True)
    factory_far = f.EmployerFactory(name="碧江区电子厂", place=f.place("520602000000"))
    agency = f.EmployerFactory(name="玉屏县家政服务公司", place=f.place(f.PINGXI))
    return {
        "rattan_home": f.PostingFactory(
            employer=workshop, title="藤椅编织（居家计件）", work_mode="home_based", work_time="flexible",
            wage_unit="piece", wage_min=Decimal("45"), wage_max=Decimal("60"),  # a chair
            piece_monthly_estimate=Decimal("2800"), skills=[requirement("rattan.weaving", 2)],
        ),
        "factory_far": f.PostingFactory(
            employer=factory_far, title="电子厂普工", work_time="full", wage_min=Decimal("3500"),
            wage_max=Decimal("4500"),
        ),
        "housekeeping": f.PostingFactory(
            employer=agency, title="家政服务员", work_time="full", wage_min=Decimal("3000"), wage_max=Decimal("4000"),
            skills=[requirement("house.cleaning", 2), requirement("care.infant", 2, kind="preferred")],
        ),
        "young_only": f.PostingFactory(
            employer=agency, title="保洁员", age_max=45, wage_min=Decimal("2800"), wage_max=Decimal("3200"),
            skills=[requirement("house.cleaning", 1)],
        ),
    }


def test_rattan_mother_gets_home_based_piecework_above_a_far_factory(jobs):
    mother = f.ResidentFactory(
        household=f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE), poverty_status="lifted"),
        id_number=f.fresh_id_number(birth=dt.date(1992, 4, 2)),
        care_duties=Resident.CareDuties.CHILDREN, work_time=Resident.WorkTime.ANY, max_commute_km=Decimal("80"),
        min_monthly_wage=Decimal("1800"), accepts_outside_county=True,
        skill_texts=["编藤椅"],
    )
    matches = matches_for_resident(mother)
    order = [m["job_id"] for m in matches]
    assert order[0] == jobs["rattan_home"].pk
    assert jobs["factory_far"].pk in order
    assert order.index(jobs["rattan_home"].pk) < order.index(jobs["factory_far"].pk)

    top = matches[0]
    assert top["posting"]["is_poverty_workshop"] is True
    assert [s["name"] for s in top["matched_skills"]] == ["藤编"]
    assert top["distance_km"] is None or top["distance_km"] == 0
    notes = {n["code"] for n in top["notes"]}
    assert "home_based_no_commute" in notes
    assert "priority_lifted_household" in notes
    assert all(n["text"] for n in top["notes"])
    far = next(m for m in matches if m["job_id"] == jobs["factory_far"].pk)
    assert "care_duties_full_time_on_site" in {n["code"] for n in far["notes"]}
    assert far["distance_km"] > 30
    # The explanation is in Chinese.
    assert "居家" in " ".join(n["text"] for n in top["notes"])


def test_piecework_with_a_monthly_estimate_is_scored_on_the_month_not_on_one_piece(jobs):
    """¥45–60 a chair is not a monthly wage of ¥52: the workshop's estimate of ¥2,800 a month is what counts."""
    mother = f.ResidentFactory(
        household=f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE)),
        id_number=f.fresh_id_number(birth=dt.date(1994, 9, 12)),
        care_duties=Resident.CareDuties.CHILDREN, work_time=Resident.WorkTime.ANY, max_commute_km=Decimal("80"),
        min_monthly_wage=Decimal("2500"), accepts_outside_county=True, skill_texts=["藤编"],
    )
    matches = matches_for_resident(mother)
    order = [m["job_id"] for m in matches]
    assert order.index(jobs["rattan_home"].pk) < order.index(jobs["factory_far"].pk)
    rattan = next(m for m in matches if m["job_id"] == jobs["rattan_home"].pk)
    assert rattan["monthly_wage_estimate"] == 2800
    assert next(c for c in rattan["components"] if c["name"] == "wage")["value"] == 1.0
    codes = {n["code"] for n in rattan["notes"]}
    assert "piece_wage_monthly_estimate_from_posting" in codes
    assert not codes & {"wage_below_minimum", "piece_wage_no_monthly_estimate_neutral", "posting_has_no_wage"}
    assert rattan["posting"]["piece_monthly_estimate"] == Decimal("2800")

    # The same piecework without an estimate is neither rewarded nor punished for its wage.
    unknown = f.PostingFactory(
        employer=jobs["rattan_home"].employer, title="藤编小件（居家计件）", work_mode="home_based",
        work_time="flexible", wage_unit="piece", wage_min=Decimal("2"), wage_max=Decimal("2.50"),
        skills=[requirement("rattan.weaving", 2)],
    )
    explanation = explanation_as_dict(explain_match(mother, unknown))
    assert explanation["monthly_wage_estimate"] is None
    assert next(c for c in explanation["components"] if c["name"] == "wage")["value"] == DEFAULT_CONFIG.neutral
    codes = [n["code"] for n in explanation["notes"]]
    assert "piece_wage_no_monthly_estimate_neutral" in codes
    assert "wage_below_minimum" not in codes


def test_housekeeping_graduate_gets_housekeeping_first(jobs):
    graduate = f.ResidentFactory(id_number=f.fresh_id_number(birth=dt.date(1985, 8, 8)), max_commute_km=Decimal("80"))
    course = f.CourseFactory(name="家政服务", code="housekeeping")
    training.course_skills_set(course=course, skills=[(skill("house.cleaning"), 3), (skill("care.infant"), 2),
                                                      (skill("house.home_cooking"), 3)])
    start = timezone.localdate() - dt.timedelta(days=10)
    session = TrainingSession.objects.create(course=course, start_date=start, end_date=start + dt.timedelta(days=5),
                                             place=f.place(f.PINGXI), capacity=20, enrolled_count=1)
    enrollment = Enrollment.objects.create(session=session, resident=graduate, status="enrolled")

    before = matches_for_resident(graduate)
    assert before[0]["job_id"] != jobs["housekeeping"].pk

    training.enrollment_complete(enrollment=enrollment, passed=True, certificate_number="JZ-001")
    after = matches_for_resident(graduate)
    assert after[0]["job_id"] == jobs["housekeeping"].pk
    assert {s["name"] for s in after[0]["matched_skills"]} >= {"保洁"}


def test_a_resident_over_the_age_limit_never_sees_the_posting(jobs):
    older = f.ResidentFactory(id_number=f.fresh_id_number(birth=dt.date(1968, 1, 1)), skill_texts=["打扫卫生"],
                              max_commute_km=Decimal("80"))
    assert jobs["young_only"].pk not in [m["job_id"] for m in matches_for_resident(older, limit=100)]
    scope = [older.household.site_id]
    assert older.pk not in [c["resident_id"] for c in candidates_for_posting(jobs["young_only"], site_ids=scope)]
    outcome = explain_match(older, jobs["young_only"])
    assert isinstance(outcome, Exclusion)
    explanation = explanation_as_dict(outcome)
    assert [r["code"] for r in explanation["reasons"]] == ["too_old"]
    assert "年龄" in explanation["reasons"][0]["text"]


def test_candidates_hide_identity_numbers(jobs):
    f.ResidentFactory(skill_texts=["藤编"], max_commute_km=Decimal("50"))
    candidates = candidates_for_posting(jobs["rattan_home"], site_ids=None)
    assert candidates
    text = repr(candidates)
    for resident in Resident.objects.all():
        assert resident.id_number_masked not in text
        assert resident.phone_masked not in text
    assert set(candidates[0]["resident"]) >= {"name", "age", "site"}
