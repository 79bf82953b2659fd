"""Reads of employers and job postings, shaped for display without N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Employer, JobPosting, JobSkill


def employer_list() -> QuerySet[Employer]:
    """Employers with their place and `open_postings_count`."""
    return Employer.objects.select_related("place").annotate(
        open_postings_count=Count("postings", filter=Q(postings__status=JobPosting.Status.OPEN))
    )


def posting_list(*, only_open: bool = False) -> QuerySet[JobPosting]:
    """Postings with employer, occupation, place and required skills loaded; `only_open` for residents."""
    postings = JobPosting.objects.select_related("employer__place", "occupation", "place").prefetch_related(
        Prefetch("skill_links", queryset=JobSkill.objects.select_related("skill__group").order_by("id"))
    )
    if only_open:
        postings = postings.filter(status=JobPosting.Status.OPEN)
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
