"""Reading one resident–posting pair, eligible or not: roles, the same score as the rankings, messages that
name the values, and no probabilities for the resident themself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jobs.services import SkillRequirementInput
from matching.learning.services import match_model_train
from matching.models import MatchModel
from taxonomy.models import Skill
from tests import factories as f
from tests.learning.history import plant

pytestmark = pytest.mark.django_db


def url(resident, posting) -> str:
    return f"/api/v1/residents/{resident.pk}/matches/{posting.pk}/"


@pytest.fixture
def people(room1, other_station):
    born = dt.date.today().replace(year=dt.date.today().year - 58)
    return {
        "near": f.ResidentFactory(skill_texts=["编藤椅"]),
        "old": f.ResidentFactory(id_number=f.fresh_id_number(birth=born), skill_texts=["编藤椅"]),
        "outsider": f.ResidentFactory(household=f.HouseholdFactory(site=f.place("520622001001"))),
    }


@pytest.fixture
def postings():
    electrician = Skill.objects.get(code="repair.electrician")
    return {
        "rattan": f.PostingFactory(title="藤椅编织工", skill_texts=["编藤椅"]),
        "electric": f.PostingFactory(title="维修电工", skills=[SkillRequirementInput(skill=electrician, mandatory=True)]),
        "far": f.PostingFactory(title="保洁员", employer=f.EmployerFactory(place=f.place("520603001000"))),
        "young": f.PostingFactory(title="普工", age_max=50),
    }


def test_an_eligible_pair_has_the_ranking_s_score(api, liaison_user, people, postings):
    client = api.as_user(liaison_user)
    pair = client.get(url(people["near"], postings["rattan"])).json()
    assert pair["eligible"] is True
    assert pair["exclusions"] == []
    ranked = client.get(f"/api/v1/residents/{people['near'].pk}/matches/").json()["results"]
    assert pair["score"] == next(m["score"] for m in ranked if m["job_id"] == postings["rattan"].pk)
    assert pair["rule_score"] == pair["score"]  # no model active
    assert (pair["hire_probability"], pair["retention_probability"]) == (None, None)
    assert {c["name"] for c in pair["components"]} >= {"skills", "commute", "wage"}


def test_exclusions_name_the_values(api, liaison_user, people, postings):
    from residents.services import resident_update

    client = api.as_user(liaison_user)
    resident_update(resident=people["near"], data={"max_commute_km": Decimal("5")})
    electric = client.get(url(people["near"], postings["electric"])).json()
    assert electric["eligible"] is False
    assert [e["message"] for e in electric["exclusions"]] == ["缺少必备技能：电工。"]
    far = client.get(url(people["near"], postings["far"])).json()
    message = next(e["message"] for e in far["exclusions"] if e["code"] == "too_far")
    assert message.startswith("距离约")
    assert message.endswith("公里（按所属乡镇估算），超过本人可接受的5公里。")
    old = client.get(url(people["old"], postings["young"])).json()
    assert [e["message"] for e in old["exclusions"]] == ["年龄58岁，超过岗位上限50岁。"]
    assert old["score"] > 0  # the score it would have is still shown


def test_who_may_read_a_pair(api, liaison_user, other_liaison_user, bureau_user, deputy_user, resident_user,
                             resident, people, postings):
    pair = url(people["near"], postings["rattan"])
    assert api.as_user(liaison_user).get(pair).status_code == 200
    assert api.as_user(other_liaison_user).get(pair).status_code == 404
    assert api.as_user(resident_user).get(pair).status_code == 404  # another resident
    assert api.as_user(resident_user).get(url(resident, postings["rattan"])).status_code == 200
    for user in (bureau_user, deputy_user):
        assert api.as_user(user).get(pair).status_code == 403
    api.credentials()
    assert api.get(pair).status_code in (401, 403)
    client = api.as_user(liaison_user)
    assert client.get(f"/api/v1/residents/{people['near'].pk}/matches/999999999/").status_code == 404
    assert client.get(f"/api/v1/residents/{people['outsider'].pk}/matches/{postings['rattan'].pk}/").status_code == 404


def test_staff_read_the_learned_part_and_the_resident_does_not(api, db):
    history = plant(seed=3)
    version = match_model_train(until=history.today)
    assert version.status == MatchModel.Status.ACTIVE, version.decision
    person = history.residents[0]
    station = f.StationFactory()
    f.RoomFactory(station=station, places=[f.place(f.HUANGCHA_SITE), f.place(f.KANGHUA_SITE)])
    staff = f.liaison_user_for(station)
    posting = history.postings[1]
    staff_view = api.as_user(staff).get(url(person, posting)).json()
    assert 0 < staff_view["hire_probability"] < 1
    assert staff_view["retention_probability"] is not None
    assert {w["code"] for w in staff_view["learned"]} == {"hire", "retention"}
    assert "同类推荐的录用情况" in {w["label"] for w in staff_view["learned"]}
    user = f.UserFactory(role="resident")
    from residents.models import Resident

    Resident.objects.filter(pk=person.pk).update(user=user)
    own = api.as_user(user).get(url(person, posting)).json()
    assert (own["hire_probability"], own["retention_probability"], own["learned"]) == (None, None, [])
    assert own["score"] == staff_view["score"]
