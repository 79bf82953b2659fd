"""Placements: a hire takes one opening under a row lock; follow-ups record retention."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import fire
from freshness.models import Domain
from freshness.services import versions_bump
from jobs.models import JobPosting
from residents.models import Resident

from ..models import FollowUp, FollowUpCall, Placement, Recommendation, RecommendationEvent


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def placement_record(
    *,
    resident: Resident,
    posting: JobPosting,
    recorded_by,
    start_date: dt.date | None = None,
    wage: Decimal | None = None,
    wage_unit: str | None = None,
    recommendation: Recommendation | None = None,
    note: str = "",
    decided_on: dt.date | None = None,
) -> Placement:
    """Record a hire: lock the posting, take one opening, mark the posting filled when none are left,
    set the resident employed, schedule follow-ups at 1, 3 and 6 months, and close the recommendation."""
    # NO KEY UPDATE: it guards the counter, and leaves the row free for the foreign keys of concurrent
    # re-ranks (TopMatch rows), which hold residents this hire then updates: a plain FOR UPDATE deadlocks.
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    start_date = start_date or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if posting.status == JobPosting.Status.FILLED or posting.openings_remaining <= 0:
        errors["posting"] = [_("This posting has no openings left.")]
    elif posting.status != JobPosting.Status.OPEN:
        errors["posting"] = [_("Only an open posting can take a placement.")]
    if start_date > timezone.localdate() + dt.timedelta(days=90):
        errors["start_date"] = [_("The start date is too far in the future.")]
    if wage is not None and wage < 0:
        errors["wage"] = [_("The wage cannot be negative.")]
    if recommendation is not None and (recommendation.resident_id != resident.pk or recommendation.posting_id != posting.pk):
        errors["recommendation"] = [_("The recommendation is for another resident or posting.")]
    elif recommendation is not None and start_date < recommendation.recommended_on:
        errors["start_date"] = [_("A hire through a recommendation cannot start before the recommendation (%(date)s).")
                                % {"date": recommendation.recommended_on.isoformat()}]
    if Placement.objects.filter(resident=resident, posting=posting, status=Placement.Status.ACTIVE).exists():
        errors["resident"] = [_("This resident is already placed in this posting.")]
    if errors:
        raise ValidationError(errors)

    placement = Placement.objects.create(
        resident=resident, posting=posting, recommendation=recommendation, start_date=start_date,
        wage=wage if wage is not None else posting.wage_min, wage_unit=wage_unit or posting.wage_unit,
        recorded_by=recorded_by, end_note="",
    )
    JobPosting.objects.filter(pk=posting.pk).update(filled=F("filled") + 1)
    posting.refresh_from_db(fields=["filled", "openings"])
    if posting.openings_remaining == 0:
        JobPosting.objects.filter(pk=posting.pk).update(status=JobPosting.Status.FILLED)
    Resident.objects.filter(pk=resident.pk).update(employment_status=Resident.EmploymentStatus.EMPLOYED,
                                                  updated_at=timezone.now())
    FollowUp.objects.bulk_create(
        [FollowUp(placement=placement, months=m, due_date=add_months(start_date, m)) for m in FollowUp.MONTHS]
    )
    if recommendation is not None and recommendation.state != Recommendation.State.HIRED:
        previous = recommendation.state
        decided = decided_on or min(timezone.localdate(), max(start_date, recommendation.recommended_on))
        Recommendation.objects.filter(pk=recommendation.pk).update(state=Recommendation.State.HIRED,
                                                                   decided_on=decided, updated_at=timezone.now())
        RecommendationEvent.objects.create(
            recommendation=recommendation, from_state=previous, to_state=Recommendation.State.HIRED,
            note=note, actor=recorded_by,
        )
    # The posting lost an opening (maybe its last), the resident is in work: both leave or change rows.
    versions_bump(changes={Domain.OUTCOMES: [placement.pk], Domain.POSTINGS: [posting.pk],
                           Domain.RESIDENTS: [resident.pk]})
    fire("matching.tasks.posting_rerank", posting.pk)
    return placement


@transaction.atomic
def placement_end(*, placement: Placement, ended_on: dt.date, reason: str, note: str = "", actor=None) -> Placement:
    """End a placement with its reason. The opening it took stays taken (nothing is freed retroactively)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    errors = {}
    if placement.status != Placement.Status.ACTIVE:
        errors["status"] = [_("This placement has already ended.")]
    if reason not in Placement.EndReason.values:
        errors["reason"] = [_("Choose a reason for the end.")]
    if ended_on < placement.start_date:
        errors["ended_on"] = [_("A placement cannot end before it started.")]
    if ended_on > timezone.localdate():
        errors["ended_on"] = [_("The end date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    placement.status = Placement.Status.ENDED
    placement.ended_on = ended_on
    placement.end_reason = reason
    placement.end_note = note.strip()[:200]
    placement.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    still_working = Placement.objects.filter(resident_id=placement.resident_id, status=Placement.Status.ACTIVE).exists()
    if not still_working:
        Resident.objects.filter(
            pk=placement.resident_id, employment_status=Resident.EmploymentStatus.EMPLOYED
        ).update(employment_status=Resident.EmploymentStatus.SEEKING, updated_at=timezone.now())
    versions_bump(changes={Domain.OUTCOMES: [placement.pk], Domain.RESIDENTS: [placement.resident_id]})
    return placement


@transaction.atomic
def followup_record(*, follow_up: FollowUp, still_employed: bool, note: str = "", actor=None) -> FollowUp:
    """Record the answer of a retention check; it can be recorded from its due date on."""
    follow_up = FollowUp.objects.select_for_update().select_related("placement").get(pk=follow_up.pk)
    if follow_up.due_date > timezone.localdate():
        raise ValidationError({"due_date": [_("This follow-up is not due yet (due %(date)s).") % {"date": follow_up.due_date}]})
    follow_up.still_employed = bool(still_employed)
    follow_up.note = note.strip()[:200]
    follow_up.done_at = timezone.now()
    follow_up.recorded_by = actor
    follow_up.save(update_fields=["still_employed", "note", "done_at", "recorded_by"])
    versions_bump(changes={Domain.OUTCOMES: [follow_up.placement_id]})
    return follow_up


@transaction.atomic
def followup_call_record(
    *, placement: Placement, outcome: str, actor, follow_up: FollowUp | None = None, end_reason: str = "",
    note: str = "", called_on: dt.date | None = None,
) -> FollowUpCall:
    """Record one call to a placed resident in one step, scheduled (`follow_up`) or not.

    - still in work: answers the follow-up (if any) "yes";
    - left, with a reason: ends the placement on the day of the call (if it is still active) and answers
      every open follow-up of the placement "no" (the later checks cannot find them in this job);
    - can't reach: kept as an attempt; the follow-up stays open.
    Every rule is checked at once and reported together.
    """
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    today = timezone.localdate()
    called_on = called_on or today
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if outcome not in FollowUpCall.Outcome.values:
        errors["outcome"] = [_("Choose what came of the call.")]
    if outcome == FollowUpCall.Outcome.LEFT and end_reason not in Placement.EndReason.values:
        errors["end_reason"] = [_("Say why the resident left.")]
    elif outcome != FollowUpCall.Outcome.LEFT:
        end_reason = ""
    if outcome == FollowUpCall.Outcome.IN_WORK and placement.status != Placement.Status.ACTIVE:
        errors["outcome"] = [_("This placement has ended: the resident cannot still be in work in it.")]
    if called_on > today:
        errors["called_on"] = [_("A call cannot be dated in the future.")]
    elif called_on < placement.start_date:
        errors["called_on"] = [_("A call cannot come before the start of work (%(date)s).")
                               % {"date": placement.start_date.isoformat()}]
    if len(note) > 200:
        errors["note"] = [_("Keep the note under 200 characters.")]
    if follow_up is not None:
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.placement_id != placement.pk:
            errors["follow_up"] = [_("This follow-up belongs to another placement.")]
        elif follow_up.done_at is not None:
            errors["follow_up"] = [_("This follow-up has already been recorded.")]
        elif follow_up.due_date > today:
            errors["follow_up"] = [_("This follow-up is not due yet (due %(date)s); record an unscheduled call "
                                     "instead.") % {"date": follow_up.due_date}]
    if errors:
        raise ValidationError(errors)

    call = FollowUpCall(placement=placement, follow_up=follow_up, outcome=outcome, end_reason=end_reason,
                        note=note, called_on=called_on, recorded_by=actor)
    call.full_clean(validate_constraints=False)
    call.save()
    now = timezone.now()
    if outcome == FollowUpCall.Outcome.IN_WORK and follow_up is not None:
        FollowUp.objects.filter(pk=follow_up.pk).update(still_employed=True, done_at=now, note=note,
                                                        recorded_by=actor)
    elif outcome == FollowUpCall.Outcome.LEFT:
        if placement.status == Placement.Status.ACTIVE:
            placement_end(placement=placement, ended_on=called_on, reason=end_reason, note=note, actor=actor)
        left_note = (note or _("Left the job (%(reason)s).") % {"reason": Placement.EndReason(end_reason).label})
        FollowUp.objects.filter(placement=placement, done_at__isnull=True).update(
            still_employed=False, done_at=now, note=left_note[:200], recorded_by=actor)
    versions_bump(changes={Domain.OUTCOMES: [placement.pk]})
    return call
