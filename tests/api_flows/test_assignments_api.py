"""Batch assignment runs through the API: propose, review, accept into recommendations."""

from decimal import Decimal

import pytest

from jobs.services import SkillRequirementInput
from matching.models import AssignmentRun, Recommendation
from residents.models import Resident
from taxonomy.models import Skill
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(room1):
    cleaning = Skill.objects.get(code="house.cleaning")
    weaving = Skill.objects.get(code="rattan.weaving")
    postings = [
        f.PostingFactory(title="保洁员", openings=1, skills=[SkillRequirementInput(skill=cleaning)]),
        f.PostingFactory(title="藤椅编织工", openings=2, skills=[SkillRequirementInput(skill=weaving)]),
    ]
    # Household A already has someone in work; household B has nobody.
    working = f.HouseholdFactory()
    f.ResidentFactory(household=working, employment_status=Resident.EmploymentStatus.EMPLOYED)
    a = f.ResidentFactory(household=working, skill_texts=["做保洁"], max_commute_km=Decimal("50"))
    b = f.ResidentFactory(household=f.HouseholdFactory(), skill_texts=["做保洁"], max_commute_km=Decimal("50"))
    c = f.ResidentFactory(skill_texts=["编藤椅"], max_commute_km=Decimal("50"))
    return postings, a, b, c


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_run_respects_openings_and_puts_zero_employment_households_first(api, liaison_user, scene, mode,
                                                                        django_capture_on_commit_callbacks):
    postings, a, b, c = scene
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(liaison_user).post("/api/v1/assignments/", {"mode": mode, "k": 10}, format="json")
    assert response.status_code == 202
    run = AssignmentRun.objects.get(pk=response.json()["id"])
    assert run.status == "finished", run.error
    assigned = {r: p for r, p, _ in run.proposal}
    # The single cleaning opening goes to b (nobody in b's household works), not a.
    assert assigned.get(b.pk) == postings[0].pk
    assert assigned.get(a.pk) != postings[0].pk
    counts = {}
    for posting in assigned.values():
        counts[posting] = counts.get(posting, 0) + 1
    assert counts.get(postings[0].pk, 0) <= 1
    assert counts.get(postings[1].pk, 0) <= 2
    assert run.summary["zero_employment_households_covered"] >= 1
    detail = api.get(f"/api/v1/assignments/{run.pk}/").json()
    assert {p["resident"] for p in detail["pairs"]} == set(assigned)


def test_accepting_makes_recommendations_not_hires(api, liaison_user, scene, django_capture_on_commit_callbacks):
    postings, a, b, c = scene
    client = api.as_user(liaison_user)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = client.post("/api/v1/assignments/", {"mode": "optimal"}, format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/assignments/{run_id}/accept/", {"residents": [b.pk]}, format="json")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["total"]) == ("pending", 1)
    [result] = client.get(f"/api/v1/assignments/{run_id}/acceptances/").json()
    assert (result["status"], result["done"], len(result["created"])) == ("finished", 1, 1)
    assert Recommendation.objects.get().resident == b
    postings[0].refresh_from_db()
    assert postings[0].filled == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/assignments/{run_id}/accept/", {"residents": [b.pk]}, format="json")
    again = client.get(f"/api/v1/assignments/{run_id}/acceptances/").json()[0]
    assert again["created"] == []
    assert len(again["skipped"]) == 1


@pytest.mark.parametrize("payload", [{"mode": "magic"}, {"k": 0}, {"k": 1000}, {"k": "many"}, "nonsense"])
def test_bad_runs_are_400(api, liaison_user, payload):
    assert api.as_user(liaison_user).post("/api/v1/assignments/", payload, format="json").status_code == 400
    assert not AssignmentRun.objects.exists()


def test_roles(api, resident_user, deputy_user, bureau_user, scene):
    assert api.as_user(resident_user).post("/api/v1/assignments/", {}, format="json").status_code == 403
    assert api.as_user(deputy_user).get("/api/v1/assignments/").status_code == 403
    run_id = api.as_user(bureau_user).post("/api/v1/assignments/", {}, format="json").json()["id"]
    assert api.as_user(bureau_user).post(f"/api/v1/assignments/{run_id}/accept/", {}, format="json").status_code == 403
