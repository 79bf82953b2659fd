"""Outcome history: a recommendation made in the past and what came of it, recorded in one step.

Stations keep their recommendations in spreadsheets; the `outcomes` import brings them here through
`outcome_history_record`, so that the statistics show them in the months they happened and the ranking
models learn from them. A history row is keyed by resident + posting + recommendation day: recording the
same row again records nothing. A hire takes one opening of its posting under the posting's row lock, as a
hire at the desk does, and is refused when the posting has no opening left for it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import fire
from freshness.models import Domain
from freshness.services import versions_bump
from jobs.models import JobPosting
from residents.models import Resident

from ..models import FollowUp, Placement, Recommendation, RecommendationEvent
from .placements import add_months

HISTORY_RESULTS = (Recommendation.State.HIRED, Recommendation.State.REJECTED, Recommendation.State.DECLINED,
                   Recommendation.State.NO_ANSWER)


def _problems(*, result: str, recommended_on: dt.date, started_on: dt.date | None, left_on: dt.date | None,
              end_reason: str, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if result not in HISTORY_RESULTS:
        add("result", _("Unknown result: use hired, rejected by the employer, declined by the resident or no answer."))
    if recommended_on > today:
        add("recommended_on", _("The recommendation day cannot be in the future."))
    hired = result == Recommendation.State.HIRED
    if hired and started_on is None:
        add("started_on", _("A hire needs its start date."))
    if not hired and started_on is not None:
        add("started_on", _("Only a hire has a start date."))
    if not hired and (left_on is not None or end_reason):
        add("left_on", _("Only a hire can have a leave date or reason."))
    if started_on is not None and started_on < recommended_on:
        add("started_on", _("The start (%(start)s) cannot come before the recommendation (%(day)s).")
            % {"start": started_on.isoformat(), "day": recommended_on.isoformat()})
    if started_on is not None and started_on > today:
        add("started_on", _("The start date of a past hire cannot be in the future."))
    if left_on is not None and started_on is not None and left_on < started_on:
        add("left_on", _("The leave date (%(left)s) cannot come before the start (%(start)s).")
            % {"left": left_on.isoformat(), "start": started_on.isoformat()})
    if left_on is not None and left_on > today:
        add("left_on", _("The leave date cannot be in the future."))
    if left_on is not None and end_reason not in Placement.EndReason.values:
        add("leave_reason", _("Choose a reason for the end."))
    if left_on is None and end_reason:
        add("left_on", _("A leave reason needs its leave date."))
    return errors


@transaction.atomic
def outcome_history_record(
    *,
    resident: Resident,
    posting: JobPosting,
    recommended_on: dt.date,
    result: str,
    recorded_by,
    started_on: dt.date | None = None,
    left_on: dt.date | None = None,
    end_reason: str = "",
    end_note: str = "",
    source: str = "",
) -> tuple[Recommendation, bool]:
    """Record a past recommendation with its outcome (and, for a hire, its placement and how it ended).

    Returns (recommendation, created): a recommendation of the same resident to the same posting on the same
    day already there is returned as it is (created False). Every problem is reported at once as a
    ValidationError keyed by field; nothing is written then.
    """
    today = timezone.localdate()
    errors = _problems(result=result, recommended_on=recommended_on, started_on=started_on, left_on=left_on,
                       end_reason=end_reason, today=today)
    existing = Recommendation.objects.filter(resident=resident, posting=posting, recommended_on=recommended_on).first()
    if existing is not None and not errors:
        return existing, False
    hired = result == Recommendation.State.HIRED
    # The opening is counted under the posting's lock (NO KEY UPDATE, as a hire at the desk takes it).
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    if hired:
        if posting.filled >= posting.openings:
            errors.setdefault("posting", []).append(
                _("The posting has no opening left for this hire (%(openings)s openings, %(filled)s taken): a "
                  "history row cannot oversubscribe it.") % {"openings": posting.openings, "filled": posting.filled})
        live = Recommendation.objects.filter(
            resident=resident, posting=posting, state__in=[*Recommendation.OPEN_STATES, Recommendation.State.HIRED]
        ).first()
        if live is not None:
            errors.setdefault("posting", []).append(
                _("This resident already has a live recommendation or hire for this posting (recommended "
                  "%(day)s).") % {"day": live.recommended_on.isoformat()})
        if left_on is None and Placement.objects.filter(resident=resident, posting=posting,
                                                        status=Placement.Status.ACTIVE).exists():
            errors.setdefault("posting", []).append(_("This resident is already placed in this posting."))
    if errors:
        raise ValidationError(errors)

    note = (_("Imported history (%(file)s)") % {"file": source}) if source else _("Imported history")
    recommendation = Recommendation(
        resident=resident, posting=posting, recommended_by=recorded_by, score=0.0,
        explanation={"origin": Recommendation.Origin.IMPORT}, state=result, recommended_on=recommended_on,
        decided_on=started_on if hired else None, origin=Recommendation.Origin.IMPORT, note="",
    )
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        raise ValidationError({"posting": [_("This resident already has a live recommendation or hire for this "
                                             "posting.")]}) from None
    RecommendationEvent.objects.create(recommendation=recommendation, from_state="", to_state=result, note=note,
                                       actor=recorded_by)
    changes: dict[str, list[int]] = {Domain.OUTCOMES: [recommendation.pk]}
    if hired:
        changes |= _hire(recommendation, posting=posting, started_on=started_on, left_on=left_on,
                         end_reason=end_reason, end_note=end_note, recorded_by=recorded_by, today=today)
    versions_bump(changes=changes)
    return recommendation, True


def _hire(recommendation: Recommendation, *, posting: JobPosting, started_on: dt.date, left_on: dt.date | None,
          end_reason: str, end_note: str, recorded_by, today: dt.date) -> dict[str, list[int]]:
    """The placement of a historical hire: it takes one opening (the posting is locked by the caller); its
    follow-ups whose day has passed are answered by the history itself, the later ones stay due."""
    ended = left_on is not None
    placement = Placement.objects.create(
        resident_id=recommendation.resident_id, posting=posting, recommendation=recommendation,
        start_date=started_on, wage=posting.wage_min, wage_unit=posting.wage_unit, recorded_by=recorded_by,
        status=Placement.Status.ENDED if ended else Placement.Status.ACTIVE, ended_on=left_on,
        end_reason=end_reason if ended else "", end_note=end_note.strip()[:200] if ended else "",
    )
    JobPosting.objects.filter(pk=posting.pk).update(filled=F("filled") + 1)
    posting.refresh_from_db(fields=["filled", "openings", "status"])
    changes: dict[str, list[int]] = {Domain.POSTINGS: [posting.pk], Domain.RESIDENTS: [recommendation.resident_id]}
    if posting.openings_remaining == 0 and posting.status == JobPosting.Status.OPEN:
        JobPosting.objects.filter(pk=posting.pk).update(status=JobPosting.Status.FILLED)
    if not ended:
        Resident.objects.filter(pk=recommendation.resident_id).update(
            employment_status=Resident.EmploymentStatus.EMPLOYED, updated_at=timezone.now())
    follow_ups = []
    for months in FollowUp.MONTHS:
        due = add_months(started_on, months)
        follow_up = FollowUp(placement=placement, months=months, due_date=due)
        left_before = ended and left_on < due
        if due <= today or left_before:
            # Answered by the history: in work on that day unless the hire had ended by then.
            follow_up.still_employed = not left_before
            follow_up.done_at = timezone.make_aware(dt.datetime.combine(min(due, today), dt.time(12)))
            follow_up.note = _("From the imported history")
            follow_up.recorded_by = recorded_by
        follow_ups.append(follow_up)
    FollowUp.objects.bulk_create(follow_ups)
    fire("matching.tasks.posting_rerank", posting.pk)
    return changes
