"""Accepting an assignment run's pairs: asked for at once (202), recommended by a task in chunks with progress.

`assignment_acceptance_create` fixes the pairs and fires the task. `assignment_acceptance_run` works
through them in chunks; each chunk commits together with the offset it reached and the ids it made,
so a second delivery or a run after a crash resumes at that offset and never recommends a pair twice.
If it cannot finish (an error, or its workers died too often), `_give_up` takes back, in one
transaction, the recommendations it made that nobody has touched since: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.stuck import stuck_settings, unlocked
from config.tasks import fire
from freshness.models import Domain
from freshness.services import bumps_batched, versions_bump
from jobs.models import JobPosting
from residents.models import Resident

from ..models import (
    AssignmentAcceptance,
    AssignmentRun,
    Recommendation,
    RecommendationBatch,
    RecommendationEvent,
)
from ..selectors import explain_match, explanation_as_dict
from .recommendations import recommendation_create

logger = logging.getLogger(__name__)

UNFINISHED = (AssignmentAcceptance.Status.PENDING, AssignmentAcceptance.Status.RUNNING)


@transaction.atomic
def assignment_acceptance_create(*, run: AssignmentRun, actor, resident_ids: Iterable[int] | None = None
                                 ) -> AssignmentAcceptance:
    """Ask for the proposed pairs (all, or those of the given residents) to be recommended; the task does it.

    Refused while the run has not finished, or while another acceptance of it is under way."""
    run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != AssignmentRun.Status.FINISHED:
        raise ValidationError({"status": [_("The run has not finished.")]})
    if run.acceptances.filter(status__in=UNFINISHED).exists():
        raise ValidationError({"status": [_("The pairs of this run are being recommended already; wait until "
                                            "that has finished.")]})
    wanted = None if resident_ids is None else {int(i) for i in resident_ids}
    pairs = [list(p) for p in run.proposal if wanted is None or p[0] in wanted]
    # One batch for the whole action, so that its recommendations can be withdrawn together.
    batch = RecommendationBatch.objects.create(created_by=actor, run=run)
    acceptance = AssignmentAcceptance.objects.create(run=run, actor=actor, pairs=pairs, total=len(pairs),
                                                     progressed_at=timezone.now(), batch=batch)
    fire("matching.tasks.assignment_acceptance", acceptance.pk)
    return acceptance


def _recommend(acceptance: AssignmentAcceptance, pairs: list, residents: dict, postings: dict
               ) -> tuple[list[int], list[dict]]:
    created, skipped = [], []
    for resident_id, posting_id, _score in pairs:
        resident, posting = residents.get(resident_id), postings.get(posting_id)
        if resident is None or posting is None:
            skipped.append({"resident": resident_id, "posting": posting_id, "reason": _("No longer exists.")})
            continue
        outcome = explain_match(resident, posting)
        explanation = explanation_as_dict(outcome)
        if explanation.get("excluded"):
            skipped.append({"resident": resident_id, "posting": posting_id,
                            "reason": "；".join(r["text"] for r in explanation["reasons"])})
            continue
        try:
            recommendation = recommendation_create(
                resident=resident, posting=posting, recommended_by=acceptance.actor, score=outcome.score,
                explanation=explanation, note=_("From assignment run %(id)s") % {"id": acceptance.run_id},
                batch=acceptance.batch,
            )
        except ValidationError as exc:
            skipped.append({"resident": resident_id, "posting": posting_id, "reason": "；".join(exc.messages)})
            continue
        created.append(recommendation.pk)
    return created, skipped


def _chunk(acceptance_id: int) -> bool:
    """Recommend the next chunk of pairs and record how far it got, in one transaction; False when none is left."""
    with transaction.atomic():
        acceptance = (AssignmentAcceptance.objects.select_for_update(of=("self",)).select_related("actor", "batch")
                      .get(pk=acceptance_id))
        if acceptance.status != AssignmentAcceptance.Status.RUNNING or acceptance.done >= acceptance.total:
            return False
        chunk_pairs = max(1, int(getattr(settings, "ASSIGNMENT_ACCEPT_CHUNK", 50)))
        pairs = acceptance.pairs[acceptance.done : acceptance.done + chunk_pairs]
        residents = Resident.objects.in_bulk([p[0] for p in pairs])
        postings = JobPosting.objects.in_bulk([p[1] for p in pairs])
        with bumps_batched():
            created, skipped = _recommend(acceptance, pairs, residents, postings)
        AssignmentAcceptance.objects.filter(pk=acceptance_id).update(
            done=F("done") + len(pairs), created=acceptance.created + created, skipped=acceptance.skipped + skipped,
            progressed_at=timezone.now())
    return True


def assignment_acceptance_run(*, acceptance_id: int) -> AssignmentAcceptance:
    """Recommend the acceptance's pairs from where it stopped; an ended acceptance is left as it is."""
    started = AssignmentAcceptance.objects.filter(pk=acceptance_id, status__in=UNFINISHED).update(
        status=AssignmentAcceptance.Status.RUNNING, started_at=timezone.now(), progressed_at=timezone.now(),
        attempts=F("attempts") + 1)
    if started:
        try:
            while _chunk(acceptance_id):
                pass
        except OperationalError:
            raise  # the database went away: the task retries and resumes at the last chunk committed
        except Exception as exc:
            logger.exception("acceptance %s failed", acceptance_id)
            _give_up(acceptance_id, _("Recommending stopped because of an internal error (%(error)s); no pair "
                                      "was recommended. Try again, or tell the administrator.")
                     % {"error": type(exc).__name__})
        else:
            AssignmentAcceptance.objects.filter(pk=acceptance_id, status=AssignmentAcceptance.Status.RUNNING,
                                                done=F("total")).update(
                status=AssignmentAcceptance.Status.FINISHED, finished_at=timezone.now())
    return AssignmentAcceptance.objects.get(pk=acceptance_id)


