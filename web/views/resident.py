"""The resident's own pages (phone-sized): my profile, jobs for me, training near me, my enrolments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import JobPosting
from matching.explain import for_resident, notes_for_resident
from matching.selectors import interest_posting_ids, matches_for_resident
from matching.services import interest_express, interest_withdraw
from residents.models import Resident
from residents.selectors import resident_list
from residents.services import resident_update
from training.market_days import next_market_days
from training.models import Enrollment, TrainingSession
from training.services import enrollment_cancel, enrollment_create

from ..forms.profile import MyPreferencesForm
from ..selectors import NearbySession, enrollments_of, open_sessions_near, station_recommendations
from .common import add_service_errors, bound, error_messages, resident_required

JOBS_SHOWN = 10
ACTIVE = (Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED)


@require_GET
@resident_required
def home(request, resident: Resident):
    """My profile: who I am (ID number and phone masked), my household, my skills and what I look for."""
    profile = resident_list(visible=Resident.objects.filter(pk=resident.pk)).get()
    upcoming = enrollments_of(resident).filter(status__in=ACTIVE)
    return render(request, "web/resident/home.html", {"me": profile, "upcoming": upcoming})


@require_http_methods(["GET", "POST"])
@resident_required
def preferences(request, resident: Resident):
    """What work I look for, a new phone number, skills in my own words: the rest the station keeps."""
    form = MyPreferencesForm(*bound(request), resident=resident, initial=MyPreferencesForm.initial_for(resident))
    if request.method == "POST" and form.is_valid():
        try:
            resident_update(resident=resident, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. The jobs for you are updated."))
            return redirect("web:resident-home")
    return render(request, "web/resident/preferences.html", {"me": resident, "form": form})


@require_GET
@resident_required
def jobs(request, resident: Resident):
    """Jobs the station recommended to me, then the open jobs that fit me best, with the reasons in words."""
    seeking = resident.employment_status == Resident.EmploymentStatus.SEEKING
    matches = [for_resident(match) for match in matches_for_resident(resident, limit=JOBS_SHOWN)] if seeking else []
    from_station = list(station_recommendations(resident))
    for recommendation in from_station:
        recommendation.resident_notes = notes_for_resident(recommendation.explanation.get("notes", []),
                                                            distance_km=recommendation.explanation.get("distance_km"),
                                                            monthly_wage=recommendation.explanation.get(
                                                                "monthly_wage_estimate"))
    wanted = interest_posting_ids(resident)
    for row in [*matches, *from_station]:
        if isinstance(row, dict):
            row["interested"] = row["job_id"] in wanted
        else:
            row.interested = row.posting_id in wanted
    return render(request, "web/resident/jobs.html", {
        "me": resident,
        "seeking": seeking,
        "from_station": from_station,
        "matches": matches,
        "market_day": next_market_days(timezone.localdate(), 1)[0],
    })


@require_POST
@resident_required
def interest(request, resident: Resident, posting_pk: int):
    """我想试试这个 on a job picked for me (`want=yes`), or take it back (`want=no`): one tap, saying it twice
    changes nothing."""
    posting = get_object_or_404(JobPosting, pk=posting_pk)
    want = request.POST.get("want") != "no"
    errors: list[str] = []
    try:
        if want:
            interest_express(resident=resident, posting=posting, actor=request.user)
        else:
            interest_withdraw(resident=resident, posting=posting, actor=request.user)
    except ValidationError as exc:
        errors = error_messages(exc)
    interested = posting.pk in interest_posting_ids(resident)
    if request.htmx:
        return render(request, "web/resident/_interest.html",
                      {"posting_id": posting.pk, "interested": interested, "interest_errors": errors},
                      status=400 if errors else 200)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("The station will see that you want to try this job.") if interested
                         else _("Taken back."))
    return redirect("web:resident-jobs")


@require_GET
@resident_required
def training(request, resident: Resident):
    """Sessions open for enrolment that have not started, nearest first, with enrol and cancel buttons."""
    rows = open_sessions_near(resident, today=timezone.localdate())
    return render(request, "web/resident/training.html", {"me": resident, "rows": rows})


def _card(request, resident: Resident, session_id: int, errors: list[str]):
    """Re-read one session card (after enrolling or cancelling) for htmx to swap in."""
    row = next((r for r in open_sessions_near(resident, today=timezone.localdate()) if r.session.pk == session_id), None)
    if row is None:
        session = get_object_or_404(TrainingSession.objects.select_related("course", "place"), pk=session_id)
        row = NearbySession(session, None, None)
    return render(request, "web/resident/_session_card.html", {"row": row, "errors": errors})


@require_POST
@resident_required
def enrol(request, resident: Resident, session_pk: int):
    session = get_object_or_404(TrainingSession, pk=session_pk)
    errors: list[str] = []
    try:
        enrollment = enrollment_create(session=session, resident=resident, actor=request.user)
    except ValidationError as exc:
        errors = error_messages(exc)
    if request.htmx:
        return _card(request, resident, session.pk, errors)
    if errors:
        for error in errors:
            messages.error(request, error)
    elif enrollment.status == Enrollment.Status.WAITLISTED:
        messages.info(request, _("The session is full: you are on the waiting list."))
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("web:resident-training")


@require_POST
@resident_required
def cancel(request, resident: Resident, pk: int):
    enrollment = get_object_or_404(Enrollment.objects.filter(resident=resident), pk=pk)
    errors: list[str] = []
    try:
        enrollment_cancel(enrollment=enrollment, actor=request.user)
    except ValidationError as exc:
        errors = error_messages(exc)
    if request.htmx and request.POST.get("from") == "training":
        return _card(request, resident, enrollment.session_id, errors)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Your enrolment is cancelled."))
    return redirect("web:resident-training" if request.POST.get("from") == "training" else "web:resident-enrolments")


@require_GET
@resident_required
def enrolments(request, resident: Resident):
    """Everything I enrolled in, with my place on the waiting list where I wait."""
    return render(request, "web/resident/enrolments.html", {"me": resident, "enrolments": enrollments_of(resident)})
