"""Accepting an assignment run: chunks that commit with their progress, resume after a crash without recommending
a pair twice, and all or nothing when it cannot finish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobs.services import SkillRequirementInput
from matching import services as matching
from matching.models import AssignmentAcceptance, Recommendation
from matching.services import acceptance as acceptance_module
from taxonomy.models import Skill
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(liaison_user, room1):
    """A finished run proposing four pairs."""
    cleaning = Skill.objects.get(code="house.cleaning")
    f.PostingFactory(title="保洁员", openings=4, skills=[SkillRequirementInput(skill=cleaning)])
    residents = [f.ResidentFactory(skill_texts=["做保洁"], max_commute_km=Decimal("50")) for _ in range(4)]
    created = matching.assignment_run_create(mode="optimal", resident_ids=[r.pk for r in residents],
                                             created_by=liaison_user, k=5)
    done = matching.assignment_run_execute(run_id=created.pk)
    assert len(done.proposal) == 4
    return done


@pytest.fixture
def one_pair_chunks(settings):
    settings.ASSIGNMENT_ACCEPT_CHUNK = 1


def test_a_run_after_a_crash_resumes_at_the_last_chunk_and_recommends_each_pair_once(run, liaison_user,
                                                                                     one_pair_chunks):
    acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)
    # A worker starts it, commits two chunks, and dies.
    AssignmentAcceptance.objects.filter(pk=acceptance.pk).update(status="running", attempts=1)
    assert acceptance_module._chunk(acceptance.pk)
    assert acceptance_module._chunk(acceptance.pk)
    acceptance.refresh_from_db()
    assert (acceptance.done, len(acceptance.created), Recommendation.objects.count()) == (2, 2, 2)
    # Redelivered: it goes on from pair 3.
    acceptance = matching.assignment_acceptance_run(acceptance_id=acceptance.pk)
    assert (acceptance.status, acceptance.done, acceptance.total, acceptance.attempts) == ("finished", 4, 4, 2)
    assert sorted(acceptance.created) == sorted(Recommendation.objects.values_list("pk", flat=True))
    assert Recommendation.objects.count() == 4
    assert acceptance.skipped == []
    # Delivered once more after it finished: nothing changes.
    assert matching.assignment_acceptance_run(acceptance_id=acceptance.pk).done == 4
    assert Recommendation.objects.count() == 4


def test_an_error_midway_takes_back_what_it_recommended(run, liaison_user, one_pair_chunks, monkeypatch):
    real = acceptance_module.recommendation_create
    calls = {"n": 0}

    def fails_on_the_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(acceptance_module, "recommendation_create", fails_on_the_third)
    acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)
    acceptance = matching.assignment_acceptance_run(acceptance_id=acceptance.pk)
    assert acceptance.status == "failed"
    assert "RuntimeError" in acceptance.error
    assert acceptance.created == []
    assert Recommendation.objects.count() == 0  # all or nothing


def test_a_recommendation_staff_moved_meanwhile_is_kept_when_it_fails(run, liaison_user, one_pair_chunks):
    acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)
    AssignmentAcceptance.objects.filter(pk=acceptance.pk).update(status="running", attempts=3,
                                                                 progressed_at=timezone.now() - dt.timedelta(hours=1))
    acceptance_module._chunk(acceptance.pk)
    acceptance_module._chunk(acceptance.pk)
    moved = Recommendation.objects.order_by("pk").first()
    matching.recommendation_move(recommendation=moved, to_state="contacted", actor=liaison_user)
    AssignmentAcceptance.objects.filter(pk=acceptance.pk).update(progressed_at=timezone.now() - dt.timedelta(hours=1))
    assert matching.assignment_acceptances_recover() == {"resumed": 0, "failed": 1}
    acceptance.refresh_from_db()
    assert acceptance.status == "failed"
    assert list(Recommendation.objects.values_list("pk", flat=True)) == [moved.pk]
    assert acceptance.created == [moved.pk]


def test_an_idle_acceptance_is_resumed_by_the_recovery_task(run, liaison_user, django_capture_on_commit_callbacks):
    acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)
    AssignmentAcceptance.objects.filter(pk=acceptance.pk).update(
        status="running", attempts=1, progressed_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert matching.assignment_acceptances_recover() == {"resumed": 1, "failed": 0}
    acceptance.refresh_from_db()
    assert (acceptance.status, acceptance.done, acceptance.attempts) == ("finished", 4, 2)


def test_one_acceptance_at_a_time_per_run_and_only_of_a_finished_run(run, liaison_user):
    matching.assignment_acceptance_create(run=run, actor=liaison_user)
    with pytest.raises(ValidationError) as refused:
        matching.assignment_acceptance_create(run=run, actor=liaison_user)
    assert "status" in refused.value.message_dict
    pending = matching.assignment_run_create(mode="optimal", resident_ids=[], created_by=liaison_user)
    with pytest.raises(ValidationError):
        matching.assignment_acceptance_create(run=pending, actor=liaison_user)
    assert AssignmentAcceptance.objects.count() == 1


def test_taking_back_bumps_the_versions_of_what_it_removed(run, liaison_user, one_pair_chunks):
    from freshness.models import Domain
    from freshness.selectors import changes_since, versions_get

    acceptance = matching.assignment_acceptance_create(run=run, actor=liaison_user)
    AssignmentAcceptance.objects.filter(pk=acceptance.pk).update(status="running", attempts=1)
    acceptance_module._chunk(acceptance.pk)
    recommendation = Recommendation.objects.get()
    before = versions_get()
    acceptance_module._give_up(acceptance.pk, "stopped")
    after = versions_get()
    for domain, record in ((Domain.OUTCOMES, recommendation.pk), (Domain.POSTINGS, recommendation.posting_id),
                           (Domain.RESIDENTS, recommendation.resident_id)):
        assert after[domain] != before[domain]
        assert record in changes_since(domain, before[domain], after[domain])
