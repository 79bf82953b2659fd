"""Reads of the vocabularies: ranked text search over skills, occupations and places."""

from __future__ import annotations

import json

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from .models import Occupation, Place, Skill, SkillGroup


def json_list_match(field: str, text: str, *, mode: str = "contains") -> Q:
    """Match `text` in a JSONField holding a list of strings, on SQLite and PostgreSQL alike.

    The lookup runs on the JSON text: PostgreSQL renders non-ASCII characters as they are, while
    SQLite keeps the ASCII-escaped form Django wrote (`"\\u85e4\\u6905"`), so both spellings are
    tried. `mode` is "contains" (anywhere in an item), "prefix" (an item starts with the text) or
    "exact" (an item is the text); case is ignored.
    """
    quoted = {json.dumps(text, ensure_ascii=False), json.dumps(text)}
    if mode == "exact":
        patterns = quoted
    elif mode == "prefix":
        patterns = {item[:-1] for item in quoted}
    else:
        patterns = {item[1:-1] for item in quoted}
    condition = Q()
    for pattern in sorted(patterns):
        condition |= Q(**{f"{field}__icontains": pattern})
    return condition


def _rank(*conditions: Q) -> Case:
    """0 for rows meeting the first condition, 1 for the second …; the rest come last."""
    return Case(
        *(When(condition, then=Value(index)) for index, condition in enumerate(conditions)),
        default=Value(len(conditions)),
        output_field=IntegerField(),
    )


def skill_search(*, query: str = "", group: str | None = None, limit: int = 20) -> list[Skill]:
    """Skills matching a text in name, aliases, code or group name: exact, then prefix, then the rest."""
    skills = Skill.objects.select_related("group")
    if group:
        skills = skills.filter(group__code=group)
    text = (query or "").strip()
    if not text:
        return list(skills.order_by("group__code", "name")[:limit])
    skills = skills.filter(
        Q(name__icontains=text) | Q(code__icontains=text) | json_list_match("aliases", text)
        | Q(group__name__icontains=text)
    ).annotate(
        rank=_rank(
            Q(name__iexact=text) | Q(code__iexact=text),
            json_list_match("aliases", text, mode="exact"),
            Q(name__istartswith=text) | Q(code__istartswith=text),
            json_list_match("aliases", text, mode="prefix"),
            Q(name__icontains=text),
            json_list_match("aliases", text),
        )
    )
    return list(skills.order_by("rank", Length("name"), "name")[:limit])


def skill_group_list() -> QuerySet[SkillGroup]:
    return SkillGroup.objects.order_by("code")


def occupation_search(*, query: str = "", level: int | None = None) -> QuerySet[Occupation]:
    """Occupations matching a text in name, aliases or as a code prefix; best matches first."""
    occupations = Occupation.objects.all()
    if level:
        occupations = occupations.filter(level=level)
    text = (query or "").strip()
    if not text:
        return occupations.order_by("code")
    return occupations.filter(
        Q(name__icontains=text) | Q(code__startswith=text) | json_list_match("aliases", text)
    ).annotate(
        rank=_rank(
            Q(code=text) | Q(name__iexact=text),
            json_list_match("aliases", text, mode="exact"),
            Q(name__istartswith=text) | Q(code__startswith=text),
            json_list_match("aliases", text, mode="prefix"),
            Q(name__icontains=text),
        )
    ).order_by("rank", "-level", "code")


def occupation_get(*, code: str) -> Occupation | None:
    return Occupation.objects.select_related("parent").filter(code=code).first()


def place_search(*, query: str = "", level: str | None = None, parent: Place | None = None) -> QuerySet[Place]:
    """Places matching a text in the name or as a code prefix; exact and prefix matches first."""
    places = Place.objects.all()
    if level:
        places = places.filter(level=level)
    if parent is not None:
        places = places.filter(parent=parent)
    text = (query or "").strip()
    if not text:
        return places.order_by("code")
    return places.filter(Q(name__icontains=text) | Q(code__startswith=text)).annotate(
        rank=_rank(Q(name=text) | Q(code=text), Q(name__startswith=text) | Q(code__startswith=text))
    ).order_by("rank", "code")
