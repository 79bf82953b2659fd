"""Removing demo data: everything the seed writes, children before parents, plus the five demo logins.

This empties the domain tables (matching, training, jobs, residents, stations); it is meant for a
demo database and refuses to run in production.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError, RestrictedError

from jobs.models import Employer, JobPosting, JobSkill
from residents.models import Household, PiiRevealLog, Resident, ResidentSkill
from training.models import Attendance, Course, CourseSkill, Enrollment, TrainingSession

from ..models import Deputy, LiaisonRoom, LiaisonStation, StaffMembership
from . import vocabulary as v
from .context import DemoError

DOMAIN_MODELS = (
    Attendance, Enrollment, TrainingSession, CourseSkill, Course,
    JobSkill, JobPosting, Employer,
    PiiRevealLog, ResidentSkill, Resident.wanted_occupations.through, Resident, Household,
    Deputy, StaffMembership, LiaisonRoom.places.through, LiaisonRoom, LiaisonStation,
)


def has_domain_data() -> bool:
    return any(model.objects.exists() for model in (LiaisonStation, Household, Employer, Course))


def reset_demo() -> dict[str, int]:
    """Delete the demo data; returns how many rows each model lost."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoError("--reset empties the residents, jobs and training tables; it is refused in production.")
    deleted: dict[str, int] = {}
    _delete_matching(deleted)
    for model in DOMAIN_MODELS:
        # only("pk"): the deletion collector then holds ids, not 100,000 full rows with ciphertext.
        count, _by_model = model.objects.only("pk").delete()
        deleted[model._meta.label] = count
    count, _by_model = get_user_model().objects.filter(username__in=list(v.LOGINS)).delete()
    deleted["auth.User"] = count
    return deleted


def _delete_matching(deleted: dict[str, int]) -> None:
    """Matching rows refer to residents and postings; delete them in whatever order their links allow."""
    pending = list(apps.get_app_config("matching").get_models())
    for _round in range(len(pending) + 1):
        blocked = []
        for model in pending:
            try:
                count, _by_model = model.objects.all().delete()
                deleted[model._meta.label] = count
            except (ProtectedError, RestrictedError):
                blocked.append(model)
        if not blocked:
            return
        pending = blocked
    raise DemoError(f"could not delete {', '.join(m._meta.label for m in pending)}")
