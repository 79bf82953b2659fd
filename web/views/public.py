"""The public station page at `/` for visitors without a login (phone-first): deputies, hours, who is on duty on
the next market days, open jobs (home-based first) with search, sessions with seats, and a form that turns
interest into a request. No resident data."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.http import PublicRequestThrottle, client_ip
from jobs.models import JobPosting
from receptions.models import Request
from receptions.selectors import public_postings, public_sessions, public_station, station_card, wage_text
from receptions.services import duplicate_of_recent, request_submit
from taxonomy.models import Place

from ..forms.requests import PublicRequestForm
from .common import add_service_errors, paginate, query_without_page

POSTINGS_PER_PAGE = 10


def _filters(request) -> tuple[dict, dict]:
    params, errors = request.GET, {}
    place_id = wage = None
    if params.get("place"):
        try:
            place_id = int(params["place"])
            if place_id < 1 or place_id > 2**63 - 1:
                raise ValueError
        except ValueError:
            errors["place"] = _("Choose a place from the list.")
    if params.get("wage"):
        try:
            wage = Decimal(params["wage"])
            if not wage.is_finite() or not 0 <= wage <= 1_000_000:
                raise InvalidOperation
        except InvalidOperation:
            errors["wage"] = _("An amount of yuan, like 3000.")
    work_mode = params.get("work_mode", "")
    if work_mode not in ("", *JobPosting.WorkMode.values):
        errors["work_mode"] = _("Choose a work mode from the list.")
        work_mode = ""
    return {"place_id": place_id, "wage_at_least": wage, "work_mode": work_mode,
            "text": params.get("q", "").strip()[:50]}, errors


def home(request):
    """The station's public page."""
    today = timezone.localdate()
    station = public_station()
    filters, errors = _filters(request)
    postings = public_postings(today=today, **filters) if not errors else JobPosting.objects.none()
    page = paginate(request, postings, POSTINGS_PER_PAGE)
    for posting in page.object_list:
        posting.wage_display = wage_text(posting)
    sessions = list(public_sessions(today=today)[:6])
    return render(request, "web/public/home.html", {
        "station": station,
        "card": station_card(station, today=today) if station else None,
        "page": page,
        "query": query_without_page(request),
        "filters": request.GET,
        "filter_errors": errors,
        "places": Place.objects.filter(
            Q(level=Place.Level.TOWN) | Q(pk__in=public_postings(today=today).values("place_id"))).order_by("code"),
        "work_modes": JobPosting.WorkMode.choices,
        "sessions": sessions,
        "form": PublicRequestForm(),
    }, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def public_request(request):
    """Register interest or ask the station: name, mobile number, what it is about."""
    station = public_station()
    initial = {k: request.GET.get(k) for k in ("posting", "session") if request.GET.get(k, "").isdigit()}
    topic = None
    if initial.get("posting"):
        topic = JobPosting.objects.filter(pk=initial["posting"], status=JobPosting.Status.OPEN).select_related(
            "employer").first()
        initial["text"] = _("I am interested in the job %(title)s at %(employer)s.") % {
            "title": topic.title, "employer": topic.employer.name} if topic else ""
    form = PublicRequestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not PublicRequestThrottle().allow_request(request, None):
            form.add_error(None, _("Too many requests from this connection. Please try again in an hour, or call "
                                   "the station."))
            status = 429
        elif form.is_valid() and station is not None:
            data = form.cleaned_data
            if data["website"] or duplicate_of_recent(phone=data["phone"], text=data["text"]):
                return redirect("web:public-thanks")
            try:
                request_submit(station=station, text=data["text"], channel=Request.Channel.PUBLIC,
                               contact_name=data["name"], phone=data["phone"], category=data["category"],
                               ip_address=client_ip(request), posting_id=data.get("posting"),
                               session_id=data.get("session"))
            except ValidationError as exc:
                add_service_errors(form, exc, {"contact_name": "name"})
            else:
                messages.success(request, _("Received. The station will answer you within a week."))
                return redirect("web:public-thanks")
        if form.errors and status == 200:
            status = 400
    return render(request, "web/public/request.html", {"form": form, "station": station, "topic": topic},
                  status=status)


def thanks(request):
    return render(request, "web/public/thanks.html", {"station": public_station()})
