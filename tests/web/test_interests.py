"""我想试试这个: a resident says it with one tap on a job picked for them (and can take it back), liaison staff of
their station see it on their desk with one click to recommend, and it counts in the statistics; the same
through the API, per role, with garbage that changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from freshness.selectors import versions_get
from jobs.services import SkillRequirementInput
from matching.models import Interest, Recommendation
from matching.selectors import matches_for_resident
from stations.statistics import Figure, Period, Scope, statistics_for
from taxonomy.models import Skill
from tests import factories as f
from tests.api.support import assert_chinese, field_errors

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/v1"


def _tap(client, posting, want="yes", **extra):
    return client.post(reverse("web:resident-interest", args=[posting.pk]), {"want": want}, **extra)


def _interests():
    return list(Interest.objects.order_by("pk").values())


def test_one_tap_says_it_twice_changes_nothing_and_it_can_be_taken_back(world, resident, clients):
    page = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    assert 'data-testid="interest-button"' in page
    assert "我想试试这个" in page
    swapped = _tap(clients["resident"], world.posting, **HTMX)
    assert swapped.status_code == 200
    assert 'data-testid="interest-said"' in swapped.content.decode()
    said = Interest.objects.get(resident=resident, posting=world.posting)
    _tap(clients["resident"], world.posting, **HTMX)
    assert len(_interests()) == 1
    assert Interest.objects.get().expressed_at == said.expressed_at
    assert 'data-testid="interest-said"' in clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    taken_back = _tap(clients["resident"], world.posting, want="no", **HTMX)
    assert 'data-testid="interest-button"' in taken_back.content.decode()
    assert Interest.objects.get().withdrawn_at is not None
    _tap(clients["resident"], world.posting, want="no")  # twice: nothing more
    assert Interest.objects.count() == 1


def test_only_jobs_picked_for_me_and_only_by_me(world, resident, clients):
    accounting = Skill.objects.get(code="office.accounting")
    elsewhere = f.PostingFactory(employer=world.employer, title="会计",  # a skill she lacks, required
                                 skills=[SkillRequirementInput(skill=accounting, mandatory=True)])
    assert elsewhere.pk not in {m["job_id"] for m in matches_for_resident(resident, limit=50)}
    response = _tap(clients["resident"], elsewhere, **HTMX)
    assert response.status_code == 400
    assert "只能" in response.content.decode()
    assert _tap(clients["resident"], world.draft, **HTMX).status_code == 400
    assert _tap(clients["resident"], world.posting, **HTMX).status_code == 200
    assert clients["resident"].post("/me/jobs/99999999/interest/", {"want": "yes"}).status_code == 404
    for who in ("liaison", "bureau", "admin", "deputy"):
        assert _tap(clients[who], world.posting).status_code == 403
    assert Interest.objects.count() == 1


def test_staff_of_the_station_see_it_and_recommend_in_one_click(world, resident, clients, liaison_user):
    _tap(clients["resident"], world.posting)
    page = clients["liaison"].get(reverse("web:liaison-interests"))
    html = page.content.decode()
    assert [(i.resident_id, i.posting_id) for i in page.context["page"]] == [(resident.pk, world.posting.pk)]
    assert resident.name in html
    assert world.posting.title in html
    assert reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]) in html
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]),
                            {"next": reverse("web:liaison-interests")})
    assert Recommendation.objects.filter(resident=resident, posting=world.posting).exists()
    again = clients["liaison"].get(reverse("web:liaison-interests"), {"handled": "yes"})
    assert [i.recommended for i in again.context["page"]] == [True]
    assert list(clients["liaison"].get(reverse("web:liaison-interests"), {"handled": "no"}).context["page"]) == []
    assert list(clients["other_liaison"].get(reverse("web:liaison-interests")).context["page"]) == []
    for who in ("resident", "bureau", "deputy"):
        assert clients[who].get(reverse("web:liaison-interests")).status_code == 403


def test_it_counts_in_the_statistics_and_bumps_the_version(world, resident, clients, station, deputy_user):
    today = timezone.localdate()
    scope, period = Scope.for_station(station), Period(today.replace(day=1), today)
    assert statistics_for(scope, period).values[Figure.INTERESTS] == 0
    before = versions_get()["outcomes"].version
    _tap(clients["resident"], world.posting)
    assert versions_get()["outcomes"].version == before + 1
    assert statistics_for(scope, period).values[Figure.INTERESTS] == 1  # the cache moved with the version
    body = clients["deputy"].get(f"{API}/statistics/").json()
    assert body["interests"] == 1
    assert {"name": "interests", "label": "群众想试的岗位", "value": 1} in body["figures"]
    workbook = load_workbook(io.BytesIO(clients["deputy"].get(reverse("web:dashboard-xlsx")).content))
    sheet = workbook["群众想试的岗位"]
    assert [c.value for c in sheet[2]][:2] == [resident.name, world.posting.title]
    _tap(clients["resident"], world.posting, want="no")
    assert statistics_for(scope, period).values[Figure.INTERESTS] == 0


def test_the_api_says_it_and_takes_it_back(api, world, resident, resident_user):
    client = api.as_user(resident_user)
    url = f"{API}/residents/{resident.pk}/matches/{world.posting.pk}/interest/"
    assert client.delete(url).status_code == 204
    said = client.post(url)
    assert said.status_code == 200, said.content
    assert said.json()["interested"] is True
    assert client.post(url).json()["expressed_at"] == said.json()["expressed_at"]
    matches = client.get(f"{API}/residents/{resident.pk}/matches/").json()["results"]
    assert [m["interested"] for m in matches if m["job_id"] == world.posting.pk] == [True]
    assert [i["posting"] for i in client.get(f"{API}/interests/").json()["results"]] == [world.posting.pk]
    taken = client.delete(url)
    assert taken.status_code == 200
    assert taken.json()["interested"] is False
    assert client.get(f"{API}/interests/").json()["results"] == []


def test_the_api_refuses_others_and_garbage_changing_nothing(api, world, resident, resident_user, request):
    client = api.as_user(resident_user)
    client.post(f"{API}/residents/{resident.pk}/matches/{world.posting.pk}/interest/")
    before = _interests()
    draft = f"{API}/residents/{resident.pk}/matches/{world.draft.pk}/interest/"
    assert_chinese(field_errors(client.post(draft))["posting"])
    for url in (f"{API}/residents/{world.neighbour.pk}/matches/{world.posting.pk}/interest/",
                f"{API}/residents/{resident.pk}/matches/99999999/interest/",
                f"{API}/residents/{'9' * 25}/matches/{world.posting.pk}/interest/"):
        assert client.post(url).status_code == 404
        assert client.delete(url).status_code == 404
    mine = f"{API}/residents/{resident.pk}/matches/{world.posting.pk}/interest/"
    for fixture in ("liaison_user", "bureau_user", "deputy_user"):
        staff = api.as_user(request.getfixturevalue(fixture))
        assert staff.post(mine).status_code == 403
        assert staff.delete(mine).status_code == 403
    assert _interests() == before
    liaison = api.as_user(request.getfixturevalue("liaison_user")).get(f"{API}/interests/").json()["results"]
    assert [(i["resident"], i["recommended"]) for i in liaison] == [(resident.pk, False)]
    staff = api.as_user(request.getfixturevalue("liaison_user"))
    assert len(staff.get(f"{API}/interests/", {"q": "藤椅"}).json()["results"]) == 1
    assert staff.get(f"{API}/interests/", {"q": "会计"}).json()["results"] == []
    assert staff.get(f"{API}/interests/", {"resident": "abc"}).status_code == 400
    other = api.as_user(request.getfixturevalue("other_liaison_user")).get(f"{API}/interests/").json()["results"]
    assert other == []
