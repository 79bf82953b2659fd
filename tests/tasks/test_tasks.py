"""Periodic and background work, run eagerly: expiry, reminders, snapshots, stored rankings."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from jobs import tasks as job_tasks
from jobs.models import JobPosting
from matching import services as matching
from matching import tasks as matching_tasks
from matching.engine import ResidentIndex, rank_all_arrays
from matching.models import FollowUp, RankingRun, TopMatch
from matching.profiles import resident_profiles
from matching.selectors import open_posting_index
from residents.models import Resident
from stations import services as station_services
from stations import tasks as station_tasks
from stations.models import StatisticsSnapshot
from stations.statistics import Period
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_expired_postings_are_closed_once():
    today = timezone.localdate()
    stale = f.PostingFactory(valid_until=today + dt.timedelta(days=5))
    JobPosting.objects.filter(pk=stale.pk).update(valid_until=today - dt.timedelta(days=1))
    last_day = f.PostingFactory(valid_until=today)
    assert job_tasks.postings_expire.delay().get() == 1
    assert job_tasks.postings_expire.delay().get() == 0
    stale.refresh_from_db()
    last_day.refresh_from_db()
    assert (stale.status, last_day.status) == ("closed", "open")


def test_due_follow_ups_are_emailed_to_the_station_once(liaison_user, station):
    liaison_user.email = "liaison1@pingxi.example"
    liaison_user.save()
    resident = f.ResidentFactory()  # lives at 黄岔安置点, served by the station's room 1
    placement = matching.placement_record(resident=resident, posting=f.PostingFactory(), recorded_by=liaison_user,
                                          start_date=timezone.localdate() - dt.timedelta(days=40))
    assert station_tasks.followups_remind.delay().get() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["liaison1@pingxi.example"]
    assert resident.name in mail.outbox[0].body
    assert station_tasks.followups_remind.delay().get() == 0
    assert FollowUp.objects.get(placement=placement, months=1).reminded_at is not None


def test_statistics_snapshot_is_idempotent(station, room1, room2):
    period = Period.month(2026, 10)
    assert station_services.statistics_snapshot_take(period=period) == 4  # county, station, two rooms
    assert station_services.statistics_snapshot_take(period=period) == 4
    assert StatisticsSnapshot.objects.count() == 4
    county = StatisticsSnapshot.objects.get(scope_kind="county")
    assert set(county.values) >= {"placements", "jobs_published", "zero_employment_households"}


def test_previous_month():
    assert station_services.previous_month(dt.date(2026, 1, 15)) == Period.month(2025, 12)


def test_resident_rerank_stores_the_top_matches():
    postings = [f.PostingFactory(title=t) for t in ("家政服务员", "保洁员", "藤椅编织工")]
    resident = f.ResidentFactory(skill_texts=["做保洁"])
    assert matching_tasks.resident_rerank.delay(resident.pk).get() > 0
    stored = list(TopMatch.objects.filter(resident=resident).order_by("rank").values_list("posting_id", flat=True))
    assert set(stored) <= {p.pk for p in postings}
    assert stored
    # Closing a posting takes it out of the stored lists through posting_rerank.
    from jobs.services import posting_close

    posting_close(posting=JobPosting.objects.get(pk=stored[0]))
    matching_tasks.posting_rerank.delay(stored[0]).get()
    assert stored[0] not in TopMatch.objects.filter(resident=resident).values_list("posting_id", flat=True)


def single_process_top(k):
    today = timezone.localdate()
    index, catalog, _courses, config = open_posting_index.get(today)
    seeking = Resident.objects.filter(employment_status="seeking")
    residents = ResidentIndex.from_profiles(resident_profiles(seeking, today=today), catalog, config)
    expected = {}
    for top in rank_all_arrays(residents, index, k=k, today=today):
        for row, resident_id in enumerate(top.resident_ids):
            expected[int(resident_id)] = [int(j) for j in top.job_ids[row] if j >= 0]
    return expected


def test_chunked_county_ranking_eagerly_equals_the_single_process_engine():
    for title in ("家政服务员", "保洁员", "藤椅编织工", "电焊工", "砌筑工", "普工"):
        f.PostingFactory(title=title)
    for texts in (["做保洁"], ["编藤椅"], ["电焊"], ["砌砖"], [], ["带孩子"], ["开叉车"]):
        f.ResidentFactory(skill_texts=texts)
    run_id = matching_tasks.county_ranking.delay(k=3, chunk_size=2).get()
    run = RankingRun.objects.get(pk=run_id)
    assert (run.status, run.chunks_total, run.chunks_done, run.residents_ranked) == ("finished", 4, 4, 7)
    stored = matching.top_matches_as_arrays(list(Resident.objects.values_list("id", flat=True)))
    assert {r: [p for p, _ in rows] for r, rows in stored.items()} == single_process_top(3)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reranks_of_the_same_residents_never_collide():
    """Several publishes and profile changes re-rank overlapping residents at once (one worker per
    process in production); each replaces the stored lists whole, one after another."""
    import threading

    from django.db import connection

    for title in ("家政服务员", "保洁员", "藤椅编织工", "电焊工", "砌筑工", "普工"):
        f.PostingFactory(title=title)
    residents = [f.ResidentFactory(skill_texts=texts) for texts in (["做保洁"], ["编藤椅"], ["电焊"], [])]
    ids = [r.pk for r in residents]
    rounds, threads_per_round = 5, 8
    errors: list[BaseException] = []

    def rerank(barrier, n):
        try:
            barrier.wait()
            if n % 2:  # the same k as the run, so whichever writes last leaves the same lists
                matching.resident_rerank(resident_id=ids[n % len(ids)], k=run.k)
            else:
                matching.ranking_chunk_run(run_id=run.pk, index=0)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    run, _chunks = matching.ranking_run_create(k=5, chunk_size=len(ids), resident_ids=ids)
    for _ in range(rounds):
        barrier = threading.Barrier(threads_per_round)
        threads = [threading.Thread(target=rerank, args=(barrier, n)) for n in range(threads_per_round)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    stored = matching.top_matches_as_arrays(ids)
    assert {r: [p for p, _ in rows] for r, rows in stored.items()} == {
        r: ps for r, ps in single_process_top(5).items() if r in ids
    }
