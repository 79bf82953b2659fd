"""The follow-up desk: what is overdue, due this week and coming, per station and per worker; one-step answers
to scheduled checks, unscheduled calls, and a printable call list for the day.

A follow-up belongs to the worker who recorded the hire. Every resident comes through the user's scope, so
another station's follow-up is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from config.roles import Role
from matching.models import FollowUpCall, Placement
from matching.services import followup_call_record
from stations.models import LiaisonStation
from stations.selectors import station_place_ids, user_stations

from ..forms.liaison import FollowUpCallForm, FollowUpFilterForm
from ..lists import Column, Sort, StaffList
from ..selectors import (
    Bucket,
    followup_bucket,
    followups_by_station,
    followups_by_worker,
    followups_open,
)
from .common import add_service_errors, role_required, safe_next, visible_residents

liaison_only = role_required(Role.LIAISON)

BUCKET_LABELS = {Bucket.OVERDUE: gettext_lazy("Overdue"), Bucket.THIS_WEEK: gettext_lazy("Due this week"),
                 Bucket.COMING: gettext_lazy("Coming (next two months)")}
# The desk's rows as the desk shows them (soonest first, under its filters), with the phone masked as on the page.
FOLLOWUPS = StaffList(
    name="followups", title=gettext_lazy("Follow-ups"), sorts={"due": Sort(gettext_lazy("due first"), ())},
    columns=(Column(gettext_lazy("due on"), lambda r: r.due_date),
             Column(gettext_lazy("status"), lambda r: str(BUCKET_LABELS[r.bucket])),
             Column(gettext_lazy("resident"), lambda r: r.placement.resident.name),
             Column(gettext_lazy("phone"), lambda r: r.placement.resident.phone_masked or ""),
             Column(gettext_lazy("site"), lambda r: r.placement.resident.household.site.name),
             Column(gettext_lazy("job"), lambda r: r.placement.posting.title),
             Column(gettext_lazy("employer"), lambda r: r.placement.posting.employer.name),
             Column(gettext_lazy("started work on"), lambda r: r.placement.start_date),
             Column(gettext_lazy("hire recorded by"),
                    lambda r: r.placement.recorded_by.get_full_name() or r.placement.recorded_by.username),
             Column(gettext_lazy("calls tried"), lambda r: r.attempts),
             Column(gettext_lazy("last call"), lambda r: r.last_call)),
)


def _stations(request: HttpRequest) -> list[LiaisonStation]:
    stations = LiaisonStation.objects.all() if request.user.is_superuser else user_stations(request.user)
    return list(stations.order_by("name"))


def _desk(request: HttpRequest, *, forms: dict | None = None) -> dict:
    """Everything the desk and the call list show, for the filters in the query string."""
    today = timezone.localdate()
    residents = visible_residents(request)
    stations = _stations(request)
    workers = followups_by_worker(residents=residents, today=today)
    filters = FollowUpFilterForm(request.GET or None, workers=[(w["worker_id"], w["name"]) for w in workers],
                                 stations=[(s.pk, s.name) for s in stations])
    chosen = filters.cleaned_data if filters.is_valid() else {}
    station_id = chosen.get("station")
    by_station = followups_by_station(stations=stations, residents=residents, today=today) if len(stations) > 1 else []
    if station_id:
        station = next(s for s in stations if s.pk == station_id)
        residents = residents.filter(household__site_id__in=station_place_ids(station))
        workers = followups_by_worker(residents=residents, today=today)
    forms = forms or {}
    buckets = {Bucket.OVERDUE: [], Bucket.THIS_WEEK: [], Bucket.COMING: []}
    for row in followups_open(residents=residents, today=today, worker_id=chosen.get("worker")):
        row.bucket = followup_bucket(row.due_date, today)
        row.is_due = row.due_date <= today
        row.form = forms.get(row.pk) or FollowUpCallForm(prefix=f"f{row.pk}")
        buckets[row.bucket].append(row)
    return {"today": today, "filters": filters, "workers": workers, "by_station": by_station,
            "overdue": buckets[Bucket.OVERDUE], "this_week": buckets[Bucket.THIS_WEEK],
            "coming": buckets[Bucket.COMING], "query": request.GET.urlencode()}


@require_GET
@liaison_only
def followups(request):
    """The follow-up desk; `?export=xlsx` gives its rows as a spreadsheet."""
    context = _desk(request)
    export = request.GET.get("export")
    if export == "xlsx":
        return FOLLOWUPS.export(request, context["overdue"] + context["this_week"] + context["coming"])
    context["rows"] = context["overdue"] + context["this_week"]
    if export:
        messages.error(request, _("Export: the only format is Excel (xlsx)."))
        return render(request, "web/followups/desk.html", context, status=400)
    # The rows a worker can act on now, for the tests and the count in the title.
    return render(request, "web/followups/desk.html", context)


@require_GET
@liaison_only
def call_list(request):
    """Today's call list, to print on A4: overdue and due today, with room to write the answer by hand."""
    context = _desk(request)
    today = context["today"]
    context["calls"] = context["overdue"] + [row for row in context["this_week"] if row.due_date == today]
    return render(request, "web/followups/call_list.html", context)


def _record(request, *, placement: Placement, follow_up=None, prefix: str):
    form = FollowUpCallForm(request.POST, prefix=prefix)
    call = None
    if form.is_valid():
        try:
            call = followup_call_record(
                placement=placement, follow_up=follow_up, outcome=form.cleaned_data["outcome"],
                end_reason=form.cleaned_data["end_reason"], note=form.cleaned_data["note"],
                called_on=form.cleaned_data["called_on"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc, {"follow_up": "__all__"})
    return form, call


@require_POST
@liaison_only
def followup_record_view(request, pk: int):
    """Answer a scheduled check in one step."""
    today = timezone.localdate()
    follow_up = get_object_or_404(followups_open(residents=visible_residents(request), today=today), pk=pk)
    form, call = _record(request, placement=follow_up.placement, follow_up=follow_up, prefix=f"f{pk}")
    if call is None:
        if request.htmx:
            follow_up.form, follow_up.is_due = form, follow_up.due_date <= today
            follow_up.bucket = followup_bucket(follow_up.due_date, today)
            return render(request, "web/followups/_row.html", {"row": follow_up, "today": today}, status=400)
        return render(request, "web/followups/desk.html", {**_desk(request, forms={pk: form}), "rows": []},
                      status=400)
    if request.htmx:
        return render(request, "web/followups/_done.html", {"row": follow_up, "call": call})
    messages.success(request, _("Follow-up recorded for %(name)s.") % {"name": follow_up.placement.resident.name})
    return redirect("web:liaison-followups")


@require_POST
@liaison_only
def call_record_view(request, pk: int):
    """An unscheduled call about a placement, from the resident's page."""
    placement = get_object_or_404(Placement.objects.filter(resident__in=visible_residents(request))
                                  .select_related("resident", "posting"), pk=pk)
    form, call = _record(request, placement=placement, prefix=f"p{pk}")
    target = safe_next(request, f"/liaison/residents/{placement.resident_id}/")
    if call is None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(target)
    label = FollowUpCall.Outcome(call.outcome).label
    messages.success(request, _("Call recorded for %(name)s: %(outcome)s.") % {"name": placement.resident.name,
                                                                              "outcome": label})
    return redirect(target)
