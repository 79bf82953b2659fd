"""The liaison worker's training pages: the coming and running sessions, and a session's roster, where they
enrol their station's residents, record attendance and close enrolments (completed, dropped out, cancelled).

Every resident comes through `residents_visible_to(user)`: another station's residents are counted on a
roster but never named or linked, and their enrolments are a 404. Every write goes through
`training.services`; what a service refuses comes back on the form that asked, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from config.roles import Role
from residents.models import Resident
from residents.selectors import identifier_in, resident_search
from taxonomy.exports import xlsx_append
from training.models import Enrollment, TrainingSession
from training.selectors import session_enrollments, session_list, session_list_with_counts
from training.services import (
    attendance_record,
    enrollment_cancel,
    enrollment_complete,
    enrollment_create,
    enrollment_drop,
)

from ..forms.liaison import ResidentSearchForm
from ..forms.training import ActionForm, AttendanceForm, CompleteForm, EnrolForm, SessionFilterForm
from ..list_columns import SESSION_COLUMNS
from ..lists import Sort, StaffList
from .common import (
    add_service_errors,
    role_required,
    safe_next,
    visible_residents,
)

RECENT_DAYS = SessionFilterForm.RECENT_DAYS
SEARCH_LIMIT = 10
STATUS_ORDER = {Enrollment.Status.ENROLLED: 0, Enrollment.Status.WAITLISTED: 1, Enrollment.Status.COMPLETED: 2,
                Enrollment.Status.DROPPED: 3, Enrollment.Status.CANCELLED: 4}
ON_THE_FORM = {"session": "__all__", "resident": "__all__", "status": "__all__", "enrollment": "__all__"}

liaison_only = role_required(Role.LIAISON)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Sessions --------------------------------------------------------------------------------

SESSIONS = StaffList(
    name="sessions", title=gettext_lazy("Training sessions"), filters=SessionFilterForm, columns=SESSION_COLUMNS,
    sorts={"date": Sort(gettext_lazy("soonest first"), ("start_date", "id")),
           "latest": Sort(gettext_lazy("latest first"), ("-start_date", "-id")),
           "course": Sort(gettext_lazy("course"), ("course__name", "start_date", "id")),
           "waiting": Sort(gettext_lazy("longest waiting list"), ("-waitlisted", "start_date", "id"))},
)


@require_GET
@liaison_only
def sessions(request):
    """Sessions not cancelled that are coming, running or ended within two weeks (or, on asking, the
    earlier ones), with seats taken, the waiting list and how many of the worker's residents are in."""
    today = timezone.localdate()

    def mark(rows) -> None:
        for session in rows:
            session.running = session.start_date <= today <= session.end_date
            session.ended = session.end_date < today

    past = SessionFilterForm(request.GET).past
    return SESSIONS.respond(request, session_list_with_counts(residents=visible_residents(request)),
                            "web/training/sessions.html", {"past": past, "recent_days": RECENT_DAYS}, prepare=mark)


# --- A session's roster ----------------------------------------------------------------------

def _search_text(data) -> str:
    form = ResidentSearchForm(data)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _candidates(request, session: TrainingSession, text: str) -> list[Resident]:
    """The worker's residents matching the search, each with their active enrolment status in the session."""
    terms = text.split()[:5]
    if not terms:
        return []
    condition = resident_search(terms, identifiers=request.method == "POST")  # full numbers never from a URL
    found = list(visible_residents(request).filter(condition).order_by("name", "id")[:SEARCH_LIMIT])
    statuses = dict(
        Enrollment.objects.filter(session=session, resident__in=[r.pk for r in found], status__in=Enrollment.ACTIVE)
        .values_list("resident_id", "status")
    )
    for resident in found:
        status = statuses.get(resident.pk, "")
        resident.session_status = status
        resident.session_status_label = Enrollment.Status(status).label if status else ""
    return found


def _closed_reason(session: TrainingSession, today: dt.date) -> str:
    if session.status != TrainingSession.Status.OPEN:
        return _("This session is not open for enrolment.")
    if session.start_date < today:
        return _("This session has already started; enrolment is closed.")
    return ""


def _attendance_day(session: TrainingSession, today: dt.date) -> dt.date:
    return min(max(today, session.start_date), session.end_date)


