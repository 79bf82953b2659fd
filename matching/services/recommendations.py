"""Recommendations of residents to postings and their moves along the state machine."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshness.models import Domain
from freshness.services import versions_bump
from jobs.models import JobPosting
from residents.models import Resident

from ..models import Recommendation, RecommendationBatch, RecommendationEvent
from .placements import placement_record


@transaction.atomic
def recommendation_create(
    *, resident: Resident, posting: JobPosting, recommended_by, score: float, explanation: dict, note: str = "",
    batch: RecommendationBatch | None = None,
) -> Recommendation:
    """Record that liaison staff recommended a resident to a posting, keeping the match as it was."""
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    if posting.status != JobPosting.Status.OPEN or posting.openings_remaining <= 0 or posting.is_expired:
        raise ValidationError({"posting": [_("Only an open posting with openings left can receive recommendations.")]})
    live = Recommendation.objects.filter(
        resident=resident, posting=posting, state__in=[*Recommendation.OPEN_STATES, Recommendation.State.HIRED]
    )
    if live.exists():
        raise ValidationError({"resident": [_("This resident has already been recommended to this posting.")]})
    recommendation = Recommendation(
        resident=resident, posting=posting, recommended_by=recommended_by, score=round(float(score), 6),
        explanation=explanation, note=note.strip(), batch=batch,
    )
    recommendation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        raise ValidationError({"resident": [_("This resident has already been recommended to this posting.")]}) from None
    RecommendationEvent.objects.create(
        recommendation=recommendation, from_state="", to_state=recommendation.state, note=recommendation.note,
        actor=recommended_by,
    )
    # Open recommendations break ties between residents and between postings: both rows change.
    versions_bump(changes={Domain.OUTCOMES: [recommendation.pk], Domain.POSTINGS: [posting.pk],
                           Domain.RESIDENTS: [resident.pk]})
    return recommendation


@transaction.atomic
def recommendation_move(
    *, recommendation: Recommendation, to_state: str, actor, note: str = "", start_date=None, wage=None,
    on=None,
) -> Recommendation:
    """Move a recommendation along its states; illegal moves are refused with a field error on `state`.

    An outcome (hired, rejected, declined, no answer) is dated `on` (today by default; not before the
    recommendation, not in the future). Moving to "hired" records the placement (which takes one opening
    under the posting's lock).
    """
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if to_state not in Recommendation.State.values:
        raise ValidationError({"state": [_("Unknown state.")]})
    current = Recommendation.State(recommendation.state)
    target = Recommendation.State(to_state)
    if target not in Recommendation.TRANSITIONS[current]:
        raise ValidationError(
            {"state": [_("A recommendation cannot move from “%(current)s” to “%(target)s”.")
                       % {"current": current.label, "target": target.label}]}
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("An outcome cannot be dated in the future.")]})
    if on < recommendation.recommended_on:
        raise ValidationError({"on": [_("An outcome cannot come before the recommendation (%(date)s).")
                                      % {"date": recommendation.recommended_on.isoformat()}]})
    if target == Recommendation.State.HIRED:
        placement_record(
            resident=recommendation.resident, posting=recommendation.posting, recorded_by=actor,
            recommendation=recommendation, start_date=start_date, wage=wage, note=note.strip(), decided_on=on,
        )
        recommendation.refresh_from_db()
        return recommendation
    recommendation.state = target
    if target in Recommendation.OUTCOME_STATES:
        recommendation.decided_on = on
    if note.strip():
        recommendation.note = note.strip()
    recommendation.save(update_fields=["state", "note", "decided_on", "updated_at"])
    RecommendationEvent.objects.create(
        recommendation=recommendation, from_state=current, to_state=target, note=note.strip(), actor=actor
    )
    changes = {Domain.OUTCOMES: [recommendation.pk]}
    if target not in Recommendation.OPEN_STATES:  # no longer open: the tie-break counts change
        changes |= {Domain.POSTINGS: [recommendation.posting_id], Domain.RESIDENTS: [recommendation.resident_id]}
    versions_bump(changes=changes)
    return recommendation


def batch_withdrawable_until(batch: RecommendationBatch) -> dt.datetime:
    """Until when a batch can still be withdrawn."""
    return batch.created_at + dt.timedelta(hours=settings.BATCH_WITHDRAW_HOURS)


@transaction.atomic
def recommendation_batch_withdraw(*, batch: RecommendationBatch, actor, reason: str = "") -> dict:
    """Withdraw a bulk action's recommendations together, within a day of it.

    Each recommendation nobody has worked on yet (still "recommended") becomes "withdrawn": a recorded state
    with its event, not a deletion, and it no longer counts as a recommendation in the statistics. Those
    already contacted, interviewing or decided are kept and reported. Returns the ids withdrawn and kept.
    """
    batch = RecommendationBatch.objects.select_for_update().get(pk=batch.pk)
    reason = (reason or "").strip()
    errors = {}
    if batch.withdrawn_at is not None:
        errors["batch"] = [_("This batch was already withdrawn.")]
    elif timezone.now() > batch_withdrawable_until(batch):
        errors["batch"] = [_("A batch can be withdrawn only within %(hours)s hours of being made.")
                           % {"hours": settings.BATCH_WITHDRAW_HOURS}]
    if len(reason) > 200:
        errors["reason"] = [_("Keep the reason under 200 characters.")]
    if errors:
        raise ValidationError(errors)
    recommendations = list(Recommendation.objects.select_for_update().filter(batch=batch).order_by("pk"))
    today = timezone.localdate()
    withdrawn = [r for r in recommendations if r.state == Recommendation.State.RECOMMENDED]
    kept = [r.pk for r in recommendations if r.state != Recommendation.State.RECOMMENDED]
    note = reason or _("Withdrawn with the rest of its batch.")
    for recommendation in withdrawn:
        recommendation.state = Recommendation.State.WITHDRAWN
        recommendation.decided_on = max(today, recommendation.recommended_on)
    Recommendation.objects.bulk_update(withdrawn, ["state", "decided_on"])
    Recommendation.objects.filter(pk__in=[r.pk for r in withdrawn]).update(updated_at=timezone.now())
    RecommendationEvent.objects.bulk_create([
        RecommendationEvent(recommendation=r, from_state=Recommendation.State.RECOMMENDED,
                            to_state=Recommendation.State.WITHDRAWN, note=note, actor=actor)
        for r in withdrawn
    ])
    batch.withdrawn_at, batch.withdrawn_by, batch.withdraw_reason = timezone.now(), actor, reason
    batch.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    if withdrawn:  # no longer open: the tie-break counts and the statistics change
        versions_bump(changes={Domain.OUTCOMES: [r.pk for r in withdrawn],
                               Domain.POSTINGS: sorted({r.posting_id for r in withdrawn}),
                               Domain.RESIDENTS: sorted({r.resident_id for r in withdrawn})})
    return {"withdrawn": [r.pk for r in withdrawn], "kept": kept}
