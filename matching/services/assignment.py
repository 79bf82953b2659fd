"""Batch assignment runs: rank residents against open postings and propose who goes where (accepting the
pairs, which makes recommendations and never hires, is in `acceptance`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.stuck import running_grace_seconds, stuck_settings, unlocked
from config.tasks import fire
from jobs.models import JobPosting
from residents.models import Resident

from ..engine import rank_all_arrays
from ..engine.assignment import AssignmentProblem, CandidateGraph, Households, Postings, Residents, assign
from ..indexes import seeking_resident_index
from ..learning.selectors import active_model
from ..models import AssignmentRun
from ..profiles import zero_employment_households
from ..selectors import open_posting_index

UNFINISHED = (AssignmentRun.Status.PENDING, AssignmentRun.Status.RUNNING)


@transaction.atomic
def assignment_run_create(*, mode: str, resident_ids: Iterable[int], created_by, k: int = 50) -> AssignmentRun:
    """Record a run over these residents (the caller's scope); the work happens in `assignment_run_execute`."""
    if mode not in AssignmentRun.Mode.values:
        raise ValidationError({"mode": [_("Choose optimal or stable.")]})
    if not 1 <= k <= 200:
        raise ValidationError({"k": [_("A whole number from 1 to 200.")]})
    return AssignmentRun.objects.create(mode=mode, k=k, resident_ids=sorted({int(i) for i in resident_ids}),
                                        created_by=created_by)


def _problem(run: AssignmentRun, today: dt.date) -> AssignmentProblem:
    index = open_posting_index.get(today)[0]
    everyone = seeking_resident_index.get(today)
    present = np.intersect1d(everyone.ids, np.array(run.resident_ids, dtype=np.int64))
    residents_index = everyone.select(present.tolist())
    household_of = dict(Resident.objects.filter(pk__in=present.tolist()).values_list("id", "household_id"))
    resident_ids = residents_index.ids.copy()
    household_ids = np.array([household_of[int(i)] for i in resident_ids], dtype=np.int64)
    unique_households = np.unique(household_ids)
    zero = set(zero_employment_households(unique_households.tolist()).values_list("id", flat=True))
    openings = dict(
        (pk, max(o - f, 0)) for pk, o, f in JobPosting.objects.filter(pk__in=index.ids.tolist()).values_list(
            "id", "openings", "filled")
    )
    posting_ids = np.array(sorted(openings), dtype=np.int64)
    residents = Residents(ids=resident_ids, household_ids=household_ids)
    households = Households(ids=unique_households, zero_employment=np.array([h in zero for h in unique_households]))
    postings = Postings(ids=posting_ids, openings=np.array([openings[p] for p in posting_ids], dtype=np.int64))
    rows, cols, scores = [], [], []
    active = active_model()
    for top in rank_all_arrays(residents_index, index, k=run.k, today=today, model=active.model if active else None):
        rows.append(top.resident_ids)
        cols.append(top.job_ids)
        scores.append(top.scores)
    if rows:
        graph = CandidateGraph.from_top_k(np.concatenate(rows), np.concatenate(cols), np.concatenate(scores),
                                          residents=residents, postings=postings)
    else:
        graph = CandidateGraph.from_top_k(np.zeros(0), np.zeros((0, 1)), np.zeros((0, 1)), residents=residents,
                                          postings=postings)
    return AssignmentProblem(residents, households, postings, graph)


def assignment_run_execute(*, run_id: int) -> AssignmentRun:
    """Compute the proposal of a run; a run that has ended is left as it is (safe to repeat).

    "Running" is committed first (for those who poll); the work then holds the run's row locked, so a
    second delivery waits and finds it finished, and a run marked running whose row nobody holds lost
    its worker (`assignment_runs_recover`). A lost database leaves it pending for the task's retry."""
    started = AssignmentRun.objects.filter(pk=run_id, status__in=UNFINISHED).update(
        status=AssignmentRun.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not started:
        return AssignmentRun.objects.get(pk=run_id)
    try:
        with transaction.atomic():
            run = AssignmentRun.objects.select_for_update().get(pk=run_id)
            if run.status != AssignmentRun.Status.RUNNING:
                return run
            proposal = assign(_problem(run, timezone.localdate()), mode=run.mode)
            AssignmentRun.objects.filter(pk=run_id).update(
                status=AssignmentRun.Status.FINISHED,
                finished_at=timezone.now(),
                proposal=[[int(p.resident_id), int(p.posting_id), round(float(p.score), 6)] for p in proposal.pairs],
                summary={
                    "assigned": len(proposal.pairs),
                    "total_score": round(float(proposal.total_score), 4),
                    "zero_employment_households_covered": int(proposal.zero_employment_households_covered),
                    "zero_employment_households_coverable": int(proposal.zero_employment_households_coverable),
                    "residents": int(proposal.stats.residents),
                    "postings": int(proposal.stats.postings),
                    "candidate_pairs": int(proposal.stats.edges),
                    "solver": proposal.stats.solver,
                    "seconds": round(float(proposal.stats.seconds), 3),
                },
            )
    except OperationalError:
        AssignmentRun.objects.filter(pk=run_id, status=AssignmentRun.Status.RUNNING).update(
            status=AssignmentRun.Status.PENDING)
        raise
    except Exception as exc:
        AssignmentRun.objects.filter(pk=run_id).update(status=AssignmentRun.Status.FAILED, error=str(exc)[:2000],
                                                       finished_at=timezone.now())
        raise
    return AssignmentRun.objects.get(pk=run_id)


@transaction.atomic
def assignment_runs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Start again the runs a dead worker left running (or whose message was lost), or fail them with a reason."""
    now = now or timezone.now()
    limits = stuck_settings()
    stale = AssignmentRun.objects.filter(status=AssignmentRun.Status.RUNNING,
                                         started_at__lt=now - dt.timedelta(seconds=running_grace_seconds()))
    waiting = AssignmentRun.objects.filter(status=AssignmentRun.Status.PENDING,
                                           created_at__lt=now - dt.timedelta(seconds=limits["PENDING_SECONDS"]))
    resumed = failed = 0
    for run in AssignmentRun.objects.filter(pk__in=unlocked(stale) + unlocked(waiting)).only("pk", "attempts"):
        if run.attempts >= limits["MAX_ATTEMPTS"]:
            AssignmentRun.objects.filter(pk=run.pk).update(
                status=AssignmentRun.Status.FAILED, finished_at=now,
                error=_("The run was interrupted %(n)s times (the worker computing it stopped); start a new run.")
                % {"n": run.attempts})
            failed += 1
            continue
        AssignmentRun.objects.filter(pk=run.pk).update(status=AssignmentRun.Status.PENDING)
        fire("matching.tasks.assignment_run", run.pk)
        resumed += 1
    return {"resumed": resumed, "failed": failed}