def _roster_context(request, session_id: int, *, q: str, page_path: str, enrol_form: EnrolForm | None = None,
                    failed: dict[int, tuple[str, object]] | None = None, notice: str = "") -> dict:
    """Everything the roster area shows, read afresh (after a write the counts and statuses have moved).
    `failed` maps an enrolment to the action whose form was refused, shown open with its errors."""
    today = timezone.localdate()
    visible = visible_residents(request)
    session = session_list_with_counts(residents=visible).get(pk=session_id)
    started = session.start_date <= today
    failed = failed or {}
    rows = list(session_enrollments(session=session, residents=visible))
    for row in rows:
        kind, form = failed.get(row.pk, ("", None))
        enrolled = row.status == Enrollment.Status.ENROLLED
        row.failed = kind
        row.progress = row.hours_attended / session.hours
        row.show_attendance = (enrolled and started) or kind == "attendance"
        row.show_complete = (enrolled and started) or kind == "complete"
        row.can_drop = enrolled and started
        row.can_cancel = row.status == Enrollment.Status.WAITLISTED or (enrolled and not started)
        row.attendance_form = form if kind == "attendance" else AttendanceForm(
            prefix=f"a{row.pk}", initial={"date": _attendance_day(session, today)})
        row.complete_form = form if kind == "complete" else CompleteForm(prefix=f"c{row.pk}")
        row.action_form = form if kind in ("drop", "cancel") else None
    rows.sort(key=lambda r: (STATUS_ORDER.get(r.status, 9), r.waitlist_position if r.status == "waitlisted" else 0,
                             r.created_at, r.pk))
    closed = _closed_reason(session, today)
    return {
        "session": session,
        "rows": rows,
        "others": session.active_count - session.residents_active,
        "running": session.start_date <= today <= session.end_date,
        "can_enrol": not closed,
        "closed_reason": closed,
        "enrol_form": enrol_form,
        "q": q,
        "candidates": _candidates(request, session, q) if not closed else [],
        "limit": SEARCH_LIMIT,
        "search_form": ResidentSearchForm(),
        "page_path": page_path,
        "notice": notice,
    }


@require_http_methods(["GET", "POST"])
@liaison_only
def session_roster(request, pk: int):
    """A session with the worker's residents in it (counts only for other stations'), a search to enrol
    more of them, and per enrolment: attendance, completion, drop-out and cancellation.
    The live search (htmx) gets the matching residents only; it posts (it writes nothing), so that a full
    ID number or phone never reaches a URL."""
    session = get_object_or_404(session_list(), pk=pk)
    q = _search_text(request.POST if request.method == "POST" else request.GET)
    if request.htmx:
        today = timezone.localdate()
        closed = _closed_reason(session, today)
        context = {"session": session, "q": q, "candidates": _candidates(request, session, q) if not closed else [],
                   "limit": SEARCH_LIMIT, "page_path": _roster_url(session.pk, q), "can_enrol": not closed}
        response = render(request, "web/training/_candidates.html", context)
    else:
        response = render(request, "web/training/session.html",
                          _roster_context(request, session.pk, q=q, page_path=_roster_url(session.pk, q)))
    patch_vary_headers(response, ("HX-Request",))
    response["Cache-Control"] = "no-store"
    return response


def _roster_url(session_id: int, q: str) -> str:
    """The roster's address, keeping the search unless it names a full ID number or phone."""
    url = reverse("web:liaison-session", args=[session_id])
    if any(identifier_in(term) for term in q.split()):
        q = ""
    return f"{url}?{urlencode({'q': q})}" if q else url


def _reply(request, session_id: int, *, notice: str = "", enrol_form: EnrolForm | None = None,
           failed: dict | None = None):
    """After a write. Refused: the roster again with the form's errors (the area alone for htmx), 200.
    Done: htmx gets the area with a notice; a plain POST goes back to the roster with a message."""
    q = _search_text(request.POST)
    page_path = safe_next(request, _roster_url(session_id, q))
    refused = bool(failed) or bool(enrol_form is not None and enrol_form.errors)
    if request.htmx or refused:
        context = _roster_context(request, session_id, q=q, page_path=page_path, enrol_form=enrol_form,
                                  failed=failed, notice="" if refused else notice)
        template = "web/training/_roster.html" if request.htmx else "web/training/session.html"
        return render(request, template, context)
    messages.success(request, notice)
    return redirect(page_path)


@require_POST
@liaison_only
def session_enrol(request, pk: int):
    """Enrol one of the worker's residents (or put them on the waiting list when the session is full)."""
    session = get_object_or_404(session_list(), pk=pk)
    form = EnrolForm(request.POST)
    notice = ""
    if form.is_valid():
        resident = get_object_or_404(visible_residents(request), pk=form.cleaned_data["resident"])
        try:
            enrollment = enrollment_create(session=session, resident=resident, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc, ON_THE_FORM)
        else:
            if enrollment.status == Enrollment.Status.WAITLISTED:
                notice = _("The session is full: %(name)s is on the waiting list.") % {"name": resident.name}
            else:
                notice = _("%(name)s is enrolled.") % {"name": resident.name}
    return _reply(request, session.pk, notice=notice, enrol_form=form)


