"""The station dashboard: the figures of a scope and period, monthly charts, the records behind
each figure, and the report as Excel or CSV.

Deputies and liaison staff see their own station and its rooms; the bureau and admins the county,
every station and every room. A scope a user may not pick is a form error on the page and a 404
on the chart, record and download addresses.
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.roles import Role
from jobs.models import JobPosting
from matching.models import FollowUp, Placement, Recommendation
from residents.models import Household, Resident
from stations.charts import monthly_trend, trend_chart, zero_employment_chart
from stations.report import figure_csv, record_table, report_csv, report_sentence, report_workbook
from stations.statistics import FIGURE_LABELS, Figure, Statistics, figure_records, statistics_for
from training.models import Enrollment, TrainingSession

from ..forms.dashboard import DashboardForm
from ..selectors import ScopeChoice, dashboard_scopes
from .common import paginate, query_without_page, role_required

dashboard_roles = role_required(Role.DEPUTY, Role.LIAISON, Role.BUREAU)
CHART_KINDS = ("trend", "zero")
CHART_CACHE_SECONDS = 600
RECORDS_PER_PAGE = 50
FIGURE_KEYS = frozenset(f.value for f in Figure)


def _form(request, data) -> tuple[DashboardForm, dict[str, ScopeChoice]]:
    choices = dashboard_scopes(request.user, county_label=_("Whole county"))
    if not choices:
        raise PermissionDenied
    today = timezone.localdate()
    if not data:  # the defaults, shown in the pickers: this month at the first scope
        data = {"scope": choices[0].key, "period": "month", "year": today.year, "month": today.month}
    form = DashboardForm(data, scope_choices=[(c.key, c.label) for c in choices], today=today)
    return form, {c.key: c for c in choices}


def _strict(request):
    """Scope and period of a chart, record or download address: anything not allowed is a 404."""
    form, choices = _form(request, request.GET)
    if not form.is_valid():
        raise Http404
    return form, choices[form.cleaned_data["scope"]].build(), form.built_period()


@require_GET
@dashboard_roles
def dashboard(request):
    form, choices = _form(request, request.GET)
    used = form
    if not form.is_valid():  # show the errors, and the default figures meanwhile
        used, _choices = _form(request, {})
        used.is_valid()
    choice = choices[used.cleaned_data["scope"]]
    scope, period = choice.build(), used.built_period()
    stats = statistics_for(scope, period)
    query = used.query()
    figures = [
        {"key": str(f), "label": FIGURE_LABELS[f], "value": stats.values[str(f)]}
        for f in Figure
    ]
    return render(request, "web/dashboard/dashboard.html", {
        "form": form,
        "scope_choices": list(choices.values()),
        "choice": choice,
        "stats": stats,
        "period": period,
        "figures": figures,
        "sentence": report_sentence(stats),
        "query": urlencode(query),
        "rate": stats.employment_rate,
    })


def _data_signature() -> str:
    """Changes whenever the records behind the figures change (new rows, moves, ends, answers, cancellations)."""
    parts = [
        JobPosting.objects.aggregate(n=Count("id"), t=Max("updated_at")),
        Recommendation.objects.aggregate(n=Count("id"), t=Max("updated_at")),
        Placement.objects.aggregate(n=Count("id"), m=Max("id"), e=Count("id", filter=Q(status="ended"))),
        FollowUp.objects.aggregate(n=Count("done_at"), t=Max("done_at")),
        TrainingSession.objects.aggregate(n=Count("id"), t=Max("updated_at")),
        Enrollment.objects.aggregate(n=Count("id"), t=Max("updated_at")),
        Household.objects.aggregate(n=Count("id"), t=Max("updated_at")),
        Resident.objects.aggregate(n=Count("id"), t=Max("updated_at")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


# Matplotlib's settings are global to the process: draw one chart at a time.
_drawing = threading.Lock()


@require_GET
@dashboard_roles
def chart(request, kind: str):
    """A PNG chart of the 12 months up to the period's end; cached until the records change."""
    if kind not in CHART_KINDS:
        raise Http404
    _form_, scope, period = _strict(request)
    end = min(period.end, timezone.localdate())
    trend_key = ":".join(["web-trend", scope.kind, str(scope.station_id), str(scope.room_id), end.isoformat(),
                          _data_signature()])
    key = f"{trend_key}:{kind}:{translation.get_language() or ''}"
    png = cache.get(key)
    if png is None:
        with _drawing:
            png = cache.get(key)
            if png is None:
                trend = cache.get(trend_key)
                if trend is None:
                    trend = monthly_trend(scope, end)
                    cache.set(trend_key, trend, CHART_CACHE_SECONDS)
                if kind == "trend":
                    title = _("Recommended, placed and trained per month — %(scope)s") % {"scope": scope.name}
                    png = trend_chart(trend, title)
                else:
                    title = _("Households with nobody in work, at month end — %(scope)s") % {"scope": scope.name}
                    png = zero_employment_chart(trend, title)
                cache.set(key, png, CHART_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@dashboard_roles
def figure_records_page(request, figure: str):
    """The records one figure counts (personal data masked), a page at a time."""
    if figure not in FIGURE_KEYS:
        raise Http404
    figure = Figure(figure)
    form, scope, period = _strict(request)
    page = paginate(request, figure_records(figure, scope, period), RECORDS_PER_PAGE)
    head, rows = record_table(figure, page.object_list)
    return render(request, "web/dashboard/records.html", {
        "figure": str(figure), "label": FIGURE_LABELS[figure], "scope": scope, "period": period,
        "head": head, "rows": rows, "page": page, "query": urlencode(form.query()),
        "page_query": query_without_page(request),
    })


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(scope, period, suffix: str) -> str:
    return f"lianxin-{scope.kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{suffix}"


@require_GET
@dashboard_roles
def report_xlsx(request):
    """The workbook of a scope and period (summary and one sheet of records per figure); cached until the
    records change, since writing a few thousand rows takes a while."""
    _form_, scope, period = _strict(request)
    key = ":".join(["web-report", scope.kind, str(scope.station_id), str(scope.room_id), period.start.isoformat(),
                    period.end.isoformat(), str(timezone.localdate()), translation.get_language() or "",
                    _data_signature()])
    content = cache.get(key)
    if content is None:
        content = report_workbook(statistics_for(scope, period))
        cache.set(key, content, CHART_CACHE_SECONDS)
    return _download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _filename(scope, period, "xlsx"))


@require_GET
@dashboard_roles
def report_csv_view(request):
    _form_, scope, period = _strict(request)
    return _download(report_csv(statistics_for(scope, period)), "text/csv; charset=utf-8",
                     _filename(scope, period, "csv"))


@require_GET
@dashboard_roles
def figure_csv_view(request, figure: str):
    if figure not in FIGURE_KEYS:
        raise Http404
    _form_, scope, period = _strict(request)
    content = figure_csv(Figure(figure), Statistics(scope=scope, period=period))
    return _download(content, "text/csv; charset=utf-8", _filename(scope, period, f"{figure}.csv"))
