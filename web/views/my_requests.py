"""A resident's own requests (诉求) on their phone: send one, see where it stands and the reply, rate the reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from receptions.models import Request
from receptions.selectors import requests_visible_to
from receptions.services import request_rate, request_submit
from residents.models import Resident
from stations.models import LiaisonStation
from stations.selectors import station_place_ids

from ..forms.requests import MyRequestForm, RateForm
from .common import add_service_errors, bound, resident_required


def _station_of(resident: Resident) -> LiaisonStation | None:
    for station in LiaisonStation.objects.order_by("id"):
        if resident.household.site_id in station_place_ids(station):
            return station
    return None


@require_http_methods(["GET", "POST"])
@resident_required
def my_requests(request, resident: Resident):
    form = MyRequestForm(*bound(request))
    status = 200
    if request.method == "POST":
        station = _station_of(resident)
        if form.is_valid() and station is not None:
            try:
                request_submit(station=station, text=form.cleaned_data["text"], channel=Request.Channel.RESIDENT,
                               resident=resident, category=form.cleaned_data["category"],
                               kind=form.cleaned_data["kind"], submitted_by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Sent. The station will answer you within a week."))
                return redirect("web:resident-requests")
        elif station is None:
            form.add_error(None, _("Your home is not served by a liaison station yet."))
        status = 400
    rows = requests_visible_to(request.user).order_by("-received_at")
    return render(request, "web/resident/requests.html", {"me": resident, "form": form, "rows": rows,
                                                          "rate_form": RateForm()}, status=status)


@require_POST
@resident_required
def rate(request, resident: Resident, pk: int):
    item = get_object_or_404(requests_visible_to(request.user), pk=pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            request_rate(request=item, actor=request.user, rating=form.cleaned_data["rating"],
                         comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("Thank you for rating the reply."))
    else:
        messages.error(request, _("Give 1 to 5 stars."))
    return redirect("web:resident-requests")
