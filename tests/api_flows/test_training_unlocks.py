"""Training changes matches (through the API), and course advice on the demo Pingxi with its counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.services import SkillRequirementInput
from residents.models import Resident
from stations.models import LiaisonStation, StaffMembership
from taxonomy.models import Skill
from tests import factories as f
from training import services as training
from training.models import Course, Enrollment, TrainingSession

pytestmark = pytest.mark.django_db


def test_completing_rattan_training_moves_a_blocked_posting_to_the_top(api, liaison_user,
                                                                       django_capture_on_commit_callbacks):
    weaving = Skill.objects.get(code="rattan.weaving")
    for title in ("普工", "保洁员", "餐厅服务员"):
        f.PostingFactory(title=title, wage_min=Decimal("2600"), wage_max=Decimal("3000"))
    rattan = f.PostingFactory(title="藤椅编织工", wage_min=Decimal("3500"), wage_max=Decimal("4500"),
                              skills=[SkillRequirementInput(skill=weaving, level=2, mandatory=True)])
    resident = f.ResidentFactory(max_commute_km=Decimal("50"))
    course = f.CourseFactory(code="rattan-chair", name="藤椅加工")
    training.course_skills_set(course=course, skills=[(weaving, 3)])
    start = timezone.localdate() - dt.timedelta(days=5)
    session = TrainingSession.objects.create(course=course, start_date=start, end_date=start + dt.timedelta(days=3),
                                             place=f.place(f.PINGXI), capacity=10, enrolled_count=1)
    enrollment = Enrollment.objects.create(session=session, resident=resident, status="enrolled")
    client = api.as_user(liaison_user)

    before = [m["job_id"] for m in client.get(f"/api/v1/residents/{resident.pk}/matches/").json()["results"]]
    assert rattan.pk not in before  # blocked: a mandatory skill is missing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/api/v1/enrollments/{enrollment.pk}/complete/", {"passed": True}, format="json")
    assert done.status_code == 200
    after = client.get(f"/api/v1/residents/{resident.pk}/matches/").json()["results"]
    assert after[0]["job_id"] == rattan.pk
    assert after[0]["matched_skills"][0]["name"] == "藤编"


def test_course_advice_on_the_demo_pingxi(api):
    call_command("seed_demo", "--households", "80", "--residents", "260", "--employers", "14", "--postings", "160",
                 "--sessions", "6", "--no-history", "-v", "0")
    station = LiaisonStation.objects.get()
    liaison = StaffMembership.objects.filter(station=station, role="staff").first().user
    client = api.as_user(liaison)
    priorities = client.get(f"/api/v1/stations/{station.pk}/course-priorities/").json()["results"]
    assert {p["course_name"] for p in priorities} == set(Course.objects.values_list("name", flat=True))
    top = priorities[0]
    assert top["openings_needing"] > 0
    assert top["residents_lacking"] > 0
    assert {"postings_needing", "openings_per_trainee", "next_session"} <= set(top)

    seeking = Resident.objects.filter(employment_status="seeking", household__site__liaison_rooms__station=station)
    advice = None
    for resident in seeking[:30]:
        advice = client.get(f"/api/v1/residents/{resident.pk}/course-advice/").json()["results"]
        if advice and advice[0]["openings_unlocked"] > 0:
            break
    assert advice
    assert advice[0]["postings_unlocked"] > 0
    assert advice[0]["openings_unlocked"] >= advice[0]["postings_unlocked"]
