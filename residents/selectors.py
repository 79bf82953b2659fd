"""Reads of households and residents, shaped for display without N+1 queries.

Who may see which rows is decided above this layer (`stations.selectors`); these functions take
that visible queryset and add what a profile shows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from taxonomy.identifiers import IdentifierError, canonical_code, parse_id_number, validate_phone

from . import pii
from .models import Household, Resident, ResidentSkill

WORKING_STATUSES = (Resident.EmploymentStatus.EMPLOYED, Resident.EmploymentStatus.SELF_EMPLOYED)


def household_list(*, visible: QuerySet[Household]) -> QuerySet[Household]:
    """Households among `visible`, with `members_count` and `employed_count` (0 means zero-employment)."""
    return (
        Household.objects.filter(pk__in=visible.values("pk"))
        .select_related("site")
        .annotate(
            members_count=Count("members"),
            employed_count=Count("members", filter=Q(members__employment_status__in=WORKING_STATUSES)),
        )
    )


def resident_list(*, visible: QuerySet[Resident]) -> QuerySet[Resident]:
    """Residents among `visible`, with household, site, skills and wanted occupations loaded."""
    return visible.select_related("household__site").prefetch_related(
        Prefetch("skill_links", queryset=ResidentSkill.objects.select_related("skill__group").order_by("skill__name")),
        "wanted_occupations",
    )


def resident_with_skill(skill_id: int) -> Q:
    return Q(Exists(ResidentSkill.objects.filter(resident=OuterRef("pk"), skill_id=skill_id)))


_LAST_DIGITS = re.compile(r"^[0-9]{3}[0-9Xx]$")


def resident_by_id_number(raw: str) -> Resident | None:
    """The resident registered with this ID number (by its keyed hash), whoever may see them; None for a number
    that is not valid or not registered. The caller decides what of them to show."""
    try:
        number = parse_id_number(raw).number
    except IdentifierError:
        return None
    return Resident.objects.select_related("household__site").filter(id_number_hash=pii.lookup_hash(number)).first()


def identifier_in(term: str) -> tuple[str, str] | None:
    """("id_number" | "phone", canonical value) when a search term is a full ID number or phone, else None."""
    try:
        return "id_number", parse_id_number(term).number
    except IdentifierError:
        pass
    try:
        return "phone", validate_phone(term)
    except IdentifierError:
        return None


def resident_search(text_terms: list[str], *, identifiers: bool = True) -> Q:
    """A condition for a staff search: every term matches the name, the pinyin initials (wxf), the
    household number, the last four characters of the ID number, or (with `identifiers`) a full ID
    number or phone, matched through its keyed hash, never in clear."""
    condition = Q()
    for raw_term in text_terms:
        term = canonical_code(raw_term)  # full-width １３８… finds the ASCII number, and the reverse
        if not term:
            continue
        term_q = Q(name__icontains=term) | Q(household__number__icontains=term)
        if term.isascii() and term.isalpha():
            term_q |= Q(name_initials__istartswith=term.lower())
        if _LAST_DIGITS.match(term):
            term_q |= Q(id_number_masked__endswith=term.upper())
        found = identifier_in(term) if identifiers else None
        if found is not None:
            kind, value = found
            term_q |= Q(**{f"{kind}_hash": pii.lookup_hash(value)})
        condition &= term_q
    return condition


@dataclass(frozen=True)
class OwnWord:
    """A word residents typed that the coders did not know, what it was meant as, and how many profiles keep it."""

    word: str
    kind: str  # "occupation" or "skill"
    profiles: int


def own_words_list(*, place_scope: set[int] | None) -> list[OwnWord]:
    """The unknown words of the profiles at `place_scope` (None: everywhere), the most used first."""
    residents = Resident.objects.exclude(unresolved_occupation_texts=[], unresolved_skill_texts=[])
    if place_scope is not None:
        residents = residents.filter(household__site_id__in=place_scope)
    counts: Counter[tuple[str, str]] = Counter()
    for occupations, skills in residents.values_list("unresolved_occupation_texts", "unresolved_skill_texts"):
        counts.update(("occupation", word) for word in set(occupations or []))
        counts.update(("skill", word) for word in set(skills or []))
    return [OwnWord(word=word, kind=kind, profiles=n)
            for (kind, word), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))]
