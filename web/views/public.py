"""The public station page at `/` for visitors without a login (phone-first): deputies, hours, who is on duty on
the next market days, open jobs (home-based first) with search, sessions with seats, and a form that turns
interest into a request. No resident data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.http import PublicRequestThrottle, PublicTrackThrottle, client_ip
from jobs.models import JobPosting
from receptions.models import Request
from receptions.selectors import (
    public_posting_filters,
    public_postings,
    public_sessions,
    public_station,
    request_tracked,
    station_card,
    tracked_request_card,
    wage_text,
)
from receptions.services import duplicate_of_recent, request_rate, request_submit
from receptions.tracking import tracking_code_new
from taxonomy.models import Place

from ..forms.requests import PublicRequestForm, RateForm, TrackForm
from .common import add_service_errors, paginate, query_without_page

POSTINGS_PER_PAGE = 10
TRACKING_CODE_KEY = "public_tracking_code"


def home(request):
    """The station's public page."""
    today = timezone.localdate()
    station = public_station()
    filters, errors = public_posting_filters(request.GET)
    postings = public_postings(today=today, **filters.as_kwargs()) if not errors else JobPosting.objects.none()
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
            if data["website"]:
                return _thanked(request, tracking_code_new())  # a code like any other, which finds nothing
            if duplicate_of_recent(phone=data["phone"], text=data["text"]):
                return _thanked(request, None)
            try:
                created = request_submit(station=station, text=data["text"], channel=Request.Channel.PUBLIC,
                               contact_name=data["name"], phone=data["phone"], category=data["category"],
                               ip_address=client_ip(request), posting_id=data.get("posting"),
                               session_id=data.get("session"))
            except ValidationError as exc:
                add_service_errors(form, exc, {"contact_name": "name"})
            else:
                messages.success(request, _("Received. The station will answer you within a week."))
                return _thanked(request, created.tracking_code)
        if form.errors and status == 200:
            status = 400
    return render(request, "web/public/request.html", {"form": form, "station": station, "topic": topic},
                  status=status)


def _thanked(request, code: str | None):
    """To the thanks page, which shows the tracking code once (kept in the session until then; None: this text
    from this number was received already, under the code shown then)."""
    request.session[TRACKING_CODE_KEY] = code or ""
    return redirect("web:public-thanks")


def thanks(request):
    code = request.session.pop(TRACKING_CODE_KEY, None)
    response = render(request, "web/public/thanks.html", {"station": public_station(), "tracking_code": code,
                                                          "already_received": code == ""})
    response["Cache-Control"] = "no-store"  # the code is shown once: no cache keeps it
    return response


@require_http_methods(["GET", "POST"])
def track(request):
    """Read back a request sent from the public page, with its tracking code and the mobile number (or its last
    four digits), and rate the reply once. POST only for the look-up: the code stays out of addresses and logs."""
    form = TrackForm(request.POST or None)
    rate_form = RateForm(request.POST if "rating" in request.POST else None)
    card, status = None, 200
    if request.method == "POST":
        if not PublicTrackThrottle().allow_request(request, None):
            form.add_error(None, _("Too many look-ups from this connection. Please try again in an hour, or call "
                                   "the station."))
            status = 429
        elif form.is_valid():
            found = request_tracked(code=form.cleaned_data["code"], phone=form.cleaned_data["phone"])
            if found is None:
                form.add_error("code", _("No request has this code with this phone number."))
            elif rate_form.is_bound and rate_form.is_valid():
                try:
                    found = request_rate(request=found, actor=None, rating=rate_form.cleaned_data["rating"],
                                         comment=rate_form.cleaned_data["comment"])
                except ValidationError as exc:
                    add_service_errors(rate_form, exc, {"status": "rating"})
                else:
                    messages.success(request, _("Thank you for rating the reply."))
            if found is not None:
                card = tracked_request_card(found)
        if status == 200 and (form.errors or rate_form.errors):
            status = 400
    response = render(request, "web/public/track.html", {
        "station": public_station(), "form": form, "rate_form": rate_form if rate_form.is_bound else RateForm(),
        "card": card}, status=status)
    response["Cache-Control"] = "no-store"
    return response
