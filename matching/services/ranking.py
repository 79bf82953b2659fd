"""Keeping stored rankings fresh: one resident, the residents around a posting, or a whole county in chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.stuck import stuck_settings, unlocked
from config.tasks import fire
from freshness.selectors import forget_request_versions
from jobs.models import JobPosting
from residents.models import Resident

from ..engine import TopK, rank_all_arrays, rank_residents_for_job
from ..indexes import open_posting_index, seeking_resident_index
from ..learning.selectors import active_model
from ..models import RankingChunk, RankingRun, TopMatch
from ..profiles import job_profiles

DEFAULT_K = 20


def _store(top: TopK, *, run: RankingRun | None, now) -> int:
    """Replace the stored top matches of the residents in `top` whose lists changed (or that a run ranks);
    a re-rank after one posting changed leaves most lists as they were and rewrites only the others."""
    resident_ids = [int(i) for i in top.resident_ids]
    fresh: dict[int, list[tuple[int, float]]] = {}
    for row, resident_id in enumerate(resident_ids):
        ranked = []
        for job_id, score in zip(top.job_ids[row].tolist(), top.scores[row].tolist(), strict=True):
            if job_id < 0:
                break
            ranked.append((job_id, round(min(max(score, 0.0), 1.0), 9)))
        fresh[resident_id] = ranked
    changed = resident_ids
    if run is None:
        stored: dict[int, list[tuple[int, float]]] = {r: [] for r in resident_ids}
        for resident_id, posting_id, score in TopMatch.objects.filter(resident_id__in=resident_ids).order_by(
                "resident_id", "rank").values_list("resident_id", "posting_id", "score"):
            stored[resident_id].append((posting_id, round(score, 9)))
        changed = [r for r in resident_ids if stored[r] != fresh[r]]
    rows = [
        TopMatch(resident_id=resident_id, posting_id=job_id, rank=rank, score=score, computed_at=now, run=run)
        for resident_id in changed for rank, (job_id, score) in enumerate(fresh[resident_id], start=1)
    ]
    TopMatch.objects.filter(resident_id__in=changed).delete()
    TopMatch.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _rank_and_store(resident_ids: Sequence[int], *, k: int, today: dt.date, run: RankingRun | None = None) -> int:
    """Rank the residents and replace their stored lists, one re-rank of a resident at a time.

    Re-ranks of overlapping residents run at once (a publish, a completed course and a county chunk on
    different workers). Each takes the residents' rows first, in id order so two re-ranks cannot
    deadlock, and only then reads the profiles: the later one waits, sees the earlier one's rows and
    the latest profile, and replaces them whole. Without it both delete the old rows and both insert,
    and the second insert breaks the (resident, rank) constraint. NO KEY UPDATE leaves the resident
    free for foreign keys (enrolments, placements) meanwhile.

    The profiles come from the kept index of residents seeking work, brought up to the versions read
    after the lock (a resident not seeking work keeps no list).
    """
    now = timezone.now()
    stored = 0
    wanted = sorted({int(i) for i in resident_ids})
    with transaction.atomic():
        list(Resident.objects.filter(pk__in=wanted).order_by("pk")
             .select_for_update(no_key=True).values_list("pk", flat=True))
        forget_request_versions()  # what committed while we waited for the lock counts
        jobs = open_posting_index.get(today)[0]
        seeking = seeking_resident_index.get(today)
        active = active_model()
        present = np.intersect1d(seeking.ids, np.array(wanted, dtype=np.int64))
        if len(present):
            for top in rank_all_arrays(seeking.select(present.tolist()), jobs, k=k, today=today,
                                       model=active.model if active else None):
                stored += _store(top, run=run, now=now)
        # Residents no longer seeking work (or no longer in the records) keep no stale rows.
        TopMatch.objects.filter(resident_id__in=sorted(set(wanted) - set(present.tolist()))).delete()
    return stored


def resident_rerank(*, resident_id: int, k: int = DEFAULT_K, today: dt.date | None = None) -> int:
    """Recompute and store one resident's best postings (after their skills or preferences change)."""
    return _rank_and_store([resident_id], k=k, today=today or timezone.localdate())


def posting_rerank(*, posting_id: int, k: int = DEFAULT_K, candidates: int = 50, today: dt.date | None = None) -> int:
    """After a posting is published or changed: re-rank its best candidates and everyone whose stored
    list holds it, so the posting enters or leaves their lists. Both indexes are the kept ones, patched
    for what changed: no reload of the county."""
    today = today or timezone.localdate()
    affected = set(TopMatch.objects.filter(posting_id=posting_id).values_list("resident_id", flat=True))
    posting = JobPosting.objects.filter(pk=posting_id).first()
    if posting is not None and posting.status == JobPosting.Status.OPEN:
        residents = seeking_resident_index.get(today)
        job = job_profiles(JobPosting.objects.filter(pk=posting_id))[0]
        active = active_model()
        affected |= {r.resident_id for r in rank_residents_for_job(job, residents, k=candidates, today=today,
                                                                   model=active.model if active else None)}
    return _rank_and_store(sorted(affected), k=k, today=today) if affected else 0


