"""Batch assignment pages: a liaison worker proposes, reviews and recommends, for their own station only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.services import SkillRequirementInput
from matching.models import AssignmentRun, Recommendation
from residents.models import Resident
from taxonomy.models import Skill
from tests import factories as f

from .conftest import OTHER_SITE

pytestmark = pytest.mark.django_db

RUNS = reverse("web:liaison-assignments")


@pytest.fixture
def scene(world):
    """One cleaning opening for two cleaners: b's household has nobody in work, a's has someone."""
    cleaning = Skill.objects.get(code="house.cleaning")
    posting = f.PostingFactory(title="保洁员", openings=1, skills=[SkillRequirementInput(skill=cleaning)])
    working = f.HouseholdFactory()
    f.ResidentFactory(household=working, employment_status=Resident.EmploymentStatus.EMPLOYED)
    a = f.ResidentFactory(name="甲保洁", household=working, skill_texts=["做保洁"], max_commute_km=Decimal("50"))
    b = f.ResidentFactory(name="乙保洁", household=f.HouseholdFactory(), skill_texts=["做保洁"],
                          max_commute_km=Decimal("50"))
    outsider = f.ResidentFactory(name="丙外站", household=f.HouseholdFactory(site=f.place(OTHER_SITE)),
                                 skill_texts=["做保洁"], max_commute_km=Decimal("500"))
    return posting, a, b, outsider


def start(client, django_capture_on_commit_callbacks, **data) -> AssignmentRun:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUNS, {"mode": "optimal", "k": "10", **data})
    assert response.status_code == 302
    run = AssignmentRun.objects.latest("created_at")
    assert response["Location"] == reverse("web:liaison-assignment", args=[run.pk])
    return run


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_a_run_covers_the_station_and_proposes_the_zero_employment_household_first(
        scene, clients, django_capture_on_commit_callbacks, mode):
    posting, a, b, outsider = scene
    before = Recommendation.objects.count()
    run = start(clients["liaison"], django_capture_on_commit_callbacks, mode=mode)
    run.refresh_from_db()
    assert run.status == "finished", run.error
    assert outsider.pk not in run.resident_ids
    assert a.pk in run.resident_ids
    assert b.pk in run.resident_ids
    page = clients["liaison"].get(reverse("web:liaison-assignment", args=[run.pk]))
    pairs = {(p.resident.pk, p.posting.pk): p for p in page.context["page"]}
    assert sum(1 for _r, p in pairs if p == posting.pk) <= 1  # one opening, at most one person
    if mode == "optimal":  # every household with nobody in work that can get a job gets one
        summary = page.context["summary"]
        assert summary["zero_employment_households_covered"] == summary["zero_employment_households_coverable"]
        mine = next(p for (r, _p), p in pairs.items() if r == b.pk)
        assert mine.zero_employment
    html = page.content.decode()
    assert "丙外站" not in html
    assert Recommendation.objects.count() == before  # a proposal recommends nobody by itself


def test_ticked_pairs_become_recommendations_and_nobody_is_hired(scene, clients, world,
                                                                 django_capture_on_commit_callbacks):
    _posting, _a, b, _outsider = scene
    before = set(Recommendation.objects.values_list("resident_id", "posting_id"))
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    proposed = {(r, p) for r, p, _s in run.proposal}
    b_posting = next(p for r, p in proposed if r == b.pk)
    accept = reverse("web:liaison-assignment-accept", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["liaison"].post(accept, {"residents": [b.pk], "confirmed": "yes"})
    assert response.status_code == 302
    rec = Recommendation.objects.get(resident=b, posting_id=b_posting)
    assert rec.state == "recommended"
    assert Resident.objects.get(pk=b.pk).employment_status == "seeking"
    again = clients["liaison"].get(reverse("web:liaison-assignment", args=[run.pk]))
    assert next(p for p in again.context["page"] if p.resident.pk == b.pk).recommended
    assert again.context["acceptance"].status == "finished"
    # Everything else proposed: b's pair is reported as already recommended, the rest go through.
    with django_capture_on_commit_callbacks(execute=True):
        clients["liaison"].post(accept, {"everything": "on", "confirmed": "yes"})
    assert set(Recommendation.objects.values_list("resident_id", "posting_id")) == before | proposed
    assert Recommendation.objects.filter(resident=b).count() == 1
    page = clients["liaison"].get(reverse("web:liaison-assignment", args=[run.pk])).content.decode()
    assert 'data-testid="acceptance-skipped"' in page
    assert b.name in page


@pytest.mark.parametrize("data", [{}, {"residents": ["abc"]}, {"residents": ["999999999"]}, {"residents": ["-1"]}])
def test_garbage_accepts_are_refused_and_change_nothing(scene, clients, django_capture_on_commit_callbacks, data):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    before = Recommendation.objects.count()
    response = clients["liaison"].post(reverse("web:liaison-assignment-accept", args=[run.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Recommendation.objects.count() == before


def test_another_stations_resident_cannot_be_accepted(scene, clients, django_capture_on_commit_callbacks):
    _posting, _a, _b, outsider = scene
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        clients["liaison"].post(reverse("web:liaison-assignment-accept", args=[run.pk]),
                                {"residents": [outsider.pk], "confirmed": "yes"})
    assert not Recommendation.objects.filter(resident=outsider).exists()


@pytest.mark.parametrize(("field", "value"), [("mode", "greedy"), ("k", "0"), ("k", "201"), ("k", "many")])
def test_a_bad_run_form_starts_nothing(scene, clients, field, value):
    response = clients["liaison"].post(RUNS, {"mode": "optimal", "k": "10", field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AssignmentRun.objects.exists()


def test_a_running_run_is_polled_and_reloads_when_done(scene, clients, liaison_user):
    from matching import services

    run = services.assignment_run_create(mode="optimal", resident_ids=[], created_by=liaison_user)
    poll = reverse("web:liaison-assignment", args=[run.pk]) + "?poll=1"
    pending = clients["liaison"].get(poll, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in pending.content.decode()
    assert "HX-Refresh" not in pending
    services.assignment_run_execute(run_id=run.pk)
    done = clients["liaison"].get(poll, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_runs_are_their_makers_own(scene, clients, django_capture_on_commit_callbacks):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    before = Recommendation.objects.count()
    page = reverse("web:liaison-assignment", args=[run.pk])
    accept = reverse("web:liaison-assignment-accept", args=[run.pk])
    assert clients["other_liaison"].get(page).status_code == 404
    assert clients["other_liaison"].post(accept, {"everything": "on", "confirmed": "yes"}).status_code == 404
    assert clients["admin"].get(page).status_code == 200
    for role in ("bureau", "deputy", "resident"):
        assert clients[role].get(page).status_code == 403
        assert clients[role].post(RUNS, {"mode": "optimal", "k": "10"}).status_code == 403
    assert Recommendation.objects.count() == before
