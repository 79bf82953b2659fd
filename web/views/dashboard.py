"""The station dashboard: the figures of a scope and period, monthly charts, the records behind
each figure, and the report as Excel or CSV.

Deputies and liaison staff see their own station and its rooms; the bureau and admins the county,
every station and every room. A scope a user may not pick is a form error on the page and a 404
on the chart, record and download addresses.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.roles import Role
from freshness.cache import shared_cached
from stations.charts import trend_chart, trend_for, zero_employment_chart
from stations.report import figure_csv, record_table, report_csv, report_sentence, report_workbook
from stations.statistics import (
    FIGURE_LABELS,
    STATISTICS_DOMAINS,
    Figure,
    Statistics,
    figure_records,
    scope_key,
    statistics_for,
)

from ..forms.dashboard import DashboardForm
from ..selectors import ScopeChoice, dashboard_scopes
from .common import paginate, query_without_page, role_required

dashboard_roles = role_required(Role.DEPUTY, Role.LIAISON, Role.BUREAU)
CHART_KINDS = ("trend", "zero")
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


@require_GET
@dashboard_roles
def chart(request, kind: str):
    """A PNG chart of the 12 months up to the period's end; cached until a version of the records moves."""
    if kind not in CHART_KINDS:
        raise Http404
    _form_, scope, period = _strict(request)
    end = min(period.end, timezone.localdate())

    def draw() -> bytes:
        trend = trend_for(scope, end)
        if kind == "trend":
            title = _("Recommended, placed and trained per month — %(scope)s") % {"scope": scope.name}
            return trend_chart(trend, title)
        title = _("Households with nobody in work, at month end — %(scope)s") % {"scope": scope.name}
        return zero_employment_chart(trend, title)

    png = shared_cached("chart", domains=STATISTICS_DOMAINS,
                        parts=(kind, scope_key(scope), end, translation.get_language() or ""), build=draw)
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
    # The figure is the count of these records, and it is cached: the pager need not count them again.
    records = _Counted(figure_records(figure, scope, period), statistics_for(scope, period).values[figure])
    page = paginate(request, records, RECORDS_PER_PAGE)
    head, rows = record_table(figure, page.object_list)
    return render(request, "web/dashboard/records.html", {
        "figure": str(figure), "label": FIGURE_LABELS[figure], "scope": scope, "period": period,
        "head": head, "rows": rows, "page": page, "query": urlencode(form.query()),
        "page_query": query_without_page(request),
    })


class _Counted:
    """A queryset whose length is known already, for the paginator."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __getitem__(self, key):
        return self.queryset[key]


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
    parts = (scope_key(scope), period.start, period.end, timezone.localdate(), translation.get_language() or "")
    content = shared_cached("report-xlsx", domains=STATISTICS_DOMAINS, parts=parts,
                            build=lambda: report_workbook(statistics_for(scope, period)))
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
