"""Who should train in what: courses that would unlock postings for a resident, and for a station.

Reads only. For a resident the engine ranks every open posting twice — as they are, and as they would
be with a course's skills — and counts what changes. For a station it weighs the openings that need a
skill a course teaches against the residents who lack it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from jobs.models import JobPosting, JobSkill
from residents.models import Resident, ResidentSkill
from training.models import Course, CourseSkill, TrainingSession

from .engine import JobProfile, ResidentProfile, eligible_jobs
from .indexes import open_posting_index
from .profiles import resident_profiles


@dataclass(frozen=True)
class CourseAdvice:
    """What one course would change for one resident."""

    course_id: int
    course_name: str
    skills_gained: list[str]
    postings_unlocked: int  # not a match before, a match after
    openings_unlocked: int
    postings_improved: int  # a match before, with every missing required skill covered after
    average_monthly_wage: float | None  # of the unlocked and improved postings
    next_session: dict | None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _with_skills(profile: ResidentProfile, skills: Iterable[tuple[int, int]]) -> ResidentProfile:
    levels = dict(profile.skills)
    for skill_id, level in skills:
        levels[skill_id] = max(level, levels.get(skill_id, 0))
    return replace(profile, skills=tuple(sorted(levels.items())))


def _next_sessions(today: dt.date) -> dict[int, dict]:
    result: dict[int, dict] = {}
    sessions = TrainingSession.objects.filter(status=TrainingSession.Status.OPEN, start_date__gte=today).order_by(
        "start_date", "id").select_related("place")
    for session in sessions:
        result.setdefault(session.course_id, {
            "id": session.pk, "start_date": session.start_date, "place": session.place.name,
            "seats_left": session.seats_left,
        })
    return result


def _missing_required(profile: ResidentProfile, job: JobProfile) -> bool:
    held = dict(profile.skills)
    return any(held.get(req.skill_id, 0) < req.level for req in job.required_skills)


def course_advice_for_resident(resident: Resident, *, today: dt.date | None = None) -> list[CourseAdvice]:
    """Courses ordered by the openings they would unlock, then the pay of what they unlock or improve.

    The postings a resident may be matched to are screened with the kept index of open postings, once as
    they are and once per course with its skills (no scores or explanations are needed to count them)."""
    today = today or timezone.localdate()
    index, _catalog, courses, _config = open_posting_index.get(today)
    profile = resident_profiles(Resident.objects.filter(pk=resident.pk), today=today)[0]
    profile = replace(profile, seeking_work=True)  # advice is also for those not looking yet
    before = set(eligible_jobs(profile, index, today=today).tolist())
    names = dict(Course.objects.values_list("id", "name"))
    skill_names = dict(CourseSkill.objects.values_list("skill_id", "skill__name"))
    upcoming = _next_sessions(today)
    advice = []
    for course in courses.courses:
        held = dict(profile.skills)
        gained = [(s, lv) for s, lv in course.skills if held.get(s, 0) < lv]
        if not gained:
            continue
        trained = _with_skills(profile, gained)
        after = eligible_jobs(trained, index, today=today).tolist()
        unlocked = [pos for pos in after if pos not in before]
        improved = [
            pos for pos in after
            if pos in before and _missing_required(profile, index.profiles[pos])
            and not _missing_required(trained, index.profiles[pos])
        ]
        wages = [w for w in index.monthly_wage[unlocked + improved].tolist() if w == w]  # NaN: no wage known
        advice.append(CourseAdvice(
            course_id=course.id,
            course_name=names.get(course.id, course.name),
            skills_gained=[skill_names.get(s, str(s)) for s, _ in gained],
            postings_unlocked=len(unlocked),
            openings_unlocked=int(index.openings_remaining[unlocked].sum()),
            postings_improved=len(improved),
            average_monthly_wage=round(sum(wages) / len(wages)) if wages else None,
            next_session=upcoming.get(course.id),
        ))
    advice.sort(key=lambda a: (-a.openings_unlocked, -a.postings_improved, -(a.average_monthly_wage or 0), a.course_id))
    return advice


@dataclass(frozen=True)
class CoursePriority:
    """Why a course is worth running next for a group of residents."""

    course_id: int
    course_name: str
    postings_needing: int  # open postings that require a skill the course teaches
    openings_needing: int
    residents_lacking: int  # residents seeking work who lack at least one of those skills
    openings_per_trainee: float | None
    next_session: dict | None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def course_priorities(residents: QuerySet[Resident], *, today: dt.date | None = None) -> list[CoursePriority]:
    """For the residents of a station (or any set): courses ordered by the openings that need what they
    teach, weighed against how many of these residents lack it."""
    today = today or timezone.localdate()
    seeking = residents.filter(employment_status=Resident.EmploymentStatus.SEEKING)
    open_postings = JobPosting.objects.filter(status=JobPosting.Status.OPEN).filter(
        valid_until__isnull=True) | JobPosting.objects.filter(status=JobPosting.Status.OPEN, valid_until__gte=today)
    upcoming = _next_sessions(today)
    result = []
    for course in Course.objects.prefetch_related("skill_links"):
        taught = {link.skill_id: link.level for link in course.skill_links.all()}
        if not taught:
            continue
        needing = JobSkill.objects.filter(
            posting__in=open_postings, kind=JobSkill.Kind.REQUIRED, skill_id__in=list(taught)
        ).values_list("posting_id", flat=True).distinct()
        postings = JobPosting.objects.filter(pk__in=needing)
        openings = postings.aggregate(n=Sum(F("openings") - F("filled")))["n"] or 0
        lacking = seeking.count() - seeking.filter(
            pk__in=_holding_all(taught)
        ).count()
        result.append(CoursePriority(
            course_id=course.pk,
            course_name=course.name,
            postings_needing=postings.count(),
            openings_needing=openings,
            residents_lacking=lacking,
            openings_per_trainee=round(openings / lacking, 2) if lacking else None,
            next_session=upcoming.get(course.pk),
        ))
    result.sort(key=lambda p: (-p.openings_needing, -p.residents_lacking, p.course_id))
    return result


def _holding_all(taught: dict[int, int]) -> QuerySet:
    """Residents who already hold every skill at the level the course teaches."""
    qs = Resident.objects.all()
    for skill_id, level in taught.items():
        qs = qs.filter(pk__in=ResidentSkill.objects.filter(skill_id=skill_id, level__gte=level).values("resident_id"))
    return qs.values("pk")
