"""Placements take openings under a lock; follow-ups; recommendation moves (matching.services)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from jobs.models import JobPosting
from matching import services
from matching.models import FollowUp, Placement, Recommendation
from residents.models import Resident
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(station, room1):
    return f.liaison_user_for(station, room1)


def recommend(resident, posting, user):
    return services.recommendation_create(resident=resident, posting=posting, recommended_by=user, score=0.8,
                                          explanation={"summary": "test"})


def test_placement_takes_an_opening_and_fills_the_posting(worker):
    posting = f.PostingFactory(openings=2)
    first, second = f.ResidentFactory(), f.ResidentFactory()
    services.placement_record(resident=first, posting=posting, recorded_by=worker)
    posting.refresh_from_db()
    assert (posting.filled, posting.status) == (1, "open")
    placement = services.placement_record(resident=second, posting=posting, recorded_by=worker, wage=Decimal("4000"))
    posting.refresh_from_db()
    assert (posting.filled, posting.status) == (2, "filled")
    second.refresh_from_db()
    assert second.employment_status == "employed"
    assert placement.wage == Decimal("4000")
    start = placement.start_date
    assert sorted(placement.follow_ups.values_list("months", "due_date")) == [
        (1, services.placements.add_months(start, 1)),
        (3, services.placements.add_months(start, 3)),
        (6, services.placements.add_months(start, 6)),
    ]


def test_a_full_posting_refuses_a_placement_with_a_clear_message(worker):
    posting = f.PostingFactory(openings=1)
    services.placement_record(resident=f.ResidentFactory(), posting=posting, recorded_by=worker)
    with pytest.raises(ValidationError) as caught:
        services.placement_record(resident=f.ResidentFactory(), posting=posting, recorded_by=worker)
    assert "posting" in caught.value.message_dict
    assert Placement.objects.count() == 1


def test_add_months_clamps_to_month_end():
    add = services.placements.add_months
    assert add(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_ending_a_placement_frees_nothing_and_sets_the_resident_seeking(worker):
    posting = f.PostingFactory(openings=1)
    resident = f.ResidentFactory()
    start = timezone.localdate() - dt.timedelta(days=40)
    placement = services.placement_record(resident=resident, posting=posting, recorded_by=worker, start_date=start)
    services.placement_end(placement=placement, ended_on=timezone.localdate(), reason="quit", note="回家照顾老人")
    posting.refresh_from_db()
    assert (posting.filled, posting.status) == (1, "filled")
    resident.refresh_from_db()
    assert resident.employment_status == "seeking"
    with pytest.raises(ValidationError):
        services.placement_end(placement=placement, ended_on=timezone.localdate(), reason="quit")


def test_ending_before_the_start_is_refused(worker):
    placement = services.placement_record(resident=f.ResidentFactory(), posting=f.PostingFactory(), recorded_by=worker)
    with pytest.raises(ValidationError) as caught:
        services.placement_end(placement=placement, ended_on=placement.start_date - dt.timedelta(days=1), reason="quit")
    assert "ended_on" in caught.value.message_dict


def test_follow_up_is_recorded_once_due(worker):
    start = timezone.localdate() - dt.timedelta(days=35)
    placement = services.placement_record(
        resident=f.ResidentFactory(), posting=f.PostingFactory(), recorded_by=worker, start_date=start
    )
    one, three = placement.follow_ups.get(months=1), placement.follow_ups.get(months=3)
    services.followup_record(follow_up=one, still_employed=True, actor=worker)
    one.refresh_from_db()
    assert one.still_employed is True
    assert one.done_at is not None
    with pytest.raises(ValidationError) as caught:
        services.followup_record(follow_up=three, still_employed=True, actor=worker)
    assert "due_date" in caught.value.message_dict


def test_recommendation_moves_follow_the_state_machine(worker):
    posting = f.PostingFactory()
    rec = recommend(f.ResidentFactory(), posting, worker)
    with pytest.raises(ValidationError) as caught:
        services.recommendation_move(recommendation=rec, to_state="recommended", actor=worker)
    assert "state" in caught.value.message_dict
    rec = services.recommendation_move(recommendation=rec, to_state="contacted", actor=worker, note="已电话联系")
    rec = services.recommendation_move(recommendation=rec, to_state="interviewing", actor=worker)
    rec = services.recommendation_move(recommendation=rec, to_state="hired", actor=worker, note="下周一上岗")
    assert rec.state == "hired"
    assert Placement.objects.get().recommendation == rec
    assert list(rec.events.values_list("from_state", "to_state")) == [
        ("", "recommended"), ("recommended", "contacted"), ("contacted", "interviewing"), ("interviewing", "hired"),
    ]
    with pytest.raises(ValidationError):
        services.recommendation_move(recommendation=rec, to_state="rejected", actor=worker)


def test_recommending_twice_is_refused_but_after_a_rejection_it_is_allowed(worker):
    posting, resident = f.PostingFactory(), f.ResidentFactory()
    rec = recommend(resident, posting, worker)
    with pytest.raises(ValidationError):
        recommend(resident, posting, worker)
    services.recommendation_move(recommendation=rec, to_state="rejected", actor=worker)
    assert recommend(resident, posting, worker).state == "recommended"
    assert Recommendation.objects.count() == 2


def test_hiring_into_a_full_posting_leaves_the_recommendation_unchanged(worker):
    posting = f.PostingFactory(openings=1)
    rec = recommend(f.ResidentFactory(), posting, worker)
    services.placement_record(resident=f.ResidentFactory(), posting=posting, recorded_by=worker)
    with pytest.raises(ValidationError):
        services.recommendation_move(recommendation=rec, to_state="hired", actor=worker)
    rec.refresh_from_db()
    assert rec.state == "recommended"
    assert rec.events.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_workers_hire_for_the_last_three_openings(station, room1):
    posting = f.PostingFactory(openings=3)
    workers = [f.liaison_user_for(station, room1) for _ in range(20)]
    residents = [f.ResidentFactory() for _ in range(20)]
    barrier = threading.Barrier(20)
    refused: list[str] = []
    unexpected: list[BaseException] = []

    def hire(worker, resident):
        try:
            barrier.wait()
            services.placement_record(resident=resident, posting=posting, recorded_by=worker)
        except ValidationError as exc:
            refused.extend(exc.message_dict.get("posting", []))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=pair) for pair in zip(workers, residents, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert Placement.objects.filter(posting=posting).count() == 3
    assert len(refused) == 17
    assert set(refused) == {gettext("This posting has no openings left.")}
    posting.refresh_from_db()
    assert (posting.filled, posting.status) == (3, JobPosting.Status.FILLED)
    assert Resident.objects.filter(employment_status="employed").count() == 3
    assert FollowUp.objects.count() == 9


def test_a_recommendation_to_an_expired_posting_is_refused(worker):
    posting = f.PostingFactory()
    JobPosting.objects.filter(pk=posting.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        recommend(f.ResidentFactory(), posting, worker)
    assert "posting" in caught.value.message_dict
    assert not Recommendation.objects.exists()


def test_a_hire_cannot_start_before_its_recommendation(worker):
    posting, resident = f.PostingFactory(), f.ResidentFactory()
    rec = services.recommendation_move(recommendation=recommend(resident, posting, worker), to_state="contacted",
                                       actor=worker)
    with pytest.raises(ValidationError) as caught:
        services.recommendation_move(recommendation=rec, to_state="hired", actor=worker,
                                     start_date=timezone.localdate() - dt.timedelta(days=33))
    assert "start_date" in caught.value.message_dict
    assert not Placement.objects.exists()
    rec.refresh_from_db()
    assert rec.state == "contacted"
    services.recommendation_move(recommendation=rec, to_state="hired", actor=worker, start_date=timezone.localdate())
    assert Placement.objects.get().start_date == timezone.localdate()
