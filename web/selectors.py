"""Reads the pages need that no app offers as such, built on the apps' selectors (no writes here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from config.roles import Role, has_role
from jobs.models import JobPosting
from matching.models import (
    AssignmentRun,
    FollowUp,
    FollowUpCall,
    Placement,
    Recommendation,
    RecommendationBatch,
)
from matching.profiles import zero_employment_households
from matching.selectors import followups_due as matching_followups_due
from matching.selectors import sessions_by_distance
from residents.models import Resident
from stations.models import LiaisonRoom, LiaisonStation, StaffMembership
from stations.statistics import Scope
from training.models import Enrollment, TrainingSession
from training.selectors import session_list, waitlist_position

FOLLOW_UP_LOOKAHEAD_DAYS = 7
LIVE_STATES = [*Recommendation.OPEN_STATES, Recommendation.State.HIRED]


def followups_due(*, residents: QuerySet[Resident], today: dt.date) -> QuerySet[FollowUp]:
    """Retention checks not done yet and due within a week, for the given residents, soonest first."""
    return matching_followups_due(residents=residents, until=today + dt.timedelta(days=FOLLOW_UP_LOOKAHEAD_DAYS))


def recommended_posting_ids(resident: Resident) -> set[int]:
    """Postings the resident has a live recommendation to (a new one would be refused)."""
    return set(
        Recommendation.objects.filter(resident=resident, state__in=LIVE_STATES).values_list("posting_id", flat=True)
    )


def recommended_resident_ids(posting: JobPosting, residents: QuerySet[Resident]) -> set[int]:
    return set(
        Recommendation.objects.filter(posting=posting, state__in=LIVE_STATES, resident__in=residents).values_list(
            "resident_id", flat=True
        )
    )


@dataclass(frozen=True)
class ProposedPair:
    """One pair of an assignment run's proposal as its page shows it."""

    resident: Resident
    posting: JobPosting
    score: float
    zero_employment: bool  # nobody in the resident's household is in work
    recommended: bool  # a live recommendation of this pair exists already


def assignment_pairs(run: AssignmentRun, residents: QuerySet[Resident]) -> list[ProposedPair]:
    """The run's proposed pairs of these residents, zero-employment households first, then by score."""
    pairs = [(r, p, s) for r, p, s in run.proposal]
    people = residents.filter(pk__in=[r for r, _p, _s in pairs]).in_bulk()
    postings = JobPosting.objects.select_related("employer", "place").in_bulk([p for _r, p, _s in pairs])
    zero = set(zero_employment_households({people[r].household_id for r, _p, _s in pairs if r in people})
               .values_list("id", flat=True))
    live = set(Recommendation.objects.filter(resident__in=list(people), state__in=LIVE_STATES)
               .values_list("resident_id", "posting_id"))
    rows = [
        ProposedPair(people[r], postings[p], s, people[r].household_id in zero, (r, p) in live)
        for r, p, s in pairs if r in people and p in postings
    ]
    rows.sort(key=lambda row: (not row.zero_employment, -row.score, row.resident.pk))
    return rows


def enrollments_of(resident: Resident) -> QuerySet[Enrollment]:
    """A resident's enrolments, newest session first, with `waitlist_position` (1 = next in line)."""
    return (
        Enrollment.objects.filter(resident=resident)
        .select_related("session__course", "session__place")
        .annotate(waitlist_position=waitlist_position())
        .order_by("-session__start_date", "-id")
    )


@dataclass(frozen=True)
class NearbySession:
    session: TrainingSession
    distance_km: float | None
    enrollment: Enrollment | None


def open_sessions_near(resident: Resident, *, today: dt.date) -> list[NearbySession]:
    """Sessions open for enrolment that have not started, nearest to the resident's site first
    (then by date, as `sessions_by_distance` orders them); each with the resident's active enrolment in it."""
    sessions = list(
        session_list().filter(status=TrainingSession.Status.OPEN, start_date__gte=today).order_by("start_date", "id")
    )
    mine = {
        e.session_id: e
        for e in enrollments_of(resident).filter(
            session__in=[s.pk for s in sessions], status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED]
        )
    }
    return [NearbySession(row.session, row.distance_km, mine.get(row.session.pk))
            for row in sessions_by_distance(sessions, home=resident.household.site)]


