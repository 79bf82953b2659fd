"""The station desk: requests (诉求) from receipt to resolution, deputies' suggestions, the duty rota, and the
market-day reception page with its printable slip. Liaison staff and deputies of the station (admins too)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import Role, has_role
from matching.explain import for_resident
from matching.selectors import matches_for_resident
from receptions import services
from receptions.models import DutyShift, Request
from receptions.selectors import (
    my_next_shifts,
    reception_households,
    reception_residents,
    receptions_of_day,
    request_is_overdue,
    request_search,
    requests_visible_to,
    resident_find,
    rota_month,
    slip_for,
    staff_stations,
    station_people,
    suggestions_visible_to,
)
from receptions.slip import slip_pdf
from residents.selectors import resident_by_id_number
from stations.models import Deputy
from training.market_days import is_market_day, next_market_days

from ..forms.profile import QuickResidentForm
from ..forms.requests import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    DutyForm,
    HandlingForm,
    ReceptionForm,
    RequestFilterForm,
    SuggestionAdvanceForm,
    SuggestionFilterForm,
    SuggestionForm,
)
from ..lists import Column, Sort, StaffList
from .common import add_service_errors, bound, role_required
from .profile import places_of, resident_form_save

DESK = (Role.LIAISON, Role.DEPUTY)


def _station(request):
    station = staff_stations(request.user).first()
    if station is None:
        raise PermissionDenied
    return station


def _reminder(request) -> dict:
    today = timezone.localdate()
    return {"my_shifts": list(my_next_shifts(request.user, today=today)),
            "overdue": request_search(requests_visible_to(request.user), overdue_on=today).count(), "today": today}


# --- requests ------------------------------------------------------------------------------------------------


def _assignee(item: Request) -> str:
    if item.assigned_deputy_id:
        return item.assigned_deputy.name
    user = item.assigned_user
    return (user.get_full_name() or user.username) if user else ""


REQUESTS = StaffList(
    name="requests", title=gettext_lazy("Requests"), filters=RequestFilterForm,
    sorts={"newest": Sort(gettext_lazy("newest first"), ("-received_at", "-id")),
           "oldest": Sort(gettext_lazy("oldest first"), ("received_at", "id")),
           "due": Sort(gettext_lazy("answer due first"), ("answer_due", "received_at", "id")),
           "status": Sort(gettext_lazy("status"), ("status", "-received_at", "-id"))},
    # The name and the masked phone, as the page shows them; never the resident's ID number nor a record's number.
    columns=(Column(gettext_lazy("received at"), lambda r: r.received_at),
             Column(gettext_lazy("name"), lambda r: r.contact_name),
             Column(gettext_lazy("phone"), lambda r: r.phone_masked),
             Column(gettext_lazy("channel"), lambda r: r.get_channel_display()),
             Column(gettext_lazy("kind"), lambda r: r.get_kind_display()),
             Column(gettext_lazy("category"), lambda r: r.get_category_display()),
             Column(gettext_lazy("request"), lambda r: r.text),
             Column(gettext_lazy("status"), lambda r: r.get_status_display()),
             Column(gettext_lazy("assigned to"), _assignee),
             Column(gettext_lazy("answer due"), lambda r: r.answer_due),
             Column(gettext_lazy("resolve due"), lambda r: r.resolve_due),
             Column(gettext_lazy("answered at"), lambda r: r.answered_at),
             Column(gettext_lazy("reply"), lambda r: r.reply),
             Column(gettext_lazy("resolved at"), lambda r: r.resolved_at),
             Column(gettext_lazy("rating"), lambda r: r.rating),
             Column(gettext_lazy("deputy suggestion"), lambda r: r.suggestion.title if r.suggestion_id else "")),
)


@require_GET
@role_required(*DESK)
def requests_page(request):
    today = timezone.localdate()

    def mark_overdue(rows):
        for row in rows:
            row.is_overdue = request_is_overdue(row, today)

    return REQUESTS.respond(request, requests_visible_to(request.user), "web/desk/requests.html", _reminder(request),
                            prepare=mark_overdue)


def _assign_choices(station):
    deputies, staff = station_people(station)
    return {"deputies": deputies, "staff": staff}


@require_http_methods(["GET", "POST"])
@role_required(*DESK)
def request_detail(request, pk: int):
    item = get_object_or_404(requests_visible_to(request.user).prefetch_related("events__actor"), pk=pk)
    people = _assign_choices(item.station)
    forms_ = {
        "classify": ClassifyForm(initial={"category": item.category, "kind": item.kind}),
        "assign": AssignForm(**people),
        "handle": HandlingForm(),
        "answer": AnswerForm(initial={"reply": item.reply}),
    }
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in (*forms_, "resolve") or (step in ("classify", "assign") and not _is_liaison(request.user)):
            raise PermissionDenied
        form = None
        if step != "resolve":
            form = type(forms_[step])(request.POST, **(people if step == "assign" else {}))
            forms_[step] = form
        try:
            if form is not None and not form.is_valid():
                raise ValidationError({})
            data = form.cleaned_data if form is not None else {}
            if step == "classify":
                services.request_classify(request=item, actor=request.user, category=data["category"],
                                          kind=data["kind"])
            elif step == "assign":
                target = data["assignee"]
                deputy = Deputy.objects.filter(pk=target[1:]).first() if target.startswith("d") else None
                user = get_user_model().objects.filter(pk=target[1:]).first() if target.startswith("u") else None
                services.request_assign(request=item, actor=request.user, user=user, deputy=deputy)
            elif step == "handle":
                services.request_record_handling(request=item, actor=request.user, handling=data["handling"])
            elif step == "answer":
                services.request_answer(request=item, actor=request.user, reply=data["reply"])
            else:
                services.request_resolve(request=item, actor=request.user)
        except ValidationError as exc:
            if form is not None and getattr(exc, "error_dict", None):
                add_service_errors(form, exc, {"assignee": "assignee"})
            elif form is None:
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("web:desk-request", pk=item.pk)
    return render(request, "web/desk/request.html", {
        "item": item, "forms": forms_, "is_liaison": _is_liaison(request.user),
        "overdue": request_is_overdue(item, timezone.localdate())}, status=status)


def _is_liaison(user) -> bool:
    return has_role(user, Role.LIAISON)


# --- suggestions ---------------------------------------------------------------------------------------------


SUGGESTIONS = StaffList(
    name="suggestions", title=gettext_lazy("Deputy suggestions"), filters=SuggestionFilterForm,
    sorts={"newest": Sort(gettext_lazy("newest first"), ("-created_at", "-id")),
           "oldest": Sort(gettext_lazy("oldest first"), ("created_at", "id")),
           "status": Sort(gettext_lazy("status"), ("status", "-created_at", "-id")),
           "deputy": Sort(gettext_lazy("deputy"), ("deputy__name", "-created_at", "-id"))},
    # The requests behind a suggestion are counted, not named: their people stay on the requests' pages.
    columns=(Column(gettext_lazy("title"), lambda s: s.title), Column(gettext_lazy("deputy"), lambda s: s.deputy.name),
             Column(gettext_lazy("status"), lambda s: s.get_status_display()),
             Column(gettext_lazy("raised at"), lambda s: s.created_at),
             Column(gettext_lazy("addressed to"), lambda s: s.addressed_to),
             Column(gettext_lazy("requests"), lambda s: s.request_count),
             Column(gettext_lazy("text"), lambda s: s.body),
             Column(gettext_lazy("submitted on"), lambda s: s.submitted_on),
             Column(gettext_lazy("answered on"), lambda s: s.answered_on),
             Column(gettext_lazy("response"), lambda s: s.response)),
)


@require_http_methods(["GET", "POST"])
@role_required(*DESK)
def suggestions_page(request):
    deputy = Deputy.objects.filter(user=request.user).first()
    candidates = requests_visible_to(request.user).filter(suggestion__isnull=True).order_by("-received_at")[:100]
    form = SuggestionForm(*bound(request), requests=requests_visible_to(request.user).filter(suggestion__isnull=True))
    failed = False
    if request.method == "POST":
        if deputy is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.suggestion_raise(deputy=deputy, requests=form.cleaned_data["requests"],
                                          title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                                          addressed_to=form.cleaned_data["addressed_to"], actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Suggestion raised."))
                return redirect("web:desk-suggestions")
        failed = True
    rows = suggestions_visible_to(request.user).annotate(request_count=Count("requests"))
    response = SUGGESTIONS.respond(request, rows, "web/desk/suggestions.html", {
        "form": form, "candidates": candidates, "is_deputy": deputy is not None, "advance": SuggestionAdvanceForm()})
    if failed:
        response.status_code = 400
    return response


@require_POST
@role_required(Role.DEPUTY)
def suggestion_advance(request, pk: int):
    suggestion = get_object_or_404(suggestions_visible_to(request.user), pk=pk)
    if not request.user.is_superuser and suggestion.deputy.user_id != request.user.pk:
        raise PermissionDenied
    form = SuggestionAdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_advance(suggestion=suggestion, status=form.cleaned_data["status"],
                                        response=form.cleaned_data["response"],
                                        addressed_to=form.cleaned_data["addressed_to"] or None)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("web:desk-suggestions")


# --- duty rota -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*DESK)
def rota(request):
    station = _station(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        dt.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    deputies, staff = station_people(station)
    form = DutyForm(*bound(request), deputies=deputies, staff=staff)
    status = 200
    if request.method == "POST":
        if request.POST.get("swap") or request.POST.get("remove"):
            return _rota_change(request, station)
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.duty_shift_add(
                    station=station, day=form.cleaned_data["day"],
                    deputy=deputies.filter(pk=person[1:]).first() if person.startswith("d") else None,
                    staff=next((u for u in staff if f"u{u.pk}" == person), None))
            except ValidationError as exc:
                add_service_errors(form, exc, {"deputy": "person", "staff": "person"})
            else:
                messages.success(request, _("Put on duty."))
                return redirect(f"{request.path}?year={year}&month={month}")
        status = 400
    first = dt.date(year, month, 1)
    previous = first - dt.timedelta(days=1)
    following = first + dt.timedelta(days=32)
    return render(request, "web/desk/rota.html", {
        "station": station, "days": rota_month(station, year, month), "form": form, "year": year, "month": month,
        "previous": previous, "following": following, **_reminder(request)}, status=status)


def _rota_change(request, station):
    shifts = DutyShift.objects.filter(station=station)
    try:
        if request.POST.get("remove"):
            services.duty_shift_remove(shift=get_object_or_404(shifts, pk=int(request.POST["remove"])))
        else:
            first = get_object_or_404(shifts, pk=int(request.POST["swap"]))
            second = get_object_or_404(shifts, pk=int(request.POST.get("with", "0") or 0))
            services.duty_swap(shift=first, other=second)
        messages.success(request, _("Saved."))
    except (ValueError, OverflowError):
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    return redirect(request.get_full_path())


# --- reception -----------------------------------------------------------------------------------------------


REGISTER_STEP = "register"


@require_http_methods(["GET", "POST"])
@role_required(*DESK)
def reception(request):
    """Tablet-sized: find or register the resident, say what they asked, save; a job request shows the top matches
    and the slip to print."""
    station = _station(request)
    today = timezone.localdate()
    receivable = reception_residents(request.user)
    text = request.GET.get("q", "").strip()[:40]
    found = resident_find(receivable, text) if text else []
    resident = None
    if request.GET.get("resident", "").isdigit():
        resident = receivable.filter(pk=int(request.GET["resident"])).first()
    registering = request.method == "POST" and request.POST.get("step") == REGISTER_STEP
    form = ReceptionForm(*(bound(request) if not registering else ()))
    register = QuickResidentForm(*(bound(request) if registering else ()),
                                 households=reception_households(request.user), places=places_of(request.user),
                                 initial={"name": text} if text and not text.isascii() else None)
    already = None
    status = 200
    if registering:
        made, already = _quick_register(request, register)
        if made is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": made.name})
            return redirect(f"{request.path}?resident={made.pk}")
        if already is not None:
            # Offered instead: the form starts again without the ID number and phone that were typed.
            register = QuickResidentForm(households=register.households, places=places_of(request.user),
                                         initial={k: register.cleaned_data.get(k) for k in ("household_number", "name")})
        status = 409 if already is not None else 400
    elif request.method == "POST":
        resident = receivable.filter(pk=request.POST.get("resident", "0") or 0).first() \
            if str(request.POST.get("resident", "")).isdigit() else None
        if resident is None:
            raise Http404
        if form.is_valid():
            try:
                topic = form.cleaned_data["topic"]
                made = services.reception_record(
                    station=station, resident=resident, topic=topic, received_by=request.user,
                    note=form.cleaned_data["note"], job_profile=form.job_profile() if topic == "job" else None)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect(f"{request.path}?done={made.pk}")
        status = 400
    done = None
    matches = []
    if request.GET.get("done", "").isdigit():
        done = receptions_of_day(station, today).filter(pk=int(request.GET["done"])).first() or \
            station.receptions.filter(pk=int(request.GET["done"])).select_related("resident", "request").first()
        if done is not None and done.topic == "job":
            matches = [for_resident(m) for m in matches_for_resident(done.resident, limit=5)]
    return render(request, "web/desk/reception.html", {
        "station": station, "text": text, "found": found, "resident": resident, "form": form, "done": done,
        "register": register, "already": already,
        "show_register": registering or bool(text and not found and resident is None),
        "matches": matches, "today_log": receptions_of_day(station, today), "market_day": is_market_day(today),
        "next_market_day": next_market_days(today, 1)[0], **_reminder(request)}, status=status)


def _quick_register(request, form: QuickResidentForm):
    """(the new resident, None) when registered; (None, the resident already registered with this ID number)
    when the desk may receive them, to continue with instead of a duplicate; (None, None) with the errors on
    the form otherwise."""
    if not form.is_valid():
        return None, None
    existing = resident_by_id_number(form.cleaned_data["id_number"])
    if existing is not None:
        receivable = reception_residents(request.user).filter(pk=existing.pk).first()
        if receivable is None:
            form.add_error("id_number", _("A resident with this ID number is registered at another station."))
        return None, receivable
    return resident_form_save(form, None), None


@require_GET
@role_required(*DESK)
def reception_slip(request, pk: int):
    """The A5 slip as a PDF to print and hand over."""
    station = _station(request)
    item = get_object_or_404(station.receptions.select_related("resident__household__site"), pk=pk)
    if not reception_residents(request.user).filter(pk=item.resident_id).exists():
        raise Http404
    pdf = slip_pdf(slip_for(item.resident, station, today=timezone.localdate()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{item.pk}.pdf"'
    return response

