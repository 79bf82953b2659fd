"""Writes of the stations app: reminders of due follow-ups, monthly snapshots of the figures, and when staff last
looked at their notifications."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import FollowUp

from .models import LiaisonRoom, LiaisonStation, NotificationsSeen, StaffMembership, StatisticsSnapshot
from .selectors import station_place_ids
from .statistics import Period, Scope, statistics_for


@transaction.atomic
def followup_reminders_send(*, today: dt.date | None = None) -> int:
    """Email each station's staff the follow-ups due and not yet done; each follow-up is reminded once."""
    today = today or timezone.localdate()
    due = (
        FollowUp.objects.select_for_update(skip_locked=True)
        .filter(due_date__lte=today, done_at__isnull=True, reminded_at__isnull=True, placement__status="active")
        .select_related("placement__resident__household", "placement__posting")
    )
    due = list(due)
    if not due:
        return 0
    by_station: dict[int, list[FollowUp]] = defaultdict(list)
    for station in LiaisonStation.objects.all():
        places = station_place_ids(station)
        for follow_up in due:
            if follow_up.placement.resident.household.site_id in places:
                by_station[station.pk].append(follow_up)
    for station_id, items in by_station.items():
        recipients = list(
            StaffMembership.objects.filter(station_id=station_id, role=StaffMembership.Role.STAFF)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not recipients:
            continue
        lines = [
            _("%(name)s — %(posting)s: %(months)s-month follow-up due %(date)s")
            % {"name": f.placement.resident.name, "posting": f.placement.posting.title, "months": f.months,
               "date": f.due_date}
            for f in items
        ]
        send_mail(
            subject=_("Lianxin: %(n)s follow-ups due") % {"n": len(items)},
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminded_at=timezone.now())
    return len(due)


def previous_month(today: dt.date) -> Period:
    first = today.replace(day=1)
    last_of_previous = first - dt.timedelta(days=1)
    return Period.month(last_of_previous.year, last_of_previous.month)


@transaction.atomic
def statistics_snapshot_take(*, period: Period) -> int:
    """Store the figures of the county, every station and every room for a period (replacing earlier ones)."""
    scopes: list[tuple[Scope, dict]] = [(Scope.county(), {"scope_kind": "county", "station": None, "room": None})]
    for station in LiaisonStation.objects.all():
        scopes.append((Scope.for_station(station), {"scope_kind": "station", "station": station, "room": None}))
    for room in LiaisonRoom.objects.select_related("station"):
        scopes.append((Scope.for_room(room), {"scope_kind": "room", "station": room.station, "room": room}))
    for scope, keys in scopes:
        stats = statistics_for(scope, period)
        values = {**stats.values, "zero_employment_at_start": stats.zero_employment_at_start}
        StatisticsSnapshot.objects.update_or_create(
            **keys, period_start=period.start, period_end=period.end, defaults={"values": values}
        )
    return len(scopes)


@transaction.atomic
def notifications_mark_seen(*, user, at: dt.datetime | None = None) -> NotificationsSeen:
    """Note that the user has looked at their notifications now: the badge counts what comes after (the cached
    counts are keyed on this moment, so they move with it)."""
    seen, _created = NotificationsSeen.objects.update_or_create(user=user, defaults={"seen_at": at or timezone.now()})
    return seen