def station_recommendations(resident: Resident) -> QuerySet[Recommendation]:
    """What liaison staff recommended to a resident and is still going on (the resident's view)."""
    return (
        Recommendation.objects.filter(resident=resident, state__in=LIVE_STATES)
        .select_related("posting__employer", "posting__place")
        .order_by("-created_at", "-id")
    )


# --- Dashboard scopes ------------------------------------------------------------------------

@dataclass(frozen=True)
class ScopeChoice:
    """A scope a user may pick on the dashboard: `key` goes in the URL, `label` on the picker."""

    key: str
    label: str
    station: LiaisonStation | None = None
    room: LiaisonRoom | None = None

    def build(self) -> Scope:
        if self.room is not None:
            return Scope.for_room(self.room)
        if self.station is not None:
            return Scope.for_station(self.station)
        return Scope.county()


def dashboard_scopes(user, county_label: str) -> list[ScopeChoice]:
    """The county and every station and room for the bureau and admins; for liaison staff and
    deputies their own station(s) and its rooms. The first is the default."""
    county_wide = user.is_superuser or has_role(user, Role.BUREAU) and not StaffMembership.objects.filter(
        user=user).exists()
    if county_wide:
        stations = list(LiaisonStation.objects.order_by("name"))
        choices = [ScopeChoice("county", county_label)]
    else:
        stations = list(LiaisonStation.objects.filter(memberships__user=user).distinct().order_by("name"))
        choices = []
    rooms = LiaisonRoom.objects.filter(station__in=stations).select_related("station").order_by("station__name", "id")
    by_station: dict[int, list[LiaisonRoom]] = {}
    for room in rooms:
        by_station.setdefault(room.station_id, []).append(room)
    for station in stations:
        choices.append(ScopeChoice(f"station-{station.pk}", station.name, station=station))
        for room in by_station.get(station.pk, []):
            choices.append(ScopeChoice(f"room-{room.pk}", f"{station.name} · {room.name}", station=station, room=room))
    return choices


def batch_recommendations(batch: RecommendationBatch) -> list[Recommendation]:
    """A batch's recommendations with their residents and postings, in the order they were made."""
    return list(batch.recommendations.select_related("resident__household", "posting__employer").order_by("pk"))


FOLLOW_UP_HORIZON_DAYS = 60  # how far ahead the desk's "coming" column looks


class Bucket:
    """Where an open follow-up stands against today."""

    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    COMING = "coming"


def followup_bucket(due: dt.date, today: dt.date) -> str:
    if due < today:
        return Bucket.OVERDUE
    if due <= today + dt.timedelta(days=FOLLOW_UP_LOOKAHEAD_DAYS - 1):
        return Bucket.THIS_WEEK
    return Bucket.COMING


def _bucket_counts(follow_ups: QuerySet[FollowUp], today: dt.date) -> dict:
    week_end = today + dt.timedelta(days=FOLLOW_UP_LOOKAHEAD_DAYS - 1)
    return {
        Bucket.OVERDUE: Count("id", filter=Q(due_date__lt=today)),
        Bucket.THIS_WEEK: Count("id", filter=Q(due_date__gte=today, due_date__lte=week_end)),
        Bucket.COMING: Count("id", filter=Q(due_date__gt=week_end)),
    }


def followups_open(*, residents: QuerySet[Resident], today: dt.date, worker_id: int | None = None
                   ) -> QuerySet[FollowUp]:
    """Open follow-ups of these residents up to the desk's horizon, soonest first, with the calls tried so far;
    `worker_id` keeps those of the placements that worker recorded."""
    follow_ups = FollowUp.objects.filter(
        done_at__isnull=True, placement__resident__in=residents,
        due_date__lte=today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    )
    if worker_id is not None:
        follow_ups = follow_ups.filter(placement__recorded_by_id=worker_id)
    return (follow_ups.select_related("placement__resident__household__site", "placement__posting__employer",
                                      "placement__recorded_by")
            .annotate(attempts=Count("calls"), last_call=Max("calls__called_on"))
            .order_by("due_date", "id"))


