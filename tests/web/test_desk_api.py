"""The follow-up desk and bulk withdrawal through the API: a call recorded in one step (still in work, left with
the reason, can't reach), an unscheduled call, and a batch of recommendations withdrawn; per role, and garbage
that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from matching.models import FollowUp, FollowUpCall, Placement, Recommendation, RecommendationBatch
from matching.selectors import explain_match, explanation_as_dict
from matching.services import recommendation_create
from residents.models import Resident
from tests import factories as f
from tests.api.support import assert_chinese, field_errors

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _state():
    return (list(FollowUpCall.objects.order_by("pk").values()), list(FollowUp.objects.order_by("pk").values()),
            list(Placement.objects.order_by("pk").values()), list(Recommendation.objects.order_by("pk").values()),
            list(RecommendationBatch.objects.order_by("pk").values()))


def test_a_scheduled_check_answered_in_one_step(api, world, liaison_user):
    response = api.as_user(liaison_user).post(f"{API}/follow-ups/{world.follow_up.pk}/call/",
                                              {"outcome": "in_work", "note": "还在车间"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "in_work"
    assert body["follow_up"] == world.follow_up.pk
    assert body["outcome_display"] == "仍在岗"
    world.follow_up.refresh_from_db()
    assert world.follow_up.still_employed is True
    assert world.follow_up.done_at is not None
    # Answered: a second answer is refused on the field, and nothing changes.
    before = _state()
    again = api.as_user(liaison_user).post(f"{API}/follow-ups/{world.follow_up.pk}/call/", {"outcome": "in_work"},
                                           format="json")
    assert "follow_up" in field_errors(again)
    assert _state() == before


def test_left_with_a_reason_ends_the_placement(api, world, liaison_user):
    response = api.as_user(liaison_user).post(f"{API}/follow-ups/{world.follow_up.pk}/call/",
                                              {"outcome": "left", "end_reason": "quit"}, format="json")
    assert response.status_code == 201, response.content
    world.placement.refresh_from_db()
    assert world.placement.status == Placement.Status.ENDED
    assert world.placement.end_reason == "quit"
    assert response.json()["placement_status"] == "ended"
    assert not FollowUp.objects.filter(placement=world.placement, done_at__isnull=True).exists()


def test_an_unscheduled_call_that_cannot_reach_keeps_the_check_open(api, world, liaison_user):
    client = api.as_user(liaison_user)
    response = client.post(f"{API}/placements/{world.placement.pk}/calls/", {"outcome": "unreachable"},
                           format="json")
    assert response.status_code == 201, response.content
    assert response.json()["follow_up"] is None
    world.follow_up.refresh_from_db()
    assert world.follow_up.done_at is None
    history = client.get(f"{API}/placements/{world.placement.pk}/calls/")
    assert [c["outcome"] for c in history.json()] == ["unreachable"]


GARBAGE_CALLS = [
    ({}, {"outcome"}),
    ({"outcome": "gone"}, {"outcome"}),
    ({"outcome": "left"}, {"end_reason"}),
    ({"outcome": "left", "end_reason": "bored"}, {"end_reason"}),
    ({"outcome": "in_work", "called_on": "2999-01-01"}, {"called_on"}),
    ({"outcome": "in_work", "called_on": "1999-01-01"}, {"called_on"}),
    ({"outcome": "in_work", "called_on": "明天"}, {"called_on"}),
    ({"outcome": "in_work", "note": "长" * 201}, {"note"}),
    ({"outcome": ["in_work"], "note": {"a": 1}}, {"outcome", "note"}),
]


def test_garbage_calls_are_400_in_chinese_and_change_nothing(api, world, liaison_user):
    before = _state()
    client = api.as_user(liaison_user)
    for body, fields in GARBAGE_CALLS:
        for url in (f"{API}/follow-ups/{world.follow_up.pk}/call/", f"{API}/placements/{world.placement.pk}/calls/"):
            errors = field_errors(client.post(url, body, format="json"))
            assert fields <= set(errors), (body, errors)
            assert_chinese([m for messages in errors.values() for m in messages])
    assert _state() == before


ROLES = {"other_liaison": ("other_liaison_user", 404), "resident": ("resident_user", 403),
         "bureau": ("bureau_user", 403), "deputy": ("deputy_user", 403), "anonymous": (None, 401)}


def _clients(api, request):
    from rest_framework.test import APIClient

    for who, (fixture, expected) in ROLES.items():
        yield who, (APIClient() if fixture is None else api.as_user(request.getfixturevalue(fixture))), expected


def test_only_the_station_liaison_records_calls(api, world, request):
    before = _state()
    body = {"outcome": "in_work"}
    for who, client, expected in _clients(api, request):
        assert client.post(f"{API}/follow-ups/{world.follow_up.pk}/call/", body, format="json").status_code == expected, who
        assert client.post(f"{API}/placements/{world.placement.pk}/calls/", body,
                           format="json").status_code == expected, who
        assert client.get(f"{API}/placements/{world.placement.pk}/calls/").status_code == expected, who
    assert _state() == before


@pytest.fixture
def batch(world, liaison_user):
    """A bulk action of two recommendations, one already contacted."""
    batch = RecommendationBatch.objects.create(created_by=liaison_user)
    made = []
    for name in ("甲藤编", "乙藤编"):
        person = f.ResidentFactory(name=name, household=f.HouseholdFactory(), skill_texts=["藤编"],
                                   employment_status=Resident.EmploymentStatus.SEEKING)
        outcome = explain_match(person, world.posting)
        made.append(recommendation_create(resident=person, posting=world.posting, recommended_by=liaison_user,
                                          score=outcome.score, explanation=explanation_as_dict(outcome), batch=batch))
    Recommendation.objects.filter(pk=made[1].pk).update(state=Recommendation.State.CONTACTED)
    return batch, made


def test_a_batch_is_withdrawn_through_the_api(api, batch, liaison_user):
    batch, made = batch
    client = api.as_user(liaison_user)
    listed = client.get(f"{API}/recommendation-batches/").json()["results"]
    assert [(b["id"], b["size"], b["withdrawable"]) for b in listed] == [(batch.pk, 2, True)]
    response = client.post(f"{API}/recommendation-batches/{batch.pk}/withdraw/", {"reason": "推荐错了"},
                           format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["withdrawn"] == [made[0].pk]
    assert body["kept"] == [made[1].pk]
    assert body["batch"]["withdrawn_by"] == liaison_user.username
    assert body["batch"]["withdrawable"] is False
    assert Recommendation.objects.get(pk=made[0].pk).state == Recommendation.State.WITHDRAWN
    before = _state()
    again = client.post(f"{API}/recommendation-batches/{batch.pk}/withdraw/", {}, format="json")
    assert_chinese(field_errors(again)["batch"])
    assert _state() == before


def test_a_batch_older_than_a_day_stays(api, batch, liaison_user):
    batch, _made = batch
    RecommendationBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    before = _state()
    response = api.as_user(liaison_user).post(f"{API}/recommendation-batches/{batch.pk}/withdraw/", {},
                                              format="json")
    assert "batch" in field_errors(response)
    assert _state() == before


def test_garbage_withdrawals_change_nothing(api, batch, liaison_user):
    batch, _made = batch
    before = _state()
    client = api.as_user(liaison_user)
    for body in ({"reason": "长" * 201}, {"reason": ["a"]}, ["reason"], "reason"):
        response = client.post(f"{API}/recommendation-batches/{batch.pk}/withdraw/", body, format="json")
        assert response.status_code == 400, body
    assert _state() == before


def test_only_its_maker_withdraws_a_batch(api, batch, request):
    batch, _made = batch
    before = _state()
    for who, client, expected in _clients(api, request):
        response = client.post(f"{API}/recommendation-batches/{batch.pk}/withdraw/", {}, format="json")
        assert response.status_code == expected, who
        assert client.get(f"{API}/recommendation-batches/{batch.pk}/").status_code == expected, who
    assert _state() == before


def test_unknown_and_huge_ids_are_404(api, liaison_user, world):
    client = api.as_user(liaison_user)
    for url in (f"{API}/recommendation-batches/999999/withdraw/", f"{API}/follow-ups/{'9' * 25}/call/",
                f"{API}/placements/999999/calls/"):
        assert client.post(url, {"outcome": "in_work"}, format="json").status_code == 404
