"""Writes for courses and training sessions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import fire
from freshness.models import Domain
from freshness.services import version_bump
from residents.models import Resident, ResidentSkill
from residents.services import SkillLevel, resident_skills_set
from taxonomy.models import Place, Skill

from .models import Attendance, Course, CourseSkill, Enrollment, TrainingSession

SESSION_FIELDS = ("start_date", "end_date", "place", "venue", "capacity", "hours", "trainer", "partner_department", "status")


def course_code(text: str, *, exclude_pk: int | None = None) -> str:
    """A course's code from what the clerk typed, or from its name when nothing was typed: Latin letters kept,
    Chinese spelled in pinyin ("月嫂培训" → "yuesaopeixun"), made unique with -2, -3 …"""
    from django.utils.text import slugify
    from pypinyin import lazy_pinyin

    words = []
    for chunk in re.findall(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+", (text or "").strip()):
        words.append("".join(lazy_pinyin(chunk)) if re.match(r"[\u4e00-\u9fff]", chunk) else chunk)
    base = slugify(" ".join(words))[:36].strip("-") or "course"
    taken = Course.objects.exclude(pk=exclude_pk).filter(code__startswith=base).values_list("code", flat=True)
    taken = set(taken)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


@transaction.atomic
def course_create(*, name: str, code: str = "", hours: int = 40, description: str = "",
                  skills: Iterable[tuple[Skill, int]] = ()) -> Course:
    """A course; its code is what the clerk typed (in Latin letters or Chinese) or, when empty, made from the name."""
    wanted = (code or "").strip()
    if wanted and re.fullmatch(r"[-a-zA-Z0-9_]+", wanted):
        code = wanted  # a code already in Latin letters is kept as typed (a duplicate is an error)
    else:
        code = course_code(wanted or name)
    course = Course(code=code, name=name.strip(), hours=hours, description=description)
    course.full_clean()
    course.save()
    course_skills_set(course=course, skills=skills)
    version_bump(Domain.TRAINING)
    return course


@transaction.atomic
def course_skills_set(*, course: Course, skills: Iterable[tuple[Skill, int]]) -> list[CourseSkill]:
    levels: dict[int, tuple[Skill, int]] = {skill.pk: (skill, level) for skill, level in skills}
    for _skill, level in levels.values():
        if not 1 <= level <= 5:
            raise ValidationError({"skills": [_("A skill level is between 1 and 5.")]})
    CourseSkill.objects.filter(course=course).delete()
    links = CourseSkill.objects.bulk_create(
        [CourseSkill(course=course, skill=skill, level=level) for skill, level in levels.values()]
    )
    version_bump(Domain.TRAINING)
    return links


# Dates a session may have: it is planned at most this far ahead and lasts at most this long (a year 9999
# is a typing slip, not a plan).
SESSION_MAX_DAYS_AHEAD = 2 * 366
SESSION_MAX_DAYS_LONG = 366


def _validate_session(session: TrainingSession, *, previous_start=None, allow_past_start: bool = False) -> None:
    """`allow_past_start`: recording a session that has already begun (history, the admin's corrections);
    otherwise a new session, or a moved start, cannot lie in the past."""
    errors = {}
    today = timezone.localdate()
    if session.start_date and session.end_date and session.end_date < session.start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    elif session.start_date and session.end_date and (session.end_date - session.start_date).days > SESSION_MAX_DAYS_LONG:
        errors["end_date"] = [_("A session lasts at most a year; please check the end date.")]
    if session.start_date and (session.start_date - today).days > SESSION_MAX_DAYS_AHEAD:
        errors["start_date"] = [_("A session can be planned at most two years ahead; please check the start date.")]
    elif (session.start_date and session.start_date < today and not allow_past_start
          and session.start_date != previous_start):
        errors["start_date"] = [_("The start date is in the past; a new session starts today or later.")]
    if session.capacity is not None and session.capacity < session.enrolled_count:
        errors["capacity"] = [_("Capacity cannot be below the number already enrolled (%(n)s).")
                              % {"n": session.enrolled_count}]
    if errors:
        raise ValidationError(errors)
    session.full_clean()


@transaction.atomic
def session_create(*, course: Course, start_date, end_date, place: Place, capacity: int, created_by=None,
                   allow_past_start: bool = False, **fields: Any) -> TrainingSession:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    fields.setdefault("hours", course.hours)
    session = TrainingSession(course=course, start_date=start_date, end_date=end_date, place=place,
                              capacity=capacity, created_by=created_by, **fields)
    _validate_session(session, allow_past_start=allow_past_start)
    session.save()
    version_bump(Domain.TRAINING)
    return session


@transaction.atomic
def session_update(*, session: TrainingSession, data: dict[str, Any],
                   allow_past_start: bool = False) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    previous_start = session.start_date
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    _validate_session(session, previous_start=previous_start, allow_past_start=allow_past_start)
    session.save()
    version_bump(Domain.TRAINING)
    return session


# --- Enrolment -------------------------------------------------------------------------------

def _locked_session(session_id: int) -> TrainingSession:
    return TrainingSession.objects.select_for_update().select_related("course").get(pk=session_id)


def _overlapping_enrollment(resident: Resident, session: TrainingSession) -> Enrollment | None:
    return (
        Enrollment.objects.filter(
            resident=resident,
            status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED],
            session__start_date__lte=session.end_date,
            session__end_date__gte=session.start_date,
        )
        .exclude(session=session)
        .select_related("session__course")
        .first()
    )


@transaction.atomic
def enrollment_create(*, session: TrainingSession, resident: Resident, actor=None) -> Enrollment:
    """Enrol a resident, or put them on the waiting list when the session is full (first come, first served).

    The session row is locked, so concurrent enrolments for the last seats never exceed capacity.
    """
    session = _locked_session(session.pk)
    today = timezone.localdate()
    if session.status != TrainingSession.Status.OPEN:
        raise ValidationError({"session": [_("This session is not open for enrolment.")]})
    if session.start_date < today:
        raise ValidationError({"session": [_("This session has already started; enrolment is closed.")]})
    if Enrollment.objects.filter(session=session, resident=resident, status__in=Enrollment.ACTIVE).exists():
        raise ValidationError({"resident": [_("This resident is already enrolled in this session.")]})
    clash = _overlapping_enrollment(resident, session)
    if clash is not None:
        raise ValidationError(
            {"session": [_("The resident already holds a place in an overlapping session (%(course)s, %(start)s).")
                         % {"course": clash.session.course.name, "start": clash.session.start_date}]}
        )
    if session.enrolled_count < session.capacity:
        status = Enrollment.Status.ENROLLED
        TrainingSession.objects.filter(pk=session.pk).update(enrolled_count=F("enrolled_count") + 1)
    else:
        status = Enrollment.Status.WAITLISTED
    enrollment = Enrollment.objects.create(session=session, resident=resident, status=status, enrolled_by=actor)
    version_bump(Domain.TRAINING)
    return enrollment


def _promote_from_waitlist(session: TrainingSession) -> Enrollment | None:
    """Give a freed seat to the first on the waiting list; the caller holds the session lock."""
    first = (
        Enrollment.objects.select_for_update()
        .filter(session=session, status=Enrollment.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        TrainingSession.objects.filter(pk=session.pk).update(enrolled_count=F("enrolled_count") - 1)
        return None
    first.status = Enrollment.Status.ENROLLED
    first.save(update_fields=["status", "updated_at"])
    return first


def _release(enrollment: Enrollment, new_status: str) -> Enrollment:
    session = _locked_session(enrollment.session_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    was_enrolled = enrollment.status == Enrollment.Status.ENROLLED
    enrollment.status = new_status
    enrollment.save(update_fields=["status", "updated_at"])
    if was_enrolled:
        _promote_from_waitlist(session)
    version_bump(Domain.TRAINING)
    return enrollment


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, actor=None) -> Enrollment:
    """Cancel before the session starts; a freed seat goes to the first on the waiting list."""
    enrollment = Enrollment.objects.select_related("session").get(pk=enrollment.pk)
    if enrollment.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED):
        raise ValidationError({"status": [_("Only an active enrolment can be cancelled.")]})
    if enrollment.session.start_date < timezone.localdate() and enrollment.status == Enrollment.Status.ENROLLED:
        raise ValidationError({"status": [_("The session has started; record a drop-out instead of cancelling.")]})
    return _release(enrollment, Enrollment.Status.CANCELLED)


@transaction.atomic
def enrollment_drop(*, enrollment: Enrollment, actor=None) -> Enrollment:
    """Record that an enrolled resident dropped out; the seat is offered to the waiting list."""
    enrollment = Enrollment.objects.select_related("session").get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError({"status": [_("Only an enrolled resident can drop out.")]})
    return _release(enrollment, Enrollment.Status.DROPPED)


@transaction.atomic
def attendance_record(*, enrollment: Enrollment, date, hours, actor=None) -> Attendance:
    """Record (or correct) the hours attended on one day; the total never exceeds the session's hours."""
    enrollment = Enrollment.objects.select_for_update().select_related("session").get(pk=enrollment.pk)
    session = enrollment.session
    hours = Decimal(str(hours))
    errors = {}
    if enrollment.status != Enrollment.Status.ENROLLED:
        errors["enrollment"] = [_("Attendance can only be recorded for an enrolled resident.")]
    if not session.start_date <= date <= session.end_date:
        errors["date"] = [_("The date is outside the session (%(start)s – %(end)s).")
                          % {"start": session.start_date, "end": session.end_date}]
    if date > timezone.localdate():
        errors["date"] = [_("Attendance cannot be recorded for a future day.")]
    if not Decimal("0") < hours <= Decimal("24"):
        errors["hours"] = [_("Hours on one day must be more than 0 and at most 24.")]
    if errors:
        raise ValidationError(errors)
    existing = Attendance.objects.filter(enrollment=enrollment, date=date).first()
    other_days = enrollment.hours_attended - (existing.hours if existing else Decimal("0"))
    if other_days + hours > session.hours:
        raise ValidationError({"hours": [_("Attendance would exceed the session's %(hours)s hours.")
                                         % {"hours": session.hours}]})
    if existing:
        existing.hours = hours
        existing.recorded_by = actor
        existing.save(update_fields=["hours", "recorded_by"])
        record = existing
    else:
        record = Attendance.objects.create(enrollment=enrollment, date=date, hours=hours, recorded_by=actor)
    enrollment.hours_attended = other_days + hours
    enrollment.save(update_fields=["hours_attended", "updated_at"])
    version_bump(Domain.TRAINING)
    return record


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, passed: bool, certificate_number: str = "", actor=None) -> Enrollment:
    """Close an enrolment with pass or fail; passing grants the course's skills (source: training)."""
    enrollment = Enrollment.objects.select_for_update().select_related("session__course", "resident").get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError({"status": [_("Only an enrolled resident can complete a session.")]})
    if enrollment.session.start_date > timezone.localdate():
        raise ValidationError({"session": [_("The session has not started yet.")]})
    if certificate_number and not passed:
        raise ValidationError({"certificate_number": [_("A certificate is only issued to those who passed.")]})
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.passed = bool(passed)
    enrollment.certificate_number = certificate_number.strip()
    enrollment.completed_at = timezone.now()
    enrollment.full_clean(validate_constraints=False)
    enrollment.save()
    if passed:
        granted = [
            SkillLevel(skill=link.skill, level=link.level)
            for link in enrollment.session.course.skill_links.select_related("skill")
        ]
        resident_skills_set(resident=enrollment.resident, skills=granted, source=ResidentSkill.Source.TRAINING)
        # New skills change what the resident is matched to: rank them afresh once this commits.
        fire("matching.tasks.resident_rerank", enrollment.resident_id)
    version_bump(Domain.TRAINING)
    return enrollment


@transaction.atomic
def course_update(*, course: Course, data: dict[str, Any]) -> Course:
    """Update code, name, hours or description; `skills` ([(skill, level)]) replaces the skills granted."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    for field in ("code", "name", "hours", "description"):
        if field in data:
            setattr(course, field, data[field])
    course.name = (course.name or "").strip()
    wanted = (course.code or "").strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", wanted):  # typed in Chinese, or left empty: made from it or the name
        course.code = course_code(wanted or course.name, exclude_pk=course.pk)
    course.full_clean()
    course.save()
    if "skills" in data:
        course_skills_set(course=course, skills=data["skills"])
    version_bump(Domain.TRAINING)
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    """Delete a course that has no sessions."""
    if TrainingSession.objects.filter(course=course).exists():
        raise ValidationError(_("A course with sessions cannot be deleted."))
    course.delete()
    version_bump(Domain.TRAINING)


@transaction.atomic
def session_delete(*, session: TrainingSession) -> None:
    """Delete a session nobody enrolled in; otherwise cancel it instead."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.enrollments.exists():
        raise ValidationError(_("A session with enrolments cannot be deleted; cancel it instead."))
    session.delete()
    version_bump(Domain.TRAINING)
