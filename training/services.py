"""Writes for courses and training sessions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taxonomy.models import Place, Skill

from .models import Course, CourseSkill, TrainingSession

SESSION_FIELDS = ("start_date", "end_date", "place", "venue", "capacity", "hours", "trainer", "partner_department", "status")


@transaction.atomic
def course_create(*, code: str, name: str, hours: int = 40, description: str = "",
                  skills: Iterable[tuple[Skill, int]] = ()) -> Course:
    course = Course(code=code, name=name.strip(), hours=hours, description=description)
    course.full_clean()
    course.save()
    course_skills_set(course=course, skills=skills)
    return course


@transaction.atomic
def course_skills_set(*, course: Course, skills: Iterable[tuple[Skill, int]]) -> list[CourseSkill]:
    levels: dict[int, tuple[Skill, int]] = {skill.pk: (skill, level) for skill, level in skills}
    for _skill, level in levels.values():
        if not 1 <= level <= 5:
            raise ValidationError({"skills": [_("A skill level is between 1 and 5.")]})
    CourseSkill.objects.filter(course=course).delete()
    return CourseSkill.objects.bulk_create(
        [CourseSkill(course=course, skill=skill, level=level) for skill, level in levels.values()]
    )


def _validate_session(session: TrainingSession) -> None:
    errors = {}
    if session.start_date and session.end_date and session.end_date < session.start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    if session.capacity is not None and session.capacity < session.enrolled_count:
        errors["capacity"] = [_("Capacity cannot be below the number already enrolled (%(n)s).")
                              % {"n": session.enrolled_count}]
    if errors:
        raise ValidationError(errors)
    session.full_clean()


@transaction.atomic
def session_create(*, course: Course, start_date, end_date, place: Place, capacity: int, created_by=None,
                   **fields: Any) -> TrainingSession:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    fields.setdefault("hours", course.hours)
    session = TrainingSession(course=course, start_date=start_date, end_date=end_date, place=place,
                              capacity=capacity, created_by=created_by, **fields)
    _validate_session(session)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: TrainingSession, data: dict[str, Any]) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    _validate_session(session)
    session.save()
    return session