def chunked(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


@transaction.atomic
def ranking_run_create(*, k: int = 10, chunk_size: int = 2000, created_by=None,
                       resident_ids: Iterable[int] | None = None) -> tuple[RankingRun, list[list[int]]]:
    """A new run over every resident seeking work (or the given ones), split into chunks kept with it.

    The chunks are sent by `ranking_run_dispatch` (the task fired on commit, by the caller)."""
    if resident_ids is None:
        resident_ids = Resident.objects.filter(employment_status=Resident.EmploymentStatus.SEEKING).order_by(
            "id").values_list("id", flat=True)
    chunks = chunked(sorted(resident_ids), max(1, chunk_size))
    now = timezone.now()
    run = RankingRun.objects.create(k=k, ranked_on=timezone.localdate(), chunks_total=len(chunks),
                                    status=RankingRun.Status.RUNNING if chunks else RankingRun.Status.FINISHED,
                                    created_by=created_by, finished_at=None if chunks else now, progressed_at=now)
    RankingChunk.objects.bulk_create(
        [RankingChunk(run=run, index=index, resident_ids=chunk) for index, chunk in enumerate(chunks)], batch_size=500)
    return run, chunks


def ranking_chunks_to_send(*, run_id: int) -> list[int]:
    """The indexes of a running run's chunks not done yet (none once the run ended)."""
    if not RankingRun.objects.filter(pk=run_id, status=RankingRun.Status.RUNNING).exists():
        return []
    return list(RankingChunk.objects.filter(run_id=run_id, done_at__isnull=True).order_by("index")
                .values_list("index", flat=True))


def ranking_chunk_run(*, run_id: int, index: int) -> int:
    """Rank one chunk of a run; safe to repeat (its rows are replaced, and it counts once).

    The chunk is marked done in the transaction that stores its rows, so a worker killed mid-chunk
    leaves it to do, never half done; the chunk that completes the run marks it finished."""
    run = RankingRun.objects.get(pk=run_id)
    if run.status != RankingRun.Status.RUNNING:
        return 0
    chunk = RankingChunk.objects.get(run_id=run_id, index=index)
    with transaction.atomic():
        _rank_and_store(chunk.resident_ids, k=run.k, today=run.ranked_on, run=run)
        now = timezone.now()
        if RankingChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(done_at=now):
            RankingRun.objects.filter(pk=run_id).update(
                chunks_done=F("chunks_done") + 1, residents_ranked=F("residents_ranked") + len(chunk.resident_ids),
                progressed_at=now)
            RankingRun.objects.filter(pk=run_id, status=RankingRun.Status.RUNNING,
                                      chunks_done=F("chunks_total")).update(status=RankingRun.Status.FINISHED,
                                                                            finished_at=now)
    return len(chunk.resident_ids)


def ranking_run_finish(*, run_id: int) -> RankingRun:
    RankingRun.objects.filter(pk=run_id).exclude(status=RankingRun.Status.FINISHED).update(
        status=RankingRun.Status.FINISHED, finished_at=timezone.now()
    )
    return RankingRun.objects.get(pk=run_id)


@transaction.atomic
def ranking_runs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send again the chunks of runs that stopped advancing (their workers died), or fail the run with a reason.

    A run counts as abandoned when no chunk finished for `IDLE_SECONDS`; its undone chunks are sent
    again (each is idempotent), up to `MAX_ATTEMPTS` sendings, then the run fails; the chunks done
    keep their fresh rows."""
    now = now or timezone.now()
    limits = stuck_settings()
    idle = RankingRun.objects.filter(status=RankingRun.Status.RUNNING,
                                     progressed_at__lt=now - dt.timedelta(seconds=limits["IDLE_SECONDS"]))
    resumed = failed = 0
    for run in RankingRun.objects.filter(pk__in=unlocked(idle)):
        if run.attempts >= limits["MAX_ATTEMPTS"]:
            RankingRun.objects.filter(pk=run.pk).update(
                status=RankingRun.Status.FAILED, finished_at=now,
                failure=_("The ranking stopped after %(done)s of %(total)s chunks: its workers stopped %(n)s times. "
                          "The residents ranked keep their new lists; start a new run for the others.")
                % {"done": run.chunks_done, "total": run.chunks_total, "n": run.attempts})
            failed += 1
            continue
        RankingRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1, progressed_at=now)
        fire("matching.tasks.ranking_run_dispatch", run.pk)
        resumed += 1
    return {"resumed": resumed, "failed": failed}


def top_matches_as_arrays(resident_ids: Sequence[int]) -> dict[int, list[tuple[int, float]]]:
    """Stored (posting id, score) lists by resident, best first (for comparisons and pages)."""
    result: dict[int, list[tuple[int, float]]] = {int(r): [] for r in resident_ids}
    for resident_id, posting_id, score in TopMatch.objects.filter(resident_id__in=list(resident_ids)).order_by(
        "resident_id", "rank"
    ).values_list("resident_id", "posting_id", "score"):
        result[resident_id].append((posting_id, score))
    return result


__all__ = [
    "DEFAULT_K", "chunked", "posting_rerank", "ranking_chunk_run", "ranking_chunks_to_send", "ranking_run_create",
    "ranking_run_finish", "ranking_runs_recover", "resident_rerank", "top_matches_as_arrays",
]
