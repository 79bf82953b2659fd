"""A resident's "我想试试这个" on a job picked for them: said with one tap, taken back with another."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshness.models import Domain
from freshness.services import version_bump
from jobs.models import JobPosting
from residents.models import Resident

from ..models import Interest, Recommendation
from ..selectors import matches_for_resident

# How far down a resident's ranked matches a job may be and still be "picked for them" (the pages show 10,
# the API 20 by default).
INTEREST_MATCHES_CONSIDERED = 50


def _picked_for(resident: Resident, posting: JobPosting) -> bool:
    """Whether the posting is among the jobs picked for the resident: their ranked matches, or a station's
    recommendation still on record."""
    if Recommendation.objects.filter(resident=resident, posting=posting).exclude(
            state=Recommendation.State.WITHDRAWN).exists():
        return True
    if resident.employment_status != Resident.EmploymentStatus.SEEKING:
        return False
    return any(match["job_id"] == posting.pk
               for match in matches_for_resident(resident, limit=INTEREST_MATCHES_CONSIDERED))


def _own(resident: Resident, actor) -> None:
    if actor is None or resident.user_id is None or resident.user_id != getattr(actor, "pk", None):
        raise ValidationError({"resident": [_("Only the resident themself can say this about a job.")]})


@transaction.atomic
def interest_express(*, resident: Resident, posting: JobPosting, actor) -> Interest:
    """Record that the resident wants to try the job. Saying it again changes nothing (the same interest is
    returned); after taking it back, saying it again dates it anew. Only the resident themself, only for an open
    job among those picked for them."""
    _own(resident, actor)
    posting = JobPosting.objects.get(pk=posting.pk)
    existing = Interest.objects.select_for_update().filter(resident=resident, posting=posting).first()
    if existing is not None and existing.withdrawn_at is None:
        return existing
    errors: dict[str, list[str]] = {}
    if posting.status != JobPosting.Status.OPEN or posting.is_expired:
        errors["posting"] = [_("This job is no longer open.")]
    elif not _picked_for(resident, posting):
        errors["posting"] = [_("You can only say this about a job picked for you.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if existing is not None:
        existing.expressed_at, existing.withdrawn_at = now, None
        existing.save(update_fields=["expressed_at", "withdrawn_at"])
        interest = existing
    else:
        try:
            with transaction.atomic():
                interest = Interest.objects.create(resident=resident, posting=posting, expressed_at=now)
        except IntegrityError:  # the same tap twice at once: the other one recorded it
            return Interest.objects.get(resident=resident, posting=posting)
    version_bump(Domain.OUTCOMES)  # the statistics and the staff's notifications count interests
    return interest


@transaction.atomic
def interest_withdraw(*, resident: Resident, posting: JobPosting, actor) -> Interest | None:
    """Take the interest back (kept on record as taken back). Taking back what was not said, or was already taken
    back, changes nothing. Returns the interest, or None when there was none."""
    _own(resident, actor)
    interest = Interest.objects.select_for_update().filter(resident=resident, posting=posting).first()
    if interest is None or interest.withdrawn_at is not None:
        return interest
    interest.withdrawn_at = timezone.now()
    interest.save(update_fields=["withdrawn_at"])
    version_bump(Domain.OUTCOMES)
    return interest
