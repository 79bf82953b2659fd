"""What is new for a staff member since they last looked: residents' interests in jobs and follow-ups come due
(liaison staff, for their station's residents) and their own spreadsheet imports finished. The badge in the
navigation reads the counts; opening the notifications marks them seen (`stations.services.notifications_mark_seen`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from config.roles import Role, has_role
from freshness.cache import shared_cached
from freshness.models import Domain
from matching.models import FollowUp, Interest
from matching.selectors import followups_due, interest_list
from residents.models import Resident
from taxonomy.models import ImportJob

from .models import NotificationsSeen
from .selectors import resident_place_scope, residents_in_places

# The cached counts live under the versions of what they count and the places the worker sees (part of the
# key): a day at most, since the key holds the day as well.
NOTIFICATION_CACHE_SECONDS = 24 * 3600
ENDED_IMPORTS = (ImportJob.Status.FINISHED, ImportJob.Status.FAILED)


@dataclass(frozen=True)
class Notifications:
    interests: int = 0
    followups_due: int = 0
    imports_finished: int = 0

    @property
    def total(self) -> int:
        return self.interests + self.followups_due + self.imports_finished


def last_seen(user) -> dt.datetime | None:
    return NotificationsSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()


def new_interests(residents: QuerySet[Resident], since: dt.datetime | None) -> QuerySet[Interest]:
    """Interests of these residents (those the worker sees) expressed after the moment last looked."""
    rows = interest_list(residents=residents)
    return rows if since is None else rows.filter(expressed_at__gt=since)


def new_followups_due(residents: QuerySet[Resident], since: dt.datetime | None, today: dt.date) -> QuerySet[FollowUp]:
    """Follow-ups of these residents' active placements due by today and not done, that came due after the day
    last looked."""
    rows = followups_due(residents=residents, until=today, active_only=True)
    return rows if since is None else rows.filter(due_date__gt=timezone.localdate(since))


def new_imports_finished(user, since: dt.datetime | None) -> QuerySet[ImportJob]:
    rows = ImportJob.objects.filter(created_by=user, status__in=ENDED_IMPORTS).order_by("-finished_at", "-id")
    return rows if since is None else rows.filter(finished_at__gt=since)


def notifications_for(user) -> Notifications:
    """The counts of the badge. Interests and follow-ups are kept in the shared cache under the versions of the
    outcomes and residents (which their writers bump), the places the user sees (a worker moved to another
    station, or a station given another place, reads afresh at once), the day and the moment last looked; the
    user's own imports are one indexed count, read every time (an import that fails bumps no version)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.LIAISON, Role.BUREAU):
        return Notifications()
    since = last_seen(user)
    imports = new_imports_finished(user, since).count()
    if not has_role(user, Role.LIAISON):
        return Notifications(imports_finished=imports)
    today = timezone.localdate()
    scope = resident_place_scope(user)  # read once: part of the key, and what the counts count on a miss
    residents = residents_in_places(scope)

    def count() -> tuple[int, int]:
        return new_interests(residents, since).count(), new_followups_due(residents, since, today).count()

    scope_key = None if scope is None else tuple(sorted(scope))
    interests, due = shared_cached("notifications", domains=(Domain.OUTCOMES, Domain.RESIDENTS),
                                   parts=(user.pk, since, today, scope_key), build=count, timeout=NOTIFICATION_CACHE_SECONDS)
    return Notifications(interests=interests, followups_due=due, imports_finished=imports)
