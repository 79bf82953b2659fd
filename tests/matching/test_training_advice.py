"""Course advice for a resident and course priorities for a station, with the counts behind them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.services import SkillRequirementInput
from matching.training_advice import course_advice_for_resident, course_priorities
from residents.models import Resident
from taxonomy.models import Skill
from tests import factories as f
from training import services as training

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    rattan = f.CourseFactory(code="rattan", name="藤椅加工")
    training.course_skills_set(course=rattan, skills=[(Skill.objects.get(code="rattan.weaving"), 3),
                                                      (Skill.objects.get(code="rattan.frame_bending"), 2)])
    housekeeping = f.CourseFactory(code="housekeeping", name="家政服务")
    training.course_skills_set(course=housekeeping, skills=[(Skill.objects.get(code="house.cleaning"), 3)])
    f.SessionFactory(course=rattan, start_date=timezone.localdate() + dt.timedelta(days=9))
    return rattan, housekeeping


@pytest.fixture
def postings():
    weaving = Skill.objects.get(code="rattan.weaving")
    cleaning = Skill.objects.get(code="house.cleaning")
    return [
        f.PostingFactory(title="藤椅编织工", openings=6, wage_min=Decimal("3000"), wage_max=Decimal("4000"),
                         skills=[SkillRequirementInput(skill=weaving, level=2, mandatory=True)]),
        f.PostingFactory(title="藤椅编织（居家）", openings=4, work_mode="home_based",
                         skills=[SkillRequirementInput(skill=weaving, level=1, mandatory=True)]),
        f.PostingFactory(title="保洁员", openings=2, skills=[SkillRequirementInput(skill=cleaning, level=1)]),
    ]


def test_rattan_course_unlocks_the_rattan_postings_for_a_resident(courses, postings):
    resident = f.ResidentFactory(max_commute_km=Decimal("50"))
    advice = course_advice_for_resident(resident)
    assert [a.course_name for a in advice] == ["藤椅加工", "家政服务"]
    rattan = advice[0]
    assert (rattan.postings_unlocked, rattan.openings_unlocked) == (2, 10)
    assert sorted(rattan.skills_gained) == sorted(["藤编", "藤椅骨架制作"])
    assert rattan.next_session is not None
    assert rattan.average_monthly_wage is not None
    housekeeping = advice[1]
    # The cleaning posting was already a match (skill not mandatory); the course covers its missing skill.
    assert (housekeeping.postings_unlocked, housekeeping.postings_improved) == (0, 1)


def test_a_resident_who_has_the_skills_gets_no_advice_for_that_course(courses, postings):
    resident = f.ResidentFactory(skill_texts=["藤编"], max_commute_km=Decimal("50"))
    from residents.services import SkillLevel, resident_skills_set

    resident_skills_set(resident=resident, skills=[SkillLevel(skill=Skill.objects.get(code="rattan.weaving"), level=3),
                                                   SkillLevel(skill=Skill.objects.get(code="rattan.frame_bending"),
                                                              level=2)])
    assert "藤椅加工" not in [a.course_name for a in course_advice_for_resident(resident)]


def test_station_priorities_weigh_openings_against_residents_lacking(courses, postings, station, room1):
    for _ in range(3):
        f.ResidentFactory()
    f.ResidentFactory(skill_texts=["保洁"])  # level 2 < the course's 3: still lacking
    priorities = course_priorities(Resident.objects.all())
    by_name = {p.course_name: p for p in priorities}
    assert [p.course_name for p in priorities][0] == "藤椅加工"
    assert (by_name["藤椅加工"].postings_needing, by_name["藤椅加工"].openings_needing) == (2, 10)
    assert by_name["藤椅加工"].residents_lacking == 4
    assert by_name["家政服务"].openings_needing == 2
    assert by_name["家政服务"].openings_per_trainee == 0.5
