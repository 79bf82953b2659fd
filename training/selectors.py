"""Reads of courses and training sessions, shaped for display without N+1 queries."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from residents.models import Resident

from .models import Attendance, Course, CourseSkill, Enrollment, TrainingSession


def course_list() -> QuerySet[Course]:
    """Courses with the skills they grant and `sessions_count`."""
    return Course.objects.annotate(sessions_count=Count("sessions")).prefetch_related(
        Prefetch("skill_links", queryset=CourseSkill.objects.select_related("skill__group").order_by("id"))
    )


def session_list() -> QuerySet[TrainingSession]:
    """Sessions with their course and place."""
    return TrainingSession.objects.select_related("course", "place")


# --- Rosters (liaison staff see their own residents' enrolments, and only counts of the others) ---

def waitlist_position():
    """An annotation for enrolments: the place on their session's waiting list (1 = next in line)."""
    ahead = (
        Enrollment.objects.filter(session=OuterRef("session"), status=Enrollment.Status.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id")))
        .order_by()
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def session_list_with_counts(*, residents: QuerySet[Resident]) -> QuerySet[TrainingSession]:
    """Sessions with course and place, `waitlisted` (everyone waiting), `active_count` (everyone enrolled,
    waiting or completed) and `residents_active` (those of them among `residents`)."""
    active = Q(enrollments__status__in=Enrollment.ACTIVE)
    return session_list().annotate(
        waitlisted=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
        active_count=Count("enrollments", filter=active),
        residents_active=Count("enrollments", filter=active & Q(enrollments__resident__in=residents.values("pk"))),
    )


def session_enrollments(*, session: TrainingSession, residents: QuerySet[Resident]) -> QuerySet[Enrollment]:
    """The enrolments in a session of `residents` only (every status), with resident, household and site,
    the attendance days in date order and `waitlist_position`."""
    return (
        Enrollment.objects.filter(session=session, resident__in=residents.values("pk"))
        .select_related("resident__household__site")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("date"), to_attr="days"))
        .annotate(waitlist_position=waitlist_position())
        .order_by("created_at", "id")
    )
