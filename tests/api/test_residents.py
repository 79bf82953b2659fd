"""Residents through the API: registering, reading, changing, searching, and revealing personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from residents import pii
from residents.models import PiiRevealLog, Resident, ResidentSkill
from residents.services import SkillLevel
from taxonomy.identifiers import make_id_number
from taxonomy.models import Skill
from tests import factories as f

from .support import API, assert_chinese, db_state, field_errors, ids, results, valid_payloads

STUDENT_ID = make_id_number("520622", dt.date(2005, 3, 9), 421)


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


# --- registering ---------------------------------------------------------------------------------

def test_liaison_registers_a_resident(api, world, liaison_user):
    body = valid_payloads(world)["residents"]
    response = api.as_user(liaison_user).post(f"{API}/residents/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    resident = Resident.objects.get(pk=data["id"])
    assert pii.decrypt(resident.id_number_encrypted) == body["id_number"]
    assert data["id_number_masked"] == body["id_number"][:4] + "*" * 10 + body["id_number"][-4:]
    assert data["phone_masked"] == "139****5678"
    assert data["sex"] == "F"
    assert data["age"] >= 16
    assert data["name_initials"] == "ych"
    assert data["household"]["number"] == world["household"].number
    assert data["household"]["poverty_status"] == world["household"].poverty_status
    assert data["household"]["site"]["name"] == "黄岔安置点"
    assert [(s["skill"]["id"], s["level"], s["source"]) for s in data["skills"]] == [(world["skill"].pk, 3, "self")]
    assert [o["code"] for o in data["wanted_occupations"]] == [world["occupation"].code]
    assert data["work_time"] == "part"
    assert data["min_monthly_wage"] == "2500.00"


def test_wanted_occupations_may_be_given_by_id(api, world, liaison_user):
    body = {**valid_payloads(world)["residents"], "wanted_occupations": [world["occupation"].pk]}
    response = api.as_user(liaison_user).post(f"{API}/residents/", body, format="json")
    assert response.status_code == 201
    assert response.json()["wanted_occupations"][0]["code"] == world["occupation"].code


def test_an_unknown_occupation_code_names_the_field(api, world, liaison_user):
    body = {**valid_payloads(world)["residents"], "wanted_occupations": ["9-99-99-99"]}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == ["wanted_occupations.0"]


@pytest.mark.parametrize(("field", "value"), [
    ("id_number", wrong_check_digit(make_id_number("520622", dt.date(1990, 5, 17), 123))),
    ("id_number", "52062219900517"),
    ("id_number", "52062219901317123X"),
    ("phone", "12345678901"),
    ("phone", "1391234567"),
])
def test_bad_identifiers_are_refused_naming_the_field_in_chinese(api, world, liaison_user, field, value):
    before = db_state()
    body = {**valid_payloads(world)["residents"], field: value}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == [field]
    assert_chinese(fields[field])
    assert db_state() == before


def test_an_id_number_already_registered_is_refused(api, world, liaison_user, resident):
    body = {**valid_payloads(world)["residents"], "id_number": pii.decrypt(resident.id_number_encrypted)}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == ["id_number"]


def test_liaison_cannot_register_into_a_household_they_cannot_see(api, world, liaison_user):
    before = db_state()
    body = {**valid_payloads(world)["residents"], "household": world["outsider"].household_id}
    fields = field_errors(api.as_user(liaison_user).post(f"{API}/residents/", body, format="json"))
    assert list(fields) == ["household"]
    assert db_state() == before


def test_missing_and_null_fields(api, world, liaison_user):
    client = api.as_user(liaison_user)
    fields = field_errors(client.post(f"{API}/residents/", {}, format="json"))
    assert set(fields) == {"household", "name", "id_number"}
    assert_chinese(fields["name"])  # DRF's "This field is required."
    body = {**valid_payloads(world)["residents"], "name": None, "has_disability": None}
    assert set(field_errors(client.post(f"{API}/residents/", body, format="json"))) == {"name", "has_disability"}


# --- changing ----------------------------------------------------------------------------------

def test_liaison_changes_a_resident(api, world, liaison_user):
    neighbour = world["neighbour"]
    response = api.as_user(liaison_user).patch(
        f"{API}/residents/{neighbour.pk}/",
        {"employment_status": "seeking", "name": "李大川", "phone": "13700001111", "household": world["household"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    neighbour.refresh_from_db()
    assert (neighbour.employment_status, neighbour.name, neighbour.name_initials) == ("seeking", "李大川", "ldc")
    assert neighbour.household == world["household"]
    assert response.json()["phone_masked"] == "137****1111"


def test_put_replaces_the_profile_without_needing_the_id_number(api, world, liaison_user):
    neighbour = world["neighbour"]
    body = {k: v for k, v in valid_payloads(world)["residents"].items() if k != "id_number"}
    response = api.as_user(liaison_user).put(f"{API}/residents/{neighbour.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    neighbour.refresh_from_db()
    assert neighbour.name == "杨春花"
    assert neighbour.id_number_masked == response.json()["id_number_masked"]


def test_a_bad_id_number_on_update_changes_nothing(api, world, liaison_user):
    before = db_state()
    response = api.as_user(liaison_user).patch(
        f"{API}/residents/{world['neighbour'].pk}/", {"id_number": "123", "name": "新名字"}, format="json")
    assert list(field_errors(response)) == ["id_number"]
    assert db_state() == before


def test_a_resident_edits_their_phone_preferences_and_skills(api, world, resident_user, test_skills):
    resident = world["resident"]
    body = {"phone": "13600002222", "min_monthly_wage": "3000", "max_commute_km": "12.5", "accepts_home_based": False,
            "accepts_outside_county": True, "work_time": "full", "wanted_occupations": [world["occupation"].code],
            "skills": [{"skill": test_skills["other"].pk, "level": 4}]}
    response = api.as_user(resident_user).patch(f"{API}/residents/me/", body, format="json")
    assert response.status_code == 200, response.content
    resident.refresh_from_db()
    assert pii.decrypt(resident.phone_encrypted) == "13600002222"
    assert (resident.min_monthly_wage, resident.max_commute_km, resident.work_time) == (3000, 12.5, "full")
    assert resident.accepts_outside_county
    assert not resident.accepts_home_based
    assert list(resident.skill_links.values_list("skill_id", "level", "source")) == [(test_skills["other"].pk, 4, "self")]
    # The same through their own id.
    response = api.as_user(resident_user).patch(f"{API}/residents/{resident.pk}/", {"work_time": "any"}, format="json")
    assert response.status_code == 200
    assert response.json()["work_time"] == "any"


def test_self_reported_skills_never_lower_a_trained_level(api, world, resident_user, test_skills):
    from residents.services import resident_skills_set

    resident = world["resident"]
    resident_skills_set(resident=resident, skills=[SkillLevel(skill=test_skills["exact"], level=4)],
                        source=ResidentSkill.Source.TRAINING)
    response = api.as_user(resident_user).patch(
        f"{API}/residents/me/", {"skills": [{"skill": test_skills["exact"].pk, "level": 1}]}, format="json")
    assert response.status_code == 200
    assert [(s["level"], s["source"]) for s in response.json()["skills"]] == [(4, "training")]


@pytest.mark.parametrize("field", ["name", "id_number", "household", "employment_status", "has_disability", "notes"])
def test_a_resident_cannot_change_what_the_station_keeps(api, world, resident_user, field):
    before = db_state()
    value = {"name": "王大芳", "id_number": f.fresh_id_number(), "household": world["neighbour"].household_id,
             "employment_status": "employed", "has_disability": True, "notes": "x"}[field]
    for path in (f"{API}/residents/me/", f"{API}/residents/{world['resident'].pk}/"):
        response = api.as_user(resident_user).patch(path, {field: value, "phone": "13600002222"}, format="json")
        assert list(field_errors(response)) == [field]
    assert db_state() == before


def test_a_resident_cannot_put_their_profile(api, world, resident_user):
    body = valid_payloads(world)["residents"]
    assert api.as_user(resident_user).put(f"{API}/residents/{world['resident'].pk}/", body,
                                          format="json").status_code == 403


def test_me_for_users_without_a_profile(api, world, admin_user):
    assert api.as_user(admin_user).get(f"{API}/residents/me/").status_code == 404


# --- reading: search, filters, pagination, ordering ------------------------------------------------

@pytest.fixture
def crowd(world, test_skills):
    """Residents of the station with different situations, to filter and search."""
    kanghua = f.HouseholdFactory(number="KH-0101", site=f.place(f.KANGHUA_SITE), poverty_status="lifted")
    anping = f.HouseholdFactory(number="AP-0202", site=f.place(f.ANPING), poverty_status="none")
    return {
        "weaver": f.ResidentFactory(household=kanghua, name="龙秀英", education="primary", has_disability=True,
                                    skills=[SkillLevel(skill=test_skills["prefix"], level=3)]),
        "driver": f.ResidentFactory(household=kanghua, name="吴志强", employment_status="employed",
                                    education="senior"),
        "student": f.ResidentFactory(household=anping, name="杨小龙", employment_status="student",
                                     id_number=STUDENT_ID),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("employment_status=employed", ["driver"]),
    ("education=primary", ["weaver"]),
    ("has_disability=true", ["weaver"]),
    ("poverty_status=lifted", ["weaver", "driver"]),
    ("q=龙", ["weaver", "student"]),
    ("q=LXY", ["weaver"]),
    ("q=lxy", ["weaver"]),
    ("q=KH-0101", ["weaver", "driver"]),
    (f"q={STUDENT_ID[-4:]}", ["student"]),
    (f"q=杨 {STUDENT_ID[-4:]}", ["student"]),
    ("q=吴 4", []),
])
def test_filters_and_search(api, crowd, liaison_user, query, expected):
    response = api.as_user(liaison_user).get(f"{API}/residents/?{query}")
    found = set(ids(response))
    wanted = {crowd[name].pk for name in expected}
    assert wanted <= found
    assert not ({r.pk for r in crowd.values()} - wanted) & found


def test_filter_by_skill_household_and_site(api, crowd, world, liaison_user, test_skills):
    client = api.as_user(liaison_user)
    assert ids(client.get(f"{API}/residents/?skill={test_skills['prefix'].pk}")) == [crowd["weaver"].pk]
    assert set(ids(client.get(f"{API}/residents/?household={crowd['driver'].household_id}"))) == {
        crowd["weaver"].pk, crowd["driver"].pk}
    at_anping = ids(client.get(f"{API}/residents/?site={f.place(f.ANPING).pk}"))
    assert at_anping == [crowd["student"].pk]


def test_a_full_identifier_is_searched_by_post_never_in_the_url(api, crowd, liaison_user):
    client = api.as_user(liaison_user)
    student_phone = pii.decrypt(crowd["student"].phone_encrypted)
    for term in (STUDENT_ID, student_phone, f"杨 {STUDENT_ID}"):
        fields = field_errors(client.get(f"{API}/residents/", {"q": term}))
        assert list(fields) == ["q"]
        assert_chinese(fields["q"])
        found = client.post(f"{API}/residents/search/?ordering=name", {"q": term}, format="json")
        assert found.status_code == 200
        assert found["Cache-Control"] == "no-store"
        assert ids(found) == [crowd["student"].pk]
    assert field_errors(client.post(f"{API}/residents/search/", {}, format="json")).keys() == {"q"}


def test_the_search_never_reaches_another_station(api, crowd, world, liaison_user):
    assert ids(api.as_user(liaison_user).get(f"{API}/residents/?q=张外乡")) == []


def test_pagination_and_ordering(api, crowd, world, liaison_user):
    client = api.as_user(liaison_user)
    everyone = client.get(f"{API}/residents/?ordering=name&page_size=2").json()
    assert everyone["count"] == 5
    assert len(everyone["results"]) == 2
    assert everyone["next"]
    names = [r["name"] for r in results(client.get(f"{API}/residents/?ordering=name&page_size=200"))]
    assert names == sorted(names)
    assert [r["name"] for r in results(client.get(f"{API}/residents/?ordering=-name"))] == names[::-1]
    page3 = client.get(f"{API}/residents/?ordering=name&page_size=2&page=3").json()
    assert [r["name"] for r in page3["results"]] == names[4:]
    assert client.get(f"{API}/residents/?page=9").status_code == 404
    capped = client.get(f"{API}/residents/?page_size=100000").json()
    assert capped["count"] == 5


def test_list_queries_do_not_grow_with_residents(api, crowd, world, liaison_user, test_skills):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api.as_user(liaison_user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/residents/?page_size=200").status_code == 200
        return len(captured)

    few = count_queries()
    for _ in range(4):
        f.ResidentFactory(household=world["household"], skills=[SkillLevel(skill=test_skills["other"], level=2)])
    assert count_queries() == few


# --- reveal ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["liaison_user", "admin_user", "resident_user"])
def test_reveal_returns_the_value_and_logs_it(request, api, world, who):
    resident = world["resident"]
    user = request.getfixturevalue(who)
    response = api.as_user(user).post(f"{API}/residents/{resident.pk}/reveal/",
                                      {"field": "id_number", "reason": "办理就业登记"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"value": pii.decrypt(resident.id_number_encrypted)}
    assert response["Cache-Control"] == "no-store"
    log = PiiRevealLog.objects.get()
    assert (log.actor, log.resident, log.field, log.reason, log.ip_address) == (
        user, resident, "id_number", "办理就业登记", "127.0.0.1")
    phone = api.as_user(user).post(f"{API}/residents/{resident.pk}/reveal/", {"field": "phone", "reason": "回访"},
                                   format="json")
    assert phone.json()["value"] == pii.decrypt(resident.phone_encrypted)
    assert PiiRevealLog.objects.count() == 2


@pytest.mark.parametrize(("who", "status"), [
    ("bureau_user", 403), ("deputy_user", 403), ("other_liaison_user", 404),
])
def test_reveal_is_refused_to_others(request, api, world, who, status):
    response = api.as_user(request.getfixturevalue(who)).post(
        f"{API}/residents/{world['resident'].pk}/reveal/", {"field": "id_number", "reason": "看看"}, format="json")
    assert response.status_code == status
    assert not PiiRevealLog.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"field": "id_number"}, "reason"), ({"field": "id_number", "reason": "   "}, "reason"),
    ({"field": "name", "reason": "x"}, "field"), ({"field": "id_number", "reason": "x" * 201}, "reason"),
])
def test_reveal_needs_a_field_and_a_reason(api, world, liaison_user, body, field):
    response = api.as_user(liaison_user).post(f"{API}/residents/{world['resident'].pk}/reveal/", body, format="json")
    assert list(field_errors(response)) == [field]
    assert not PiiRevealLog.objects.exists()


def test_skills_in_free_words_are_resolved_or_kept_for_review(api, world, resident_user):
    known = Skill.objects.get(code="craft.embroidery")  # 刺绣, alias 绣花
    response = api.as_user(resident_user).patch(f"{API}/residents/me/", {"skill_texts": ["绣花", "量子纠缠观测"]},
                                                format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [(s["skill"]["code"], s["level"]) for s in data["skills"]] == [(known.code, 2)]
    assert data["unresolved_skill_texts"] == ["量子纠缠观测"]
