"""The liaison station's figures, computed from the records for a scope and a period.

Every record is attributed to a place: a resident by their household's site, a posting by its work
place, a training session by where it is held. A room covers its places (and everything below
them), a station the union of its rooms, the county everything. So the rooms of a station sum to
the station whenever rooms do not share places, and each figure opens into the records behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshness.cache import shared_cached
from freshness.models import Domain
from jobs.models import JobPosting
from matching.models import FollowUp, Interest, Placement, Recommendation
from residents.models import Household, Resident
from training.models import Enrollment, TrainingSession

from .models import LiaisonRoom, LiaisonStation
from .selectors import room_place_ids, station_place_ids

WORKING = (Resident.EmploymentStatus.EMPLOYED, Resident.EmploymentStatus.SELF_EMPLOYED)
PLACED_WITHIN_DAYS = 90


class Figure(StrEnum):
    """The figures of a station's statistics, in report order."""

    JOBS_PUBLISHED = "jobs_published"
    RESIDENTS_RECOMMENDED = "residents_recommended"
    PLACEMENTS = "placements"
    RETAINED_3M = "retained_3m"
    RETAINED_6M = "retained_6m"
    SESSIONS_HELD = "sessions_held"
    TRAINEES_COMPLETED = "trainees_completed"
    TRAINEES_PLACED_90D = "trainees_placed_90d"
    ZERO_EMPLOYMENT_HOUSEHOLDS = "zero_employment_households"
    WORKING_AGE_RESIDENTS = "working_age_residents"
    WORKING_AGE_EMPLOYED = "working_age_employed"
    INTERESTS = "interests"
    # Counted by the receptions app (registered at start-up: it sits above this one).
    RECEPTIONS = "receptions"
    PEOPLE_RECEIVED = "people_received"
    DEPUTY_ATTENDANCE = "deputy_attendance"
    REQUESTS_RECEIVED = "requests_received"
    REQUESTS_ANSWERED = "requests_answered"
    REQUESTS_RESOLVED = "requests_resolved"
    OPINIONS = "opinions"
    SUGGESTIONS = "suggestions"


FIGURE_LABELS = {
    Figure.JOBS_PUBLISHED: _("job information published"),
    Figure.RESIDENTS_RECOMMENDED: _("residents recommended"),
    Figure.PLACEMENTS: _("placements"),
    Figure.RETAINED_3M: _("still in work at 3 months"),
    Figure.RETAINED_6M: _("still in work at 6 months"),
    Figure.SESSIONS_HELD: _("training sessions held"),
    Figure.TRAINEES_COMPLETED: _("trainees completed"),
    Figure.TRAINEES_PLACED_90D: _("trainees placed within 90 days"),
    Figure.ZERO_EMPLOYMENT_HOUSEHOLDS: _("zero-employment households"),
    Figure.WORKING_AGE_RESIDENTS: _("working-age residents"),
    Figure.WORKING_AGE_EMPLOYED: _("working-age residents in work"),
    Figure.INTERESTS: _("jobs residents asked to try"),
    Figure.RECEPTIONS: _("receptions held"),
    Figure.PEOPLE_RECEIVED: _("people received"),
    Figure.DEPUTY_ATTENDANCE: _("deputy attendance (person-times)"),
    Figure.REQUESTS_RECEIVED: _("requests received"),
    Figure.REQUESTS_ANSWERED: _("requests answered"),
    Figure.REQUESTS_RESOLVED: _("requests resolved"),
    Figure.OPINIONS: _("opinions collected"),
    Figure.SUGGESTIONS: _("deputy suggestions formed"),
}


@dataclass(frozen=True)
class FigureSource:
    """Where an app above this one counts a figure from: its records for a scope and period, and their table."""

    records: Callable[[Scope, Period], QuerySet]
    table: Callable[[QuerySet], tuple[list[str], list[list]]]


FIGURE_SOURCES: dict[Figure, FigureSource] = {}
# Values that are not counts of records (a median time to answer), by name: None when there is nothing to measure.
EXTRA_VALUES: dict[str, Callable[[Scope, Period], int | None]] = {}


def register_figure_source(figure: Figure, source: FigureSource) -> None:
    FIGURE_SOURCES[Figure(figure)] = source


