"""The station's figures counted from receptions, the duty rota, requests and suggestions, registered with
`stations.statistics` (which sits below this app and so cannot import it).

A reception and a request with a resident are attributed to the resident's site, like every other record; a
request from an anonymous visitor to its station only (a station or the county counts it, a room does not).
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import LiaisonStation
from stations.statistics import (
    Figure,
    FigureSource,
    Period,
    Scope,
    _by_end_of,
    _day_start,
    register_extra_value,
    register_figure_source,
)

from .models import DutyShift, Reception, Request, Suggestion


def _in_scope(queryset: QuerySet, scope: Scope, *, place_path: str | None, station_path: str = "station_id") -> QuerySet:
    if scope.kind == "county" or scope.place_ids is None:
        return queryset
    if scope.kind == "station" or place_path is None:
        return queryset.filter(**{station_path: scope.station_id})
    return queryset.filter(**{f"{place_path}__in": scope.place_ids})


def receptions(scope: Scope, period: Period) -> QuerySet[Reception]:
    rows = Reception.objects.filter(day__gte=period.start, day__lte=period.end)
    return _in_scope(rows, scope, place_path="resident__household__site_id").select_related(
        "resident", "resident__household", "received_by", "station")


def reception_days(scope: Scope, period: Period):
    """Receptions held: one a station and market day on which people were received."""
    return receptions(scope, period).order_by().values("station_id", "day").annotate(people=Count("id")).order_by(
        "day", "station_id")


def deputy_attendance(scope: Scope, period: Period) -> QuerySet[DutyShift]:
    """Deputies on duty on a day the station received people (人次: one a deputy and day)."""
    held = Reception.objects.filter(day__gte=period.start, day__lte=period.end)
    shifts = DutyShift.objects.filter(deputy__isnull=False, day__gte=period.start, day__lte=period.end,
                                      day__in=held.values("day"))
    if scope.kind == "room":
        return shifts.filter(deputy__room_id=scope.room_id).select_related("deputy")
    return _in_scope(shifts, scope, place_path=None).select_related("deputy")


def _requests(scope: Scope) -> QuerySet[Request]:
    return _in_scope(Request.objects.all(), scope, place_path="resident__household__site_id").select_related(
        "resident")


def requests_received(scope: Scope, period: Period) -> QuerySet[Request]:
    return _requests(scope).filter(received_at__gte=_day_start(period.start), received_at__lt=_by_end_of(period.end))


def requests_answered(scope: Scope, period: Period) -> QuerySet[Request]:
    return _requests(scope).filter(answered_at__gte=_day_start(period.start), answered_at__lt=_by_end_of(period.end))


def requests_resolved(scope: Scope, period: Period) -> QuerySet[Request]:
    return _requests(scope).filter(resolved_at__gte=_day_start(period.start), resolved_at__lt=_by_end_of(period.end))


def opinions(scope: Scope, period: Period) -> QuerySet[Request]:
    return requests_received(scope, period).filter(kind=Request.Kind.OPINION)


def suggestions(scope: Scope, period: Period) -> QuerySet[Suggestion]:
    rows = Suggestion.objects.filter(created_at__gte=_day_start(period.start), created_at__lt=_by_end_of(period.end))
    if scope.kind == "room":
        rows = rows.filter(Q(deputy__room_id=scope.room_id))
    else:
        rows = _in_scope(rows, scope, place_path=None)
    return rows.select_related("deputy").annotate(request_count=Count("requests"))


def median_hours_to_answer(scope: Scope, period: Period) -> int | None:
    """Median hours from receipt to the first reply, over the requests answered in the period."""
    pairs = requests_answered(scope, period).values_list("received_at", "answered_at")
    hours = [(answered - received).total_seconds() / 3600 for received, answered in pairs]
    return round(pystats.median(hours)) if hours else None


def _date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _reception_table(records) -> tuple[list[str], list[list]]:
    head = [_("id"), _("day"), _("resident"), _("asked about"), _("received by"), _("note")]
    rows = [[r.pk, r.day.isoformat(), r.resident.name, r.get_topic_display(), r.received_by.username, r.note[:60]]
            for r in records]
    return [str(h) for h in head], rows


def _day_table(records) -> tuple[list[str], list[list]]:
    names = {}
    head = [_("day"), _("station"), _("people received")]
    rows = []
    for row in records:
        station_id = row["station_id"]
        if station_id not in names:
            names[station_id] = LiaisonStation.objects.filter(pk=station_id).values_list("name", flat=True).first()
        rows.append([row["day"].isoformat(), names[station_id], row["people"]])
    return [str(h) for h in head], rows


def _shift_table(records) -> tuple[list[str], list[list]]:
    head = [_("id"), _("day"), _("deputy")]
    return [str(h) for h in head], [[s.pk, s.day.isoformat(), s.deputy.name] for s in records]


def _request_table(records) -> tuple[list[str], list[list]]:
    head = [_("id"), _("received at"), _("name"), _("phone"), _("category"), _("status"), _("answered at"),
            _("resolved at")]
    rows = [[r.pk, _date(r.received_at), r.contact_name, r.phone_masked, r.get_category_display(),
             r.get_status_display(), _date(r.answered_at), _date(r.resolved_at)] for r in records]
    return [str(h) for h in head], rows


def _suggestion_table(records) -> tuple[list[str], list[list]]:
    head = [_("id"), _("title"), _("deputy"), _("requests"), _("status"), _("created at")]
    rows = [[s.pk, s.title, s.deputy.name, s.request_count, s.get_status_display(), _date(s.created_at)]
            for s in records]
    return [str(h) for h in head], rows


def register() -> None:
    register_figure_source(Figure.RECEPTIONS, FigureSource(reception_days, _day_table))
    register_figure_source(Figure.PEOPLE_RECEIVED, FigureSource(receptions, _reception_table))
    register_figure_source(Figure.DEPUTY_ATTENDANCE, FigureSource(deputy_attendance, _shift_table))
    register_figure_source(Figure.REQUESTS_RECEIVED, FigureSource(requests_received, _request_table))
    register_figure_source(Figure.REQUESTS_ANSWERED, FigureSource(requests_answered, _request_table))
    register_figure_source(Figure.REQUESTS_RESOLVED, FigureSource(requests_resolved, _request_table))
    register_figure_source(Figure.OPINIONS, FigureSource(opinions, _request_table))
    register_figure_source(Figure.SUGGESTIONS, FigureSource(suggestions, _suggestion_table))
    register_extra_value("median_hours_to_answer", median_hours_to_answer)