def followups_by_worker(*, residents: QuerySet[Resident], today: dt.date) -> list[dict]:
    """For each worker who recorded hires of these residents: how many of their follow-ups are overdue, due this
    week and coming."""
    follow_ups = FollowUp.objects.filter(
        done_at__isnull=True, placement__resident__in=residents,
        due_date__lte=today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    )
    rows = (follow_ups.values("placement__recorded_by_id", "placement__recorded_by__first_name",
                              "placement__recorded_by__last_name", "placement__recorded_by__username")
            .annotate(**_bucket_counts(follow_ups, today)).order_by("placement__recorded_by__username"))
    return [{"worker_id": row["placement__recorded_by_id"],
             "name": (f"{row['placement__recorded_by__last_name']}{row['placement__recorded_by__first_name']}"
                      or row["placement__recorded_by__username"]),
             Bucket.OVERDUE: row[Bucket.OVERDUE], Bucket.THIS_WEEK: row[Bucket.THIS_WEEK],
             Bucket.COMING: row[Bucket.COMING]} for row in rows]


def followups_by_station(*, stations, residents: QuerySet[Resident], today: dt.date) -> list[dict]:
    """The same three counts for each station (for those who see several)."""
    from stations.selectors import station_place_ids

    result = []
    for station in stations:
        follow_ups = FollowUp.objects.filter(
            done_at__isnull=True, placement__resident__in=residents,
            placement__resident__household__site_id__in=station_place_ids(station),
            due_date__lte=today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS),
        )
        counts = follow_ups.aggregate(**_bucket_counts(follow_ups, today))
        result.append({"station_id": station.pk, "name": station.name, **counts})
    return result


def followup_history(resident: Resident) -> list[dict]:
    """A resident's whole follow-up history, newest first: every scheduled check (done or open) and every call,
    scheduled or not, of every placement."""
    placements = Placement.objects.filter(resident=resident).select_related("posting__employer")
    calls = list(FollowUpCall.objects.filter(placement__in=placements).select_related(
        "placement__posting__employer", "recorded_by", "follow_up"))
    entries = [{"kind": "call", "day": call.called_on, "call": call, "placement": call.placement} for call in calls]
    # A check answered by a call shows as that call; the others (open, or answered another way) on their own.
    answered_by_call = {c.follow_up_id for c in calls if c.outcome != FollowUpCall.Outcome.UNREACHABLE}
    for follow_up in FollowUp.objects.filter(placement__in=placements).exclude(pk__in=answered_by_call).select_related(
            "placement__posting__employer", "recorded_by"):
        day = timezone.localtime(follow_up.done_at).date() if follow_up.done_at else follow_up.due_date
        entries.append({"kind": "check", "day": day, "follow_up": follow_up, "placement": follow_up.placement})
    entries.sort(key=lambda e: (e["day"], e["kind"] == "call"), reverse=True)
    return entries


def residents_filtered(residents: QuerySet[Resident], *, today: dt.date, status: str = "", site: int | None = None,
                       poverty: str = "", skill: int | None = None, age: tuple[int, int | None] | None = None,
                       zero: bool = False) -> QuerySet[Resident]:
    """The residents narrowed by the search page's filters (each one optional)."""
    from residents.selectors import resident_with_skill

    if status:
        residents = residents.filter(employment_status=status)
    if site:
        residents = residents.filter(household__site_id=site)
    if poverty:
        residents = residents.filter(household__poverty_status=poverty)
    if skill:
        residents = residents.filter(resident_with_skill(skill))
    if age:
        youngest, oldest = age
        residents = residents.filter(birth_date__lte=_years_before(today, youngest))
        if oldest is not None:
            residents = residents.filter(birth_date__gt=_years_before(today, oldest + 1))
    if zero:
        residents = residents.filter(household__in=zero_employment_households())
    return residents


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def resident_filter_choices(residents: QuerySet[Resident]) -> tuple[list, list]:
    """The sites and the skills the station's residents have, for the filter's menus."""
    from residents.models import ResidentSkill
    from taxonomy.models import Place, Skill

    site_ids = residents.order_by().values("household__site_id").distinct()
    sites = list(Place.objects.filter(pk__in=site_ids).order_by("name").values_list("id", "name"))
    skill_ids = ResidentSkill.objects.filter(resident__in=residents.order_by().values("pk")).values("skill_id")
    skills = list(Skill.objects.filter(pk__in=skill_ids).order_by("name").values_list("id", "name"))
    return sites, skills