@transaction.atomic
def _give_up(acceptance_id: int, reason: str) -> None:
    """End the acceptance as failed and take back the recommendations it made that nobody has moved since."""
    acceptance = AssignmentAcceptance.objects.select_for_update().get(pk=acceptance_id)
    if acceptance.status not in UNFINISHED:
        return
    untouched = list(Recommendation.objects.filter(pk__in=acceptance.created, state=Recommendation.State.RECOMMENDED)
                     .exclude(events__to_state__in=[s for s in Recommendation.State.values
                                                    if s != Recommendation.State.RECOMMENDED])
                     .values_list("pk", "posting_id", "resident_id"))
    kept = sorted(set(acceptance.created) - {pk for pk, _p, _r in untouched})
    if untouched:
        ids = [pk for pk, _p, _r in untouched]
        RecommendationEvent.objects.filter(recommendation_id__in=ids).delete()
        Recommendation.objects.filter(pk__in=ids).delete()
        versions_bump(changes={Domain.OUTCOMES: ids, Domain.POSTINGS: sorted({p for _pk, p, _r in untouched}),
                               Domain.RESIDENTS: sorted({r for _pk, _p, r in untouched})})
    if kept:
        reason += " " + _("%(n)s recommendations already taken further by staff were kept.") % {"n": len(kept)}
    AssignmentAcceptance.objects.filter(pk=acceptance_id).update(
        status=AssignmentAcceptance.Status.FAILED, error=reason[:2000], created=kept, finished_at=timezone.now())


def assignment_acceptances_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Resume the acceptances whose workers died (no chunk for `IDLE_SECONDS`), or give them up after a few tries."""
    now = now or timezone.now()
    limits = stuck_settings()
    with transaction.atomic():
        idle = AssignmentAcceptance.objects.filter(
            status__in=UNFINISHED, progressed_at__lt=now - dt.timedelta(seconds=limits["IDLE_SECONDS"]))
        found = list(AssignmentAcceptance.objects.filter(pk__in=unlocked(idle)).values_list("pk", "attempts"))
    resumed = failed = 0
    for acceptance_id, attempts in found:
        if attempts >= limits["MAX_ATTEMPTS"]:
            _give_up(acceptance_id, _("Recommending was interrupted %(n)s times (the worker doing it stopped); no "
                                      "pair was recommended. Try again.") % {"n": attempts})
            failed += 1
            continue
        with transaction.atomic():
            AssignmentAcceptance.objects.filter(pk=acceptance_id).update(progressed_at=now)
            fire("matching.tasks.assignment_acceptance", acceptance_id)
        resumed += 1
    return {"resumed": resumed, "failed": failed}


__all__ = ["assignment_acceptance_create", "assignment_acceptance_run", "assignment_acceptances_recover"]