def _enrolment(request, pk: int) -> Enrollment:
    """One of the worker's residents' enrolments; anyone else's is a 404."""
    enrolments = Enrollment.objects.filter(resident__in=visible_residents(request).values("pk"))
    return get_object_or_404(enrolments.select_related("session", "resident"), pk=pk)


@require_POST
@liaison_only
def attendance(request, pk: int):
    """Record (or correct) the hours a resident attended on one day of the session."""
    enrollment = _enrolment(request, pk)
    form = AttendanceForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            attendance_record(enrollment=enrollment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, ON_THE_FORM)
    if form.errors:
        return _reply(request, enrollment.session_id, failed={pk: ("attendance", form)})
    data = form.cleaned_data
    notice = _("%(hours)s hours recorded for %(name)s on %(date)s.") % {
        "hours": f"{data['hours'].normalize():f}", "name": enrollment.resident.name,
        "date": date_format(data["date"], "Y-m-d")}
    return _reply(request, enrollment.session_id, notice=notice)


@require_POST
@liaison_only
def complete(request, pk: int):
    """Close an enrolment with pass or fail; passing grants the course's skills."""
    enrollment = _enrolment(request, pk)
    form = CompleteForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            enrollment_complete(enrollment=enrollment, passed=form.cleaned_data["passed"],
                                certificate_number=form.cleaned_data["certificate_number"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc, ON_THE_FORM)
    if form.errors:
        return _reply(request, enrollment.session_id, failed={pk: ("complete", form)})
    name = enrollment.resident.name
    if form.cleaned_data["passed"]:
        notice = _("%(name)s passed; the course's skills are added to their profile.") % {"name": name}
    else:
        notice = _("%(name)s completed the session without passing.") % {"name": name}
    return _reply(request, enrollment.session_id, notice=notice)


def _release(request, pk: int, kind: str, service, done: str):
    enrollment = _enrolment(request, pk)
    form = ActionForm(request.POST)
    try:
        service(enrollment=enrollment, actor=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc, ON_THE_FORM)
        return _reply(request, enrollment.session_id, failed={pk: (kind, form)})
    return _reply(request, enrollment.session_id, notice=done % {"name": enrollment.resident.name})


@require_POST
@liaison_only
def drop(request, pk: int):
    """Record that an enrolled resident dropped out; the seat goes to the first on the waiting list."""
    return _release(request, pk, "drop", enrollment_drop, _("%(name)s is recorded as having dropped out."))


@require_POST
@liaison_only
def cancel(request, pk: int):
    """Cancel a place before the session starts (or a place on the waiting list)."""
    return _release(request, pk, "cancel", enrollment_cancel, _("The enrolment of %(name)s is cancelled."))


SIGN_IN_DAYS = 6  # signature columns on an A4 page in landscape; a longer session prints its first days


def _sign_in_days(session: TrainingSession) -> list[dt.date]:
    days = (session.end_date - session.start_date).days + 1
    return [session.start_date + dt.timedelta(days=n) for n in range(min(days, SIGN_IN_DAYS))]


@require_GET
@liaison_only
def session_sign_in(request, pk: int):
    """The sign-in sheet of a session for the station's residents enrolled in it: a page that prints on A4 (one
    signature column a day), or the same rows as an .xlsx workbook (`?format=xlsx`)."""
    session = get_object_or_404(session_list(), pk=pk)
    rows = [row for row in session_enrollments(session=session, residents=visible_residents(request))
            if row.status in (Enrollment.Status.ENROLLED, Enrollment.Status.COMPLETED)]
    days = _sign_in_days(session)
    if request.GET.get("format") == "xlsx":
        return _sign_in_workbook(session, rows, days)
    return render(request, "web/training/sign_in.html", {"session": session, "rows": rows, "days": days})


def _sign_in_workbook(session: TrainingSession, rows: list[Enrollment], days: list[dt.date]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sign-in sheet")[:31]
    xlsx_append(sheet, [f"{session.course.name} · {session.place.name}"
                        f"{' · ' + session.venue if session.venue else ''}"])
    xlsx_append(sheet, ["#", _("Full name"), _("Site"), _("Household number"), _("Phone"),
                        *(date_format(day, "n月j日") for day in days)])
    for number, row in enumerate(rows, start=1):
        resident = row.resident
        xlsx_append(sheet, [number, resident.name, resident.household.site.name, resident.household.number,
                            resident.phone_masked or "", *([""] * len(days))])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"{session.course.name}-签到表-{session.start_date:%Y%m%d}.xlsx"
    response["Content-Disposition"] = (f"attachment; filename=\"sign-in-{session.pk}.xlsx\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    return response
