"""Employers and job postings through the API: the bureau's writes, validation, filters, ordering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import Employer, JobPosting
from taxonomy.identifiers import make_uscc
from taxonomy.models import Occupation
from taxonomy.validators import CONTACT_PHONE_MESSAGE
from tests import factories as f

from .support import API, assert_chinese, db_state, field_errors, ids, results, valid_payloads

TODAY = dt.date.today()


def bad_check_char(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


# --- employers -------------------------------------------------------------------------------------

def test_bureau_adds_and_changes_an_employer(api, world, bureau_user):
    client = api.as_user(bureau_user)
    body = {**valid_payloads(world)["employers"], "uscc": valid_payloads(world)["employers"]["uscc"].lower(),
            "contact_phone": "+86 138-1234-5678"}
    response = client.post(f"{API}/employers/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["uscc"] == body["uscc"].upper()
    assert data["contact_phone"] == "13812345678"
    assert data["place"]["name"] == "平溪街道"
    assert data["open_postings_count"] == 0
    employer = Employer.objects.get(pk=data["id"])
    assert employer.created_by == bureau_user
    response = client.patch(f"{API}/employers/{employer.pk}/", {"is_poverty_workshop": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_poverty_workshop"] is True


@pytest.mark.parametrize(("field", "value"), [
    ("uscc", bad_check_char(make_uscc("520622", 4242))),
    ("uscc", "91520622MA6"),
    ("uscc", "91520622MA6DIOSZ1O"),
    ("contact_phone", "0211234"),
    ("contact_phone", "1381234"),
    ("contact_phone", "3221234"),
])
def test_bad_uscc_or_contact_phone_is_refused_in_chinese(api, world, bureau_user, field, value):
    before = db_state()
    body = {**valid_payloads(world)["employers"], field: value}
    fields = field_errors(api.as_user(bureau_user).post(f"{API}/employers/", body, format="json"))
    assert field in fields
    assert_chinese(fields[field])
    assert db_state() == before


@pytest.mark.parametrize(("typed", "stored"), [
    ("0856-3221234", "0856-3221234"),
    ("(0856) 3221234 转 801", "0856-3221234-801"),
    ("02112345678", "021-12345678"),
])
def test_an_employers_contact_phone_may_be_a_landline(api, world, bureau_user, typed, stored):
    body = {**valid_payloads(world)["employers"], "contact_phone": typed}
    response = api.as_user(bureau_user).post(f"{API}/employers/", body, format="json")
    assert (response.status_code, response.json()["contact_phone"]) == (201, stored)


def test_a_refused_contact_phone_names_both_accepted_forms(api, world, bureau_user):
    body = {**valid_payloads(world)["employers"], "contact_phone": "3221234"}
    client = api.as_user(bureau_user)
    assert field_errors(client.post(f"{API}/employers/", body, format="json"))["contact_phone"] == [
        str(CONTACT_PHONE_MESSAGE)]
    [english] = field_errors(client.post(f"{API}/employers/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"))[
        "contact_phone"]
    assert ("mobile number" in english, "landline" in english) == (True, True)


def test_a_duplicate_uscc_is_refused(api, world, bureau_user):
    body = {**valid_payloads(world)["employers"], "uscc": world["employer"].uscc}
    assert "uscc" in field_errors(api.as_user(bureau_user).post(f"{API}/employers/", body, format="json"))


def test_an_employer_with_postings_is_not_deleted(api, world, bureau_user):
    client = api.as_user(bureau_user)
    before = db_state()
    assert "non_field_errors" in field_errors(client.delete(f"{API}/employers/{world['employer'].pk}/"))
    assert db_state() == before
    lonely = f.EmployerFactory()
    assert client.delete(f"{API}/employers/{lonely.pk}/").status_code == 204
    assert not Employer.objects.filter(pk=lonely.pk).exists()


def test_employer_search_and_filters(api, world, liaison_user):
    other = f.EmployerFactory(name="铜仁物流有限公司")
    client = api.as_user(liaison_user)
    assert ids(client.get(f"{API}/employers/?q=藤艺")) == [world["employer"].pk]
    assert ids(client.get(f"{API}/employers/?q={other.uscc[-6:]}")) == [other.pk]
    assert ids(client.get(f"{API}/employers/?is_poverty_workshop=true")) == [world["employer"].pk]
    assert ids(client.get(f"{API}/employers/?place={f.place(f.KANGHUA_SITE).pk}")) == [world["employer"].pk]
    assert client.get(f"{API}/employers/{world['employer'].pk}/").json()["open_postings_count"] == 1


# --- postings: writing ------------------------------------------------------------------------------

def test_bureau_creates_a_posting_with_skills(api, world, bureau_user, test_skills):
    body = {**valid_payloads(world)["jobs"], "skills": [
        {"skill": test_skills["exact"].pk, "level": 3, "kind": "required", "mandatory": True},
        {"skill": test_skills["other"].pk, "kind": "preferred"},
    ]}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["openings_remaining"] == 2
    assert data["employer"] == {"id": world["employer"].pk, "name": "玉屏藤艺合作社", "is_poverty_workshop": True,
                                "place": {"id": f.place(f.KANGHUA_SITE).pk, "code": f.KANGHUA_SITE,
                                          "name": "康华社区", "level": "site"}}
    assert data["occupation"]["code"] == world["occupation"].code
    assert data["place"]["code"] == f.KANGHUA_SITE  # the employer's place when none is given
    assert sorted((s["skill"]["code"], s["level"], s["kind"], s["mandatory"]) for s in data["skills"]) == [
        ("zz.exact", 3, "required", True), ("zz.other", 1, "preferred", False)]
    assert JobPosting.objects.get(pk=data["id"]).posted_by == bureau_user


def test_create_and_publish_at_once(api, world, bureau_user):
    body = {**valid_payloads(world)["jobs"], "publish": True}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "open"
    assert response.json()["published_at"]


@pytest.mark.parametrize(("change", "field"), [
    ({"wage_min": "5000", "wage_max": "4000"}, "wage_max"),
    ({"age_min": 40, "age_max": 30}, "age_max"),
    ({"age_min": 12}, "age_min"),
    ({"hours_per_day": "30"}, "hours_per_day"),
    ({"hours_per_day": "0"}, "hours_per_day"),
    ({"openings": -1}, "openings"),
    ({"occupation": "9-99-99-99"}, "occupation"),
    ({"title": ""}, "title"),
    ({"title": "工" * 121}, "title"),
    ({"valid_until": "2025-02-30"}, "valid_until"),
    ({"wage_unit": "week"}, "wage_unit"),
    ({"employer": 999_999}, "employer"),
])
def test_posting_validation_names_the_field(api, world, bureau_user, change, field):
    before = db_state()
    body = {**valid_payloads(world)["jobs"], **change}
    fields = field_errors(api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json"))
    assert list(fields) == [field]
    assert db_state() == before


def test_wage_max_below_the_existing_minimum_on_patch(api, world, bureau_user):
    before = db_state()
    response = api.as_user(bureau_user).patch(f"{API}/jobs/{world['posting'].pk}/", {"wage_max": "100"},
                                              format="json")
    fields = field_errors(response)
    assert list(fields) == ["wage_max"]
    assert_chinese(fields["wage_max"])
    assert db_state() == before


def test_bureau_changes_a_posting(api, world, bureau_user, test_skills):
    posting = world["posting"]
    response = api.as_user(bureau_user).patch(
        f"{API}/jobs/{posting.pk}/",
        {"openings": 5, "wage_max": "6000", "skills": [{"skill": test_skills["contains"].pk, "level": 2}],
         "employer": posting.employer_id},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["openings"], data["wage_max"], data["openings_remaining"]) == (5, "6000.00", 5)
    assert [s["skill"]["code"] for s in data["skills"]] == ["zz.contains"]


def test_the_employer_of_a_posting_cannot_change(api, world, bureau_user):
    other = f.EmployerFactory()
    before = db_state()
    response = api.as_user(bureau_user).patch(f"{API}/jobs/{world['posting'].pk}/", {"employer": other.pk},
                                              format="json")
    assert list(field_errors(response)) == ["employer"]
    assert db_state() == before


def test_publish_and_close(api, world, bureau_user):
    client = api.as_user(bureau_user)
    draft = world["draft"]
    response = client.post(f"{API}/jobs/{draft.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "open"
    response = client.post(f"{API}/jobs/{draft.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    draft.refresh_from_db()
    assert draft.status == "closed"
    assert draft.published_at


def test_an_expired_posting_cannot_be_published(api, world, bureau_user, employer):
    expired = f.PostingFactory(employer=employer, publish=False, valid_until=TODAY - dt.timedelta(days=1))
    response = api.as_user(bureau_user).post(f"{API}/jobs/{expired.pk}/publish/")
    assert list(field_errors(response)) == ["valid_until"]
    expired.refresh_from_db()
    assert expired.status == "draft"


def test_only_drafts_are_deleted(api, world, bureau_user):
    client = api.as_user(bureau_user)
    before = db_state()
    assert "non_field_errors" in field_errors(client.delete(f"{API}/jobs/{world['posting'].pk}/"))
    assert db_state() == before
    assert client.delete(f"{API}/jobs/{world['draft'].pk}/").status_code == 204
    assert not JobPosting.objects.filter(pk=world["draft"].pk).exists()


# --- postings: reading --------------------------------------------------------------------------------

@pytest.fixture
def board(world, craft_occupation):
    """Postings that differ in every filtered respect."""
    factory_hall = f.EmployerFactory(name="大龙工业园电子厂", place=f.place(f.PINGXI))
    cleaner = Occupation.objects.filter(level=4, code__startswith="4-").order_by("code").first()
    return {
        "rattan": world["posting"],
        "draft": world["draft"],
        "piecework": f.PostingFactory(employer=world["employer"], title="居家串珠", work_mode="home_based",
                                      occupation=craft_occupation,
                                      wage_unit="piece", wage_min=Decimal("1"), wage_max=Decimal("3"),
                                      valid_until=TODAY + dt.timedelta(days=5)),
        "factory": f.PostingFactory(employer=factory_hall, title="电子装配工", occupation=cleaner,
                                    wage_min=Decimal("4000"), wage_max=Decimal("6500"),
                                    valid_until=TODAY + dt.timedelta(days=90), place=f.place(f.ANPING)),
        "cleaner_code": cleaner.code,
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("status=draft", ["draft"]),
    ("status=open", ["rattan", "piecework", "factory"]),
    ("work_mode=home_based", ["piecework"]),
    ("wage_unit=piece", ["piecework"]),
    ("is_poverty_workshop=true", ["rattan", "draft", "piecework"]),
    ("is_poverty_workshop=false", ["factory"]),
    ("min_wage=5000", ["factory"]),
    ("occupation={cleaner_code}", ["factory"]),
    ("occupation={cleaner_group}", ["factory"]),
    ("occupation=4", ["factory"]),
    ("place={pingxi}", ["rattan", "draft", "piecework", "factory"]),
    ("place={anping}", ["factory"]),
    ("valid_until_before={in10}", ["piecework"]),
    ("valid_until_after={in70}", ["factory"]),
    ("q=电子", ["factory"]),
    ("q=藤艺", ["rattan", "draft", "piecework"]),
])
def test_posting_filters(api, board, bureau_user, query, expected):
    query = query.format(
        cleaner_code=board["cleaner_code"], cleaner_group="-".join(board["cleaner_code"].split("-")[:2]) + "-00-00",
        pingxi=f.place(f.PINGXI).pk, anping=f.place(f.ANPING).pk,
        in10=TODAY + dt.timedelta(days=10), in70=TODAY + dt.timedelta(days=70),
    )
    found = ids(api.as_user(bureau_user).get(f"{API}/jobs/?{query}&page_size=200"))
    assert sorted(found) == sorted(board[name].pk for name in expected)


def test_posting_ordering_and_pagination(api, board, bureau_user):
    client = api.as_user(bureau_user)
    by_wage = [p["id"] for p in results(client.get(f"{API}/jobs/?ordering=-wage_max&status=open"))]
    assert by_wage[0] == board["factory"].pk
    assert by_wage[-1] == board["piecework"].pk
    soonest = results(client.get(f"{API}/jobs/?ordering=valid_until&status=open"))
    assert soonest[0]["id"] == board["piecework"].pk
    newest = results(client.get(f"{API}/jobs/"))
    assert newest[0]["id"] == board["factory"].pk  # newest first by default
    page = client.get(f"{API}/jobs/?page_size=3&ordering=created_at").json()
    assert page["count"] == 4
    assert len(page["results"]) == 3
    assert page["previous"] is None
    rest = client.get(page["next"]).json()
    assert [p["id"] for p in rest["results"]] == [board["factory"].pk]


def test_a_resident_filters_only_among_open_postings(api, board, resident_user):
    client = api.as_user(resident_user)
    assert ids(client.get(f"{API}/jobs/?status=draft")) == []
    assert sorted(ids(client.get(f"{API}/jobs/?is_poverty_workshop=true"))) == sorted(
        [board["rattan"].pk, board["piecework"].pk])


@pytest.fixture
def expired(board):
    """An open posting whose last valid day was yesterday, not yet closed by the nightly task."""
    posting = f.PostingFactory(employer=board["rattan"].employer, title="过期藤编工")
    JobPosting.objects.filter(pk=posting.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    return posting


def test_an_expired_posting_is_not_listed_as_open(api, board, expired, bureau_user):
    client = api.as_user(bureau_user)
    assert expired.pk not in ids(client.get(f"{API}/jobs/?status=open&page_size=200"))
    assert ids(client.get(f"{API}/jobs/?status=expired")) == [expired.pk]
    shown = client.get(f"{API}/jobs/{expired.pk}/").json()
    assert (shown["status"], shown["is_expired"]) == ("open", True)
    assert client.get(f"{API}/jobs/{board['rattan'].pk}/").json()["is_expired"] is False


def test_a_resident_does_not_see_an_expired_posting(api, board, expired, resident_user):
    client = api.as_user(resident_user)
    assert expired.pk not in ids(client.get(f"{API}/jobs/?page_size=200"))
    assert client.get(f"{API}/jobs/{expired.pk}/").status_code == 404


def test_an_employers_open_postings_leave_out_the_expired(api, board, expired, bureau_user):
    employer = api.as_user(bureau_user).get(f"{API}/employers/{expired.employer_id}/").json()
    assert employer["open_postings_count"] == JobPosting.objects.filter(
        employer=expired.employer, status="open").count() - 1


def test_posting_list_queries_do_not_grow(api, board, bureau_user, test_skills):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs.services import SkillRequirementInput

    client = api.as_user(bureau_user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/jobs/?page_size=200").status_code == 200
        return len(captured)

    few = count_queries()
    for _ in range(3):
        f.PostingFactory(employer=f.EmployerFactory(), skills=[SkillRequirementInput(skill=test_skills["other"])])
    assert count_queries() == few


def test_posting_skills_in_free_words(api, world, bureau_user):
    body = {**valid_payloads(world)["jobs"], "skills": [], "skill_texts": ["会绣花", "量子纠缠观测"]}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(s["skill"]["code"], s["kind"], s["level"]) for s in data["skills"]] == [
        ("craft.embroidery", "required", 1)]
    assert data["unresolved_skill_texts"] == ["量子纠缠观测"]


def test_a_posting_title_without_occupation_is_coded(api, world, bureau_user):
    body = {k: v for k, v in valid_payloads(world)["jobs"].items() if k != "occupation"}
    body["title"] = "家政服务员"
    data = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json").json()
    assert data["occupation"] is not None
    assert data["occupation_confidence"] is not None
