"""Reads of employers and job postings, shaped for display without N+1 queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Employer, JobPosting, JobSkill


def open_postings(*, today: dt.date | None = None, prefix: str = "") -> Q:
    """Postings open today: published (status open) and not past their last valid day.

    The nightly `postings_expire` closes expired ones; until it runs they are stored as open but are not.
    `prefix` filters through a relation ("postings__" from employers)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": JobPosting.Status.OPEN}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def expired_postings(*, today: dt.date | None = None, prefix: str = "") -> Q:
    """Postings stored as open whose last valid day has passed (shown as expired, not yet closed)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": JobPosting.Status.OPEN, f"{prefix}valid_until__lt": today})


def postings_in_shown_status(status: str, *, today: dt.date | None = None) -> Q:
    """Postings with a status as pages show it: "open" leaves out the expired ones, "expired" is them."""
    if status == JobPosting.Status.OPEN:
        return open_postings(today=today)
    if status == JobPosting.EXPIRED:
        return expired_postings(today=today)
    return Q(status=status)


def employer_list() -> QuerySet[Employer]:
    """Employers with their place and `open_postings_count` (postings open today, the expired left out)."""
    return Employer.objects.select_related("place").annotate(
        open_postings_count=Count("postings", filter=open_postings(prefix="postings__"))
    )


def posting_list(*, only_open: bool = False, today: dt.date | None = None) -> QuerySet[JobPosting]:
    """Postings with employer, occupation, place and required skills loaded; `only_open` keeps those open
    today (for residents and the lists of open jobs): an expired posting not yet closed is left out."""
    postings = JobPosting.objects.select_related("employer__place", "occupation", "place").prefetch_related(
        Prefetch("skill_links", queryset=JobSkill.objects.select_related("skill__group").order_by("id"))
    )
    if only_open:
        postings = postings.filter(open_postings(today=today))
    return postings


def occupation_code_prefix(code: str) -> str:
    """The meaningful prefix of an occupation code: '4-10-00-00' → '4-10' (trailing zero groups dropped)."""
    parts = [part for part in code.strip().split("-") if part]
    while len(parts) > 1 and set(parts[-1]) == {"0"}:
        parts.pop()
    return "-".join(parts)


def postings_in_occupation(code: str) -> Q:
    """Postings coded under an occupation or group: '4-10-00-00' or '4-10' both mean group 4-10."""
    prefix = occupation_code_prefix(code)
    return Q(occupation__code=prefix) | Q(occupation__code__startswith=f"{prefix}-")


def postings_paying_at_least(amount) -> Q:
    """Postings whose top wage (or, without one, their minimum) reaches the amount."""
    return Q(wage_max__gte=amount) | Q(wage_max__isnull=True, wage_min__gte=amount)
