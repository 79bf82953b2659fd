"""Matches, candidates, recommendations, placements and follow-ups through the API, within the roles."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.services import SkillRequirementInput
from matching.models import Placement, Recommendation
from taxonomy.models import Skill
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def rattan_posting():
    return f.PostingFactory(title="藤椅编织工", openings=2, skills=[
        SkillRequirementInput(skill=Skill.objects.get(code="rattan.weaving"), level=1)])


@pytest.fixture
def weaver(room1):
    return f.ResidentFactory(skill_texts=["编藤椅"], max_commute_km=Decimal("50"))


@pytest.fixture
def outsider(other_station):
    """A resident of another station (皂角坪)."""
    return f.ResidentFactory(household=f.HouseholdFactory(site=f.place("520622001001")), skill_texts=["编藤椅"])


def test_resident_reads_own_matches_only(api, resident, rattan_posting, weaver):
    client = api.as_user(resident.user)
    response = client.get(f"/api/v1/residents/{resident.pk}/matches/")
    assert response.status_code == 200
    assert {"score", "components", "notes", "posting", "summary"} <= set(response.json()["results"][0])
    assert client.get(f"/api/v1/residents/{weaver.pk}/matches/").status_code == 404


def test_liaison_reads_matches_of_station_residents_not_others(api, liaison_user, weaver, outsider, rattan_posting):
    client = api.as_user(liaison_user)
    results = client.get(f"/api/v1/residents/{weaver.pk}/matches/?limit=5").json()["results"]
    assert results[0]["job_id"] == rattan_posting.pk
    assert results[0]["matched_skills"][0]["name"] == "藤编"
    assert client.get(f"/api/v1/residents/{outsider.pk}/matches/").status_code == 404


@pytest.mark.parametrize("limit", ["0", "201", "abc", "-1", "9" * 30])
def test_bad_limits_are_400(api, liaison_user, weaver, limit):
    response = api.as_user(liaison_user).get(f"/api/v1/residents/{weaver.pk}/matches/?limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["fields"]


def test_unknown_ids_are_404(api, liaison_user):
    client = api.as_user(liaison_user)
    assert client.get("/api/v1/residents/999999/matches/").status_code == 404
    assert client.get("/api/v1/jobs/999999/candidates/").status_code == 404
    assert client.get(f"/api/v1/jobs/{'9' * 25}/candidates/").status_code == 404


def test_candidates_are_scoped_and_carry_no_identity_numbers(api, liaison_user, bureau_user, weaver, outsider,
                                                             rattan_posting):
    liaison_ids = [c["resident_id"] for c in
                   api.as_user(liaison_user).get(f"/api/v1/jobs/{rattan_posting.pk}/candidates/").json()["results"]]
    assert weaver.pk in liaison_ids
    assert outsider.pk not in liaison_ids
    response = api.as_user(bureau_user).get(f"/api/v1/jobs/{rattan_posting.pk}/candidates/")
    bureau_ids = [c["resident_id"] for c in response.json()["results"]]
    assert {weaver.pk, outsider.pk} <= set(bureau_ids)
    text = response.content.decode()
    for person in (weaver, outsider):
        assert person.id_number_masked not in text
        assert person.phone_masked not in text


@pytest.mark.parametrize("role_fixture", ["resident_user", "deputy_user"])
def test_candidates_refused_to_residents_and_deputies(api, request, rattan_posting, role_fixture):
    user = request.getfixturevalue(role_fixture)
    assert api.as_user(user).get(f"/api/v1/jobs/{rattan_posting.pk}/candidates/").status_code == 403


def test_anonymous_sees_nothing(client, weaver, rattan_posting):
    for url in (f"/api/v1/residents/{weaver.pk}/matches/", f"/api/v1/jobs/{rattan_posting.pk}/candidates/",
                "/api/v1/recommendations/", "/api/v1/placements/", "/api/v1/follow-ups/"):
        assert client.get(url).status_code == 401


def test_recommend_move_and_hire_through_the_api(api, liaison_user, weaver, rattan_posting):
    client = api.as_user(liaison_user)
    created = client.post("/api/v1/recommendations/", {"resident": weaver.pk, "posting": rattan_posting.pk,
                                                        "note": "适合居家"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "recommended"
    assert body["explanation"]["matched_skills"][0]["name"] == "藤编"
    rec_id = body["id"]
    illegal = client.post(f"/api/v1/recommendations/{rec_id}/move/", {"state": "hired"}, format="json")
    assert illegal.status_code == 400
    assert "state" in illegal.json()["error"]["fields"]
    assert Recommendation.objects.get(pk=rec_id).state == "recommended"
    for state in ("contacted", "interviewing"):
        assert client.post(f"/api/v1/recommendations/{rec_id}/move/", {"state": state}, format="json").status_code == 200
    hired = client.post(f"/api/v1/recommendations/{rec_id}/move/",
                        {"state": "hired", "wage": "3600", "note": "已上岗"}, format="json")
    assert hired.status_code == 200
    assert [e["to_state"] for e in hired.json()["events"]] == ["recommended", "contacted", "interviewing", "hired"]
    placement = Placement.objects.get(recommendation_id=rec_id)
    assert placement.wage == Decimal("3600")
    assert client.get("/api/v1/placements/").json()["results"][0]["id"] == placement.pk


def test_recommending_someone_who_does_not_match_says_why(api, liaison_user, room1, rattan_posting):
    older = f.ResidentFactory(id_number=f.fresh_id_number(birth=dt.date(1960, 1, 1)), skill_texts=["编藤椅"])
    from jobs.services import posting_update

    posting_update(posting=rattan_posting, data={"age_max": 50})
    response = api.as_user(liaison_user).post("/api/v1/recommendations/",
                                              {"resident": older.pk, "posting": rattan_posting.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_match"
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"resident": "x", "posting": 1}, {"resident": -1, "posting": -1}, {"resident": 10**30, "posting": 1},
     {"resident": None, "posting": None}, ["not", "an", "object"], {"resident": 1, "posting": 1, "note": "x" * 5000}],
)
def test_garbage_recommendations_are_400(api, liaison_user, payload):
    response = api.as_user(liaison_user).post("/api/v1/recommendations/", payload, format="json")
    assert response.status_code == 400
    assert not Recommendation.objects.exists()


def test_liaison_cannot_recommend_another_station_s_resident(api, liaison_user, outsider, rattan_posting):
    response = api.as_user(liaison_user).post("/api/v1/recommendations/",
                                              {"resident": outsider.pk, "posting": rattan_posting.pk}, format="json")
    assert response.status_code == 400
    assert "resident" in response.json()["error"]["fields"]


def test_direct_placement_end_and_follow_up(api, liaison_user, weaver, rattan_posting):
    client = api.as_user(liaison_user)
    start = (timezone.localdate() - dt.timedelta(days=35)).isoformat()
    created = client.post("/api/v1/placements/", {"resident": weaver.pk, "posting": rattan_posting.pk,
                                                  "start_date": start}, format="json")
    assert created.status_code == 201, created.json()
    placement_id = created.json()["id"]
    due = client.get("/api/v1/follow-ups/?due=1").json()["results"]
    assert [d["months"] for d in due] == [1]
    done = client.post(f"/api/v1/follow-ups/{due[0]['id']}/record/", {"still_employed": True}, format="json")
    assert done.status_code == 200
    assert client.post(f"/api/v1/follow-ups/{due[0]['id']}/record/", {"still_employed": "maybe"},
                       format="json").status_code == 400
    bad_end = client.post(f"/api/v1/placements/{placement_id}/end/", {"ended_on": "1999-01-01", "reason": "quit"},
                          format="json")
    assert bad_end.status_code == 400
    ended = client.post(f"/api/v1/placements/{placement_id}/end/",
                        {"ended_on": timezone.localdate().isoformat(), "reason": "quit"}, format="json")
    assert ended.json()["status"] == "ended"


def test_course_advice_endpoint(api, liaison_user, weaver, rattan_posting):
    course = f.CourseFactory(name="藤椅加工")
    from training.services import course_skills_set

    course_skills_set(course=course, skills=[(Skill.objects.get(code="rattan.frame_bending"), 2)])
    response = api.as_user(liaison_user).get(f"/api/v1/residents/{weaver.pk}/course-advice/")
    assert response.status_code == 200
    advice = response.json()["results"]
    assert advice[0]["course_name"] == "藤椅加工"
    assert {"postings_unlocked", "openings_unlocked", "postings_improved", "average_monthly_wage"} <= set(advice[0])


def test_a_resident_reads_the_notes_about_themself_and_staff_read_theirs(api, resident, liaison_user, rattan_posting):
    from residents.services import resident_update

    resident_update(resident=resident, data={"skill_texts": ["藤编"]})
    own = api.as_user(resident.user).get(f"/api/v1/residents/{resident.pk}/matches/").json()["results"]
    staff = api.as_user(liaison_user).get(f"/api/v1/residents/{resident.pk}/matches/").json()["results"]
    assert own
    assert staff
    own_codes = {n["code"] for m in own for n in m["notes"]}
    staff_codes = {n["code"] for m in staff for n in m["notes"]}
    assert not {c for c in own_codes if c.startswith("priority_")}
    assert {c for c in staff_codes if c.startswith("priority_")}  # nobody in the household is in work
    assert own_codes <= staff_codes
