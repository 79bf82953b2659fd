"""Reads of courses and training sessions, shaped for display without N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Course, CourseSkill, TrainingSession


def course_list() -> QuerySet[Course]:
    """Courses with the skills they grant and `sessions_count`."""
    return Course.objects.annotate(sessions_count=Count("sessions")).prefetch_related(
        Prefetch("skill_links", queryset=CourseSkill.objects.select_related("skill__group").order_by("id"))
    )


def session_list() -> QuerySet[TrainingSession]:
    """Sessions with their course and place."""
    return TrainingSession.objects.select_related("course", "place")