def register_extra_value(name: str, compute: Callable[[Scope, Period], int | None]) -> None:
    EXTRA_VALUES[name] = compute


@dataclass(frozen=True)
class Scope:
    """Whose figures: the county (place_ids None), a station or a room."""

    kind: str
    name: str
    place_ids: frozenset[int] | None
    station_id: int | None = None
    room_id: int | None = None

    @classmethod
    def county(cls) -> Scope:
        return cls("county", str(_("whole county")), None)

    @classmethod
    def for_station(cls, station: LiaisonStation) -> Scope:
        return cls("station", station.name, frozenset(station_place_ids(station)), station_id=station.pk)

    @classmethod
    def for_room(cls, room: LiaisonRoom) -> Scope:
        return cls("room", room.name, frozenset(room_place_ids(room)), station_id=room.station_id, room_id=room.pk)

    def filter(self, queryset: QuerySet, place_path: str) -> QuerySet:
        return queryset if self.place_ids is None else queryset.filter(**{f"{place_path}__in": self.place_ids})


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(start, following - dt.timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = cls.month(year, 3 * quarter - 2)
        return cls(first.start, cls.month(year, 3 * quarter).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


@dataclass(frozen=True)
class Statistics:
    scope: Scope
    period: Period
    values: dict[str, int] = field(default_factory=dict)
    zero_employment_at_start: int = 0

    @property
    def zero_employment_change(self) -> int:
        return self.values[Figure.ZERO_EMPLOYMENT_HOUSEHOLDS] - self.zero_employment_at_start

    @property
    def employment_rate(self) -> float | None:
        total = self.values[Figure.WORKING_AGE_RESIDENTS]
        return None if not total else self.values[Figure.WORKING_AGE_EMPLOYED] / total


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a local day, as an aware time: `at__lt=_day_start(d + 1)` is "on or before d",
    a plain comparison the database can estimate and index (unlike a date cast of every row)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _by_end_of(day: dt.date) -> dt.datetime:
    return _day_start(day + dt.timedelta(days=1))


def _in_work_q(on: dt.date) -> Q:
    """Residents in work on a day: a placement covering it, or (with no placement on record) a working
    status that was on record by then. Written as IN / NOT IN over the placements (hashed once), not as
    an EXISTS per resident: the county's 100,000 residents are counted in one pass."""
    covering = Placement.objects.filter(start_date__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    ).values("resident_id")
    placed = Placement.objects.values("resident_id")
    return Q(pk__in=covering) | (~Q(pk__in=placed) & Q(employment_status__in=WORKING, created_at__lt=_by_end_of(on)))


def residents_in_work(on: dt.date) -> QuerySet[Resident]:
    return Resident.objects.filter(_in_work_q(on))


def zero_employment_households(scope: Scope, on: dt.date) -> QuerySet[Household]:
    """Households of the scope registered by `on` with nobody in work that day (动态清零 target)."""
    with_work = residents_in_work(on).values("household_id")
    households = Household.objects.filter(created_at__lt=_by_end_of(on)).exclude(pk__in=with_work)
    return scope.filter(households, "site_id").select_related("site")


def _working_age_residents(scope: Scope, on: dt.date) -> QuerySet[Resident]:
    low, high = settings.WORKING_AGE
    youngest_birth = dt.date(on.year - low, on.month, min(on.day, 28))
    oldest_birth = dt.date(on.year - high - 1, on.month, min(on.day, 28))
    residents = Resident.objects.filter(
        birth_date__lte=youngest_birth, birth_date__gt=oldest_birth, created_at__lt=_by_end_of(on)
    ).exclude(employment_status=Resident.EmploymentStatus.STUDENT)
    return scope.filter(residents, "household__site_id")


def figure_records(figure: Figure | str, scope: Scope, period: Period) -> QuerySet:
    """The records behind one figure (what a figure 'opens into')."""
    figure = Figure(figure)
    if figure in FIGURE_SOURCES:
        return FIGURE_SOURCES[figure].records(scope, period)
    start, end = period.start, period.end
    if figure == Figure.JOBS_PUBLISHED:
        postings = JobPosting.objects.filter(published_at__gte=_day_start(start), published_at__lt=_by_end_of(end))
        return scope.filter(postings, "place_id").select_related("employer", "place", "occupation")
    if figure == Figure.RESIDENTS_RECOMMENDED:
        recommended = Recommendation.objects.filter(
            resident=OuterRef("pk"), recommended_on__gte=start, recommended_on__lte=end
        ).exclude(state=Recommendation.State.WITHDRAWN)
        return scope.filter(Resident.objects.filter(Exists(recommended)), "household__site_id").select_related(
            "household"
        )
    if figure == Figure.PLACEMENTS:
        placements = Placement.objects.filter(start_date__gte=start, start_date__lte=end)
        return scope.filter(placements, "resident__household__site_id").select_related(
            "resident", "posting", "posting__employer"
        )
    if figure in (Figure.RETAINED_3M, Figure.RETAINED_6M):
        months = 3 if figure == Figure.RETAINED_3M else 6
        follow_ups = FollowUp.objects.filter(
            months=months, due_date__gte=start, due_date__lte=end, still_employed=True
        )
        return scope.filter(follow_ups, "placement__resident__household__site_id").select_related(
            "placement__resident", "placement__posting"
        )
    if figure == Figure.SESSIONS_HELD:
        # Held: started within the period and by today (a planned session is not yet held).
        started_by = min(end, timezone.localdate())
        sessions = TrainingSession.objects.filter(start_date__gte=start, start_date__lte=started_by).exclude(
            status=TrainingSession.Status.CANCELLED
        )
        return scope.filter(sessions, "place_id").select_related("course", "place")
    if figure == Figure.TRAINEES_COMPLETED:
        completed = Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED, passed=True, completed_at__gte=_day_start(start),
            completed_at__lt=_by_end_of(end),
        )
        return scope.filter(completed, "resident__household__site_id").select_related("resident", "session__course")
    if figure == Figure.TRAINEES_PLACED_90D:
        completed = figure_records(Figure.TRAINEES_COMPLETED, scope, period).annotate(
            completed_on=TruncDate("completed_at")
        )
        placed = Placement.objects.filter(
            resident=OuterRef("resident"), start_date__gte=OuterRef("completed_on"),
            start_date__lte=OuterRef("completed_on") + dt.timedelta(days=PLACED_WITHIN_DAYS),
        )
        return completed.filter(Exists(placed))
    if figure == Figure.INTERESTS:
        # Said in the period and not taken back ("我想试试这个" on a job picked for them).
        interests = Interest.objects.filter(expressed_at__gte=_day_start(start), expressed_at__lt=_by_end_of(end),
                                            withdrawn_at__isnull=True)
        return scope.filter(interests, "resident__household__site_id").select_related(
            "resident", "posting", "posting__employer")
    if figure == Figure.ZERO_EMPLOYMENT_HOUSEHOLDS:
        return zero_employment_households(scope, end)
    if figure == Figure.WORKING_AGE_RESIDENTS:
        return _working_age_residents(scope, end).select_related("household")
    if figure == Figure.WORKING_AGE_EMPLOYED:
        return _working_age_residents(scope, end).filter(_in_work_q(end)).select_related("household")
    raise ValueError(figure)


# The domains every figure is counted from: a write to any of them bumps its version and so a new cache key.
STATISTICS_DOMAINS = (Domain.POSTINGS, Domain.RESIDENTS, Domain.TRAINING, Domain.OUTCOMES, Domain.RECEPTIONS)


def scope_key(scope: Scope) -> tuple:
    """What a cached figure of the scope depends on besides the records: which places it covers."""
    return (scope.kind, scope.station_id, scope.room_id, tuple(sorted(scope.place_ids or ())))


def statistics_for(scope: Scope, period: Period) -> Statistics:
    """All figures of a scope for a period, counted from the records (one aggregate query a figure), kept in
    the shared cache until a version of the records moves."""

    def count() -> Statistics:
        values = {str(figure): figure_records(figure, scope, period).count() for figure in Figure}
        values.update({name: compute(scope, period) for name, compute in EXTRA_VALUES.items()})
        at_start = zero_employment_households(scope, period.start - dt.timedelta(days=1)).count()
        return Statistics(scope=scope, period=period, values=values, zero_employment_at_start=at_start)

    # "Held" and "by the end" figures read today's date: a new day is a new key.
    parts = (scope_key(scope), period.start, period.end, timezone.localdate())
    return shared_cached("statistics", domains=STATISTICS_DOMAINS, parts=parts, build=count)
