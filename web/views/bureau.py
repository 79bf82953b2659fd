"""The bureau clerk's pages: employers, job postings (write, publish, close), courses and sessions.

Its spreadsheet imports of postings are the import pages it shares with liaison staff (imports.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import Role
from jobs.selectors import employer_list, posting_list
from jobs.services import (
    employer_create,
    employer_update,
    posting_close,
    posting_create,
    posting_publish,
    posting_update,
)
from taxonomy.coding import code_titles
from taxonomy.models import Occupation, OccupationCorrection
from training.market_days import next_market_days
from training.models import Course, Enrollment
from training.selectors import course_list, session_list
from training.services import course_create, course_update, session_create, session_update

from ..forms.bureau import (
    CourseFilterForm,
    CourseForm,
    EmployerFilterForm,
    EmployerForm,
    PostingEditForm,
    PostingFilterForm,
    PostingForm,
    SessionForm,
)
from ..list_columns import POSTING_COLUMNS, POSTING_SORTS
from ..lists import Column, Sort, StaffList
from .common import (
    add_service_errors,
    back,
    bound,
    error_messages,
    role_required,
)

bureau_only = role_required(Role.BUREAU)
MARKET_DAYS_SHOWN = 8


# --- Employers -------------------------------------------------------------------------------

EMPLOYERS = StaffList(
    name="employers", title=gettext_lazy("Employers"), filters=EmployerFilterForm,
    sorts={"name": Sort(gettext_lazy("name"), ("name", "id")),
           "newest": Sort(gettext_lazy("newest first"), ("-created_at", "-id")),
           "postings": Sort(gettext_lazy("most open postings"), ("-open_postings_count", "name", "id"))},
    columns=(Column(gettext_lazy("Name"), lambda e: e.name), Column(gettext_lazy("Credit code"), lambda e: e.uscc),
             Column(gettext_lazy("Place"), lambda e: e.place.name), Column(gettext_lazy("Contact"), lambda e: e.contact_name),
             Column(gettext_lazy("Contact phone"), lambda e: e.contact_phone),
             Column(gettext_lazy("Poverty-alleviation workshop"), lambda e: _yes_no(e.is_poverty_workshop)),
             Column(gettext_lazy("Open postings"), lambda e: e.open_postings_count)),
)


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


@require_GET
@bureau_only
def employers(request):
    """Employers, searchable by name or credit code, with their open postings; sorted, paged, exported."""
    return EMPLOYERS.respond(request, employer_list(), "web/bureau/employers.html")


@require_http_methods(["GET", "POST"])
@bureau_only
def employer_form(request, pk: int | None = None):
    """Create (no pk) or edit an employer; the USCC's check character is verified by the service."""
    employer = get_object_or_404(employer_list(), pk=pk) if pk else None
    initial = EmployerForm.initial_for(employer) if employer else {}
    form = EmployerForm(*bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if employer is None:
                employer = employer_create(created_by=request.user, **form.cleaned_data)
                messages.success(request, _("Employer “%(name)s” added.") % {"name": employer.name})
            else:
                employer = employer_update(employer=employer, data=form.cleaned_data)
                messages.success(request, _("Employer “%(name)s” saved.") % {"name": employer.name})
            return redirect("web:bureau-employers")
        except ValidationError as exc:
            add_service_errors(form, exc)
            if employer is not None:
                employer.refresh_from_db()
    return render(request, "web/bureau/employer_form.html", {"form": form, "employer": employer})


# --- Postings --------------------------------------------------------------------------------

POSTINGS = StaffList(
    name="postings", title=gettext_lazy("Job postings"), filters=PostingFilterForm, columns=POSTING_COLUMNS,
    sorts={"newest": Sort(gettext_lazy("newest first"), ("-created_at", "-id")), **POSTING_SORTS},
)


@require_GET
@bureau_only
def postings(request):
    """Every posting, filtered by status, employer and a text search; publish and close inline."""
    return POSTINGS.respond(request, posting_list(), "web/bureau/postings.html")


@require_http_methods(["GET", "POST"])
@bureau_only
def posting_new(request):
    form = PostingForm(*bound(request), initial={"employer": request.GET.get("employer")})
    if request.method == "POST" and form.is_valid():
        try:
            posting = posting_create(
                employer=form.cleaned_data["employer"], posted_by=request.user, skill_texts=form.skill_text_list(),
                publish=form.cleaned_data["publish"], **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Posting “%(title)s” saved.") % {"title": posting.title})
            return redirect("web:bureau-posting", pk=posting.pk)
    return render(request, "web/bureau/posting_form.html", {"form": form, "posting": None})


@require_GET
@bureau_only
def posting_detail(request, pk: int):
    """A posting as saved: the occupation it was coded to (with the coder's other candidates, one click
    each), the skills recognised and the texts that were not."""
    posting = get_object_or_404(posting_list(), pk=pk)
    return render(request, "web/bureau/posting.html", {"posting": posting, "candidates": _candidates(posting)})


def _candidates(posting) -> list[dict]:
    """The coder's best codes for the posting's title (up to 4: its answer and the top-3 alternatives),
    without the posting's own occupation: each can be picked in one click."""
    if not posting.title:
        return []
    coded = code_titles([posting.title])[0]
    result = coded.result
    pairs = ([(result.code, result.name, result.confidence)] if result.code else []) + list(result.alternatives)
    current = posting.occupation.code if posting.occupation else None
    return [
        {"code": code, "name": name, "share": share}
        for code, name, share in pairs
        if code != current
    ][:3]


@require_POST
@bureau_only
def posting_occupation_pick(request, pk: int):
    """Set the posting's occupation to one of the coder's candidates; kept as a correction to learn from."""
    posting = get_object_or_404(posting_list(), pk=pk)
    occupation = Occupation.objects.filter(code=request.POST.get("code", "")).first()
    if occupation is None:
        messages.error(request, _("Choose an occupation."))
    else:
        try:
            posting_update(posting=posting, data={"occupation": occupation}, changed_by=request.user,
                           correction_source=OccupationCorrection.Source.ALTERNATIVE)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Occupation set to %(code)s %(name)s.")
                             % {"code": occupation.code, "name": occupation.name})
    return redirect("web:bureau-posting", pk=posting.pk)


@require_http_methods(["GET", "POST"])
@bureau_only
def posting_edit(request, pk: int):
    posting = get_object_or_404(posting_list(), pk=pk)
    form = PostingEditForm(*bound(request), posting=posting, initial=PostingEditForm.initial_for(posting))
    if request.method == "POST" and form.is_valid():
        try:
            posting = posting_update(posting=posting, data=form.service_data(), changed_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Posting “%(title)s” saved.") % {"title": posting.title})
            return redirect("web:bureau-posting", pk=posting.pk)
    return render(request, "web/bureau/posting_form.html", {"form": form, "posting": posting})


def _posting_action(request, pk: int, action, done_message: str):
    posting = get_object_or_404(posting_list(), pk=pk)
    try:
        posting = action(posting=posting)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done_message % {"title": posting.title})
    return back(request, reverse("web:bureau-posting", args=[posting.pk]))


@require_POST
@bureau_only
def posting_publish_view(request, pk: int):
    return _posting_action(request, pk, posting_publish, _("“%(title)s” is published."))


@require_POST
@bureau_only
def posting_close_view(request, pk: int):
    return _posting_action(request, pk, posting_close, _("“%(title)s” is closed."))


# --- Courses and sessions --------------------------------------------------------------------

COURSES = StaffList(
    name="courses", title=gettext_lazy("Courses"), filters=CourseFilterForm,
    sorts={"name": Sort(gettext_lazy("name"), ("name", "id")), "sessions": Sort(gettext_lazy("most sessions"), ("-sessions_count", "name")),
           "hours": Sort(gettext_lazy("longest first"), ("-hours", "name"))},
    columns=(Column(gettext_lazy("Course"), lambda c: c.name), Column(gettext_lazy("Hours"), lambda c: c.hours),
             Column(gettext_lazy("Skills it teaches"), lambda c: "、".join(link.skill.name for link in c.skill_links.all())),
             Column(gettext_lazy("Sessions"), lambda c: c.sessions_count)),
)


@require_GET
@bureau_only
def courses(request):
    """Courses (filtered, sorted, paged, exported) and the sessions coming next."""
    upcoming = session_list().filter(start_date__gte=timezone.localdate()).order_by("start_date", "id")
    return COURSES.respond(request, course_list(), "web/bureau/courses.html", {"upcoming": upcoming[:20]})


@require_http_methods(["GET", "POST"])
@bureau_only
def course_form(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(*bound(request), initial=CourseForm.initial_for(course) if course else {})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if course is None:
                course = course_create(code=data["code"], name=data["name"], hours=data["hours"],
                                       description=data["description"], skills=data["skills"])
            else:
                course = course_update(course=course, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Course “%(name)s” saved.") % {"name": course.name})
            return redirect("web:bureau-course", pk=course.pk)
    return render(request, "web/bureau/course_form.html", {"form": form, "course": course})


def _sessions_of(course: Course):
    waitlisted = Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED))
    return session_list().filter(course=course).annotate(waitlisted=waitlisted).order_by("-start_date", "-id")


@require_GET
@bureau_only
def course_detail(request, pk: int):
    course = get_object_or_404(course_list(), pk=pk)
    return render(request, "web/bureau/course.html", {"course": course, "sessions": _sessions_of(course)})


@require_http_methods(["GET", "POST"])
@bureau_only
def session_form(request, course_pk: int | None = None, pk: int | None = None):
    """Create a session of a course (market days suggested for its start) or edit one."""
    session = get_object_or_404(session_list(), pk=pk) if pk else None
    course = session.course if session else get_object_or_404(Course, pk=course_pk)
    if session:
        initial = SessionForm.initial_for(session)
    else:
        initial = {"start_date": request.GET.get("start"), "end_date": request.GET.get("start"),
                   "hours": course.hours, "capacity": 30}
    form = SessionForm(*bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session = session_create(course=course, created_by=request.user, **form.service_data())
            else:
                session = session_update(session=session, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("web:bureau-course", pk=course.pk)
    return render(request, "web/bureau/session_form.html", {
        "form": form, "course": course, "session": session,
        "market_days": next_market_days(timezone.localdate(), MARKET_DAYS_SHOWN),
    })
