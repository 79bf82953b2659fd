"""Bulk recommendations: a confirmation that states the count first, then a batch that can be withdrawn together
within a day, on record as withdrawn, and the statistics follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.services import SkillRequirementInput
from matching import services
from matching.models import Recommendation, RecommendationBatch, RecommendationEvent
from residents.models import Resident
from stations.statistics import Figure, Period, Scope, figure_records
from taxonomy.models import Skill
from tests import factories as f

from .test_assignment_pages import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    """Three cleaners of the station and three cleaning openings: a proposal of three pairs."""
    cleaning = Skill.objects.get(code="house.cleaning")
    f.PostingFactory(title="保洁员", openings=3, skills=[SkillRequirementInput(skill=cleaning)])
    return [f.ResidentFactory(name=name, household=f.HouseholdFactory(), skill_texts=["做保洁"],
                              max_commute_km=Decimal("50"),
                              employment_status=Resident.EmploymentStatus.SEEKING)
            for name in ("甲保洁", "乙保洁", "丙保洁")]


def _recommended_this_month(station_scope) -> int:
    today = timezone.localdate()
    return figure_records(Figure.RESIDENTS_RECOMMENDED, station_scope, Period(today.replace(day=1), today)).count()


@pytest.fixture
def station_scope(station):
    return Scope.for_station(station)


def test_recommend_all_asks_first_with_the_count_and_records_nothing(scene, clients,
                                                                     django_capture_on_commit_callbacks):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    before = Recommendation.objects.count()
    response = clients["liaison"].post(reverse("web:liaison-assignment-accept", args=[run.pk]), {"everything": "on"})
    assert response.status_code == 200
    assert response.context["count"] == len(run.proposal)
    html = response.content.decode()
    assert f"将推荐 {len(run.proposal)} 位居民" in html
    assert 'name="confirmed" value="yes"' in html
    assert Recommendation.objects.count() == before


def test_a_confirmed_bulk_recommendation_is_one_batch_that_can_be_withdrawn(
        scene, clients, station_scope, django_capture_on_commit_callbacks):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    counted_before = _recommended_this_month(station_scope)
    accept = reverse("web:liaison-assignment-accept", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["liaison"].post(accept, {"everything": "on", "confirmed": "yes"})
    batch = RecommendationBatch.objects.get()
    assert response["Location"] == reverse("web:liaison-assignment", args=[run.pk])
    # The run's page, once the acceptance has run, links to its batch.
    run_page = clients["liaison"].get(response["Location"]).content.decode()
    assert reverse("web:liaison-batch", args=[batch.pk]) in run_page
    made = list(batch.recommendations.all())
    n = len(made)
    assert n == len(run.proposal) >= 3
    assert _recommended_this_month(station_scope) == counted_before + n
    # Someone already called one of them: it is kept when the batch is withdrawn.
    worked = made[0]
    services.recommendation_move(recommendation=worked, to_state="contacted", actor=batch.created_by)

    page = clients["liaison"].get(reverse("web:liaison-batch", args=[batch.pk]))
    assert page.context["withdrawable"]
    assert page.context["open_count"] == n - 1
    withdraw = reverse("web:liaison-batch-withdraw", args=[batch.pk])
    asked = clients["liaison"].post(withdraw, {"reason": "点错了"})
    assert asked.status_code == 200
    assert f"将撤回 {n - 1} 条推荐" in asked.content.decode()
    assert not Recommendation.objects.filter(state="withdrawn").exists()

    done = clients["liaison"].post(withdraw, {"reason": "点错了", "confirmed": "yes"})
    assert done.status_code == 302
    states = dict(batch.recommendations.values_list("pk", "state"))
    assert states.pop(worked.pk) == "contacted"
    assert set(states.values()) == {"withdrawn"}  # recorded, not deleted
    events = RecommendationEvent.objects.filter(recommendation_id__in=states, to_state="withdrawn")
    assert [e.note for e in events] == ["点错了"] * (n - 1)
    assert _recommended_this_month(station_scope) == counted_before + 1
    batch.refresh_from_db()
    assert batch.withdrawn_at is not None
    assert batch.withdraw_reason == "点错了"
    # Twice is refused and changes nothing.
    again = clients["liaison"].post(withdraw, {"confirmed": "yes"})
    assert again.status_code == 400
    assert Recommendation.objects.filter(state="withdrawn").count() == n - 1


def test_a_batch_cannot_be_withdrawn_after_a_day(scene, clients, liaison_user, django_capture_on_commit_callbacks):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    clients["liaison"].post(reverse("web:liaison-assignment-accept", args=[run.pk]),
                            {"everything": "on", "confirmed": "yes"})
    batch = RecommendationBatch.objects.get()
    RecommendationBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    page = clients["liaison"].get(reverse("web:liaison-batch", args=[batch.pk]))
    assert not page.context["withdrawable"]
    response = clients["liaison"].post(reverse("web:liaison-batch-withdraw", args=[batch.pk]), {"confirmed": "yes"})
    assert response.status_code == 400
    assert "24" in str(response.context["form"].non_field_errors())
    assert not Recommendation.objects.filter(state="withdrawn").exists()


def test_a_batch_is_its_makers_own(scene, clients, django_capture_on_commit_callbacks):
    run = start(clients["liaison"], django_capture_on_commit_callbacks)
    clients["liaison"].post(reverse("web:liaison-assignment-accept", args=[run.pk]),
                            {"everything": "on", "confirmed": "yes"})
    batch = RecommendationBatch.objects.get()
    withdraw = reverse("web:liaison-batch-withdraw", args=[batch.pk])
    assert clients["other_liaison"].get(reverse("web:liaison-batch", args=[batch.pk])).status_code == 404
    assert clients["other_liaison"].post(withdraw, {"confirmed": "yes"}).status_code == 404
    for role in ("bureau", "deputy", "resident"):
        assert clients[role].post(withdraw, {"confirmed": "yes"}).status_code == 403
    assert not Recommendation.objects.filter(state="withdrawn").exists()
