"""The station's figures for a scope and period, the records behind each, the report and charts.

Deputies and liaison staff read their own station (and its rooms); bureau staff and admins any
station, room or the whole county.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from config.roles import Role, has_role
from stations.charts import trend_chart, trend_for, zero_employment_chart
from stations.models import LiaisonRoom, LiaisonStation
from stations.report import record_table, report_csv, report_sentence, report_workbook
from stations.selectors import user_stations
from stations.statistics import FIGURE_LABELS, Figure, Period, Scope, figure_records, statistics_for

from .mixins import ApiViewMixin
from .serializers import MAX_ID

READERS = (Role.BUREAU, Role.LIAISON, Role.DEPUTY)
MAX_RANGE_DAYS = 3 * 366

PARAMETERS = [
    OpenApiParameter("scope", OpenApiTypes.STR, enum=["county", "station", "room"]),
    OpenApiParameter("id", OpenApiTypes.INT, description=str(_("Station or room id."))),
    OpenApiParameter("period", OpenApiTypes.STR, enum=["month", "quarter", "year", "range"]),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("month", OpenApiTypes.INT),
    OpenApiParameter("quarter", OpenApiTypes.INT),
    OpenApiParameter("start", OpenApiTypes.DATE),
    OpenApiParameter("end", OpenApiTypes.DATE),
]


def _int(params, name, low, high, errors) -> int | None:
    raw = params.get(name)
    try:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError
        return value
    except (TypeError, ValueError):
        errors[name] = [_("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
        return None


MIN_YEAR, MAX_YEAR = 2000, 2100  # the years a period may fall in (the workbook writes real dates)


def parse_period(params) -> Period:
    today = timezone.localdate()
    kind = params.get("period", "month")
    errors: dict[str, list] = {}
    if kind == "range":
        try:
            start = dt.date.fromisoformat(params.get("start", ""))
            end = dt.date.fromisoformat(params.get("end", ""))
        except ValueError:
            raise serializers.ValidationError({"start": [_("Give start and end as dates like 2026-10-01.")]}) from None
        if not (MIN_YEAR <= start.year and end.year <= MAX_YEAR):
            raise serializers.ValidationError({"start": [_("Give dates from %(low)s to %(high)s.") % {
                "low": MIN_YEAR, "high": MAX_YEAR}]})
        if end < start:
            raise serializers.ValidationError({"end": [_("The end date cannot be before the start date.")]})
        if (end - start).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError({"end": [_("A range can cover at most three years.")]})
        return Period(start, end)
    year = _int(params, "year", MIN_YEAR, MAX_YEAR, errors) if "year" in params else today.year
    if kind == "month":
        month = _int(params, "month", 1, 12, errors) if "month" in params else today.month
        if not errors:
            return Period.month(year, month)
    elif kind == "quarter":
        quarter = _int(params, "quarter", 1, 4, errors) if "quarter" in params else (today.month - 1) // 3 + 1
        if not errors:
            return Period.quarter(year, quarter)
    elif kind == "year":
        if not errors:
            return Period.year(year)
    else:
        errors["period"] = [_("One of month, quarter, year or range.")]
    raise serializers.ValidationError(errors)


def resolve_scope(user, params) -> Scope:
    """The scope asked for, if the user may read it (404 otherwise, so nothing leaks)."""
    kind = params.get("scope", "station")
    county_reader = user.is_superuser or has_role(user, Role.BUREAU)
    raw_id = params.get("id")
    if kind == "county":
        if not county_reader:
            raise NotFound
        return Scope.county()
    if kind not in ("station", "room"):
        raise serializers.ValidationError({"scope": [_("One of county, station or room.")]})
    stations = LiaisonStation.objects.all() if county_reader else user_stations(user)
    if raw_id is None:
        station = stations.order_by("id").first()
        if station is None or kind == "room":
            raise serializers.ValidationError({"id": [_("Say which station or room.")]})
        return Scope.for_station(station)
    if not str(raw_id).isdigit() or int(raw_id) > MAX_ID:
        raise serializers.ValidationError({"id": [_("A station or room id.")]})
    if kind == "station":
        station = stations.filter(pk=int(raw_id)).first()
        if station is None:
            raise NotFound
        return Scope.for_station(station)
    room = LiaisonRoom.objects.filter(pk=int(raw_id), station__in=stations).first()
    if room is None:
        raise NotFound
    return Scope.for_room(room)


STATS_OUT = inline_serializer("Statistics", {
    "scope": serializers.DictField(), "period": serializers.DictField(), "figures": serializers.ListField(),
    "sentence": serializers.CharField(),
    "interests": serializers.IntegerField(
        help_text=_("Jobs residents said “I want to try this” about in the period (not taken back).")),
})


RECEPTION_FIGURES = (Figure.RECEPTIONS, Figure.PEOPLE_RECEIVED, Figure.DEPUTY_ATTENDANCE, Figure.REQUESTS_RECEIVED,
                     Figure.REQUESTS_ANSWERED, Figure.REQUESTS_RESOLVED, Figure.OPINIONS, Figure.SUGGESTIONS)


class StatisticsView(ApiViewMixin, APIView):
    """Every figure of a scope and period, computed from the records at this moment."""

    read_roles = READERS

    @extend_schema(parameters=PARAMETERS, responses=STATS_OUT)
    def get(self, request):
        scope, period = resolve_scope(request.user, request.query_params), parse_period(request.query_params)
        stats = statistics_for(scope, period)
        rate = stats.employment_rate
        return Response({
            "scope": {"kind": scope.kind, "name": scope.name, "station": scope.station_id, "room": scope.room_id},
            "period": {"start": period.start, "end": period.end},
            "figures": [{"name": str(f), "label": str(FIGURE_LABELS[f]), "value": stats.values[f]} for f in Figure],
            "zero_employment_at_start": stats.zero_employment_at_start,
            "zero_employment_change": stats.zero_employment_change,
            "employment_rate": None if rate is None else round(rate, 4),
            "sentence": report_sentence(stats),
            # The station's reception and request figures by name, as its report counts them.
            **{str(f): stats.values[f] for f in RECEPTION_FIGURES},
            "median_hours_to_answer": stats.values.get("median_hours_to_answer"),
            # Jobs residents said "我想试试这个" about in the period (not taken back).
            "interests": stats.values[Figure.INTERESTS],
        })


class StatisticsRecordsView(ApiViewMixin, APIView):
    """The records behind one figure (personal data masked)."""

    read_roles = READERS

    @extend_schema(parameters=[*PARAMETERS, OpenApiParameter("figure", OpenApiTypes.STR, enum=[str(f) for f in Figure])],
                   responses=inline_serializer("FigureRecords", {"columns": serializers.ListField(),
                                                                 "rows": serializers.ListField()}))
    def get(self, request):
        figure = request.query_params.get("figure")
        if figure not in Figure.__members__.values():
            raise serializers.ValidationError({"figure": [_("Unknown figure.")]})
        scope, period = resolve_scope(request.user, request.query_params), parse_period(request.query_params)
        columns, rows = record_table(Figure(figure), figure_records(figure, scope, period)[:5000])
        return Response({"figure": figure, "label": str(FIGURE_LABELS[Figure(figure)]), "columns": columns,
                         "rows": rows, "count": len(rows)})


class StatisticsReportView(ApiViewMixin, APIView):
    """The report as an Excel workbook (a sheet per figure with its records) or CSV of the figures."""

    read_roles = READERS

    @extend_schema(parameters=[*PARAMETERS, OpenApiParameter("file", OpenApiTypes.STR, enum=["xlsx", "csv"])],
                   responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiTypes.BINARY,
                              (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        kind = request.query_params.get("file", "xlsx")  # not `format`: DRF reserves it for renderers
        if kind not in ("xlsx", "csv"):
            raise serializers.ValidationError({"file": [_("xlsx or csv.")]})
        scope, period = resolve_scope(request.user, request.query_params), parse_period(request.query_params)
        stats = statistics_for(scope, period)
        name = f"lianxin-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{kind}"
        if kind == "xlsx":
            response = HttpResponse(
                report_workbook(stats),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(report_csv(stats), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class StatisticsChartView(ApiViewMixin, APIView):
    """PNG charts of the last twelve months up to the period's end: `trend` or `zero-employment`."""

    read_roles = READERS

    @extend_schema(parameters=PARAMETERS, responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request, chart):
        scope, period = resolve_scope(request.user, request.query_params), parse_period(request.query_params)
        trend = trend_for(scope, min(period.end, timezone.localdate()))
        if chart == "trend":
            png = trend_chart(trend, str(_("%(scope)s: monthly trend") % {"scope": scope.name}))
        else:
            png = zero_employment_chart(trend, str(_("%(scope)s: zero-employment households") % {"scope": scope.name}))
        return HttpResponse(png, content_type="image/png")
