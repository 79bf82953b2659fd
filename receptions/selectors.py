"""Reads of receptions and requests: who sees which request, the rota of a month, the next market days with
who is on duty, and what the public page may show (postings, sessions, deputies — never a resident)."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from config.roles import Role, has_role
from jobs import wages
from jobs.models import JobPosting
from matching.selectors import matches_for_resident, sessions_by_distance
from residents import pii
from residents.models import Household, Resident
from stations.models import Deputy, LiaisonStation, StaffMembership
from stations.selectors import place_ids_with_descendants, user_place_scope
from taxonomy.identifiers import mask_name
from training.market_days import MarketDay, market_days, next_market_days
from training.models import TrainingSession

from .models import DutyShift, Reception, Request, Suggestion
from .slip import JOBS_ON_SLIP, SESSIONS_ON_SLIP, Slip, SlipJob, SlipSession
from .tracking import tracking_hash


def staff_stations(user) -> QuerySet[LiaisonStation]:
    if getattr(user, "is_superuser", False):
        return LiaisonStation.objects.all()
    return LiaisonStation.objects.filter(memberships__user=user).distinct()


def _station_scoped(base: QuerySet, user, *, own: Q | None = None) -> QuerySet:
    """Admin everything; liaison staff and deputies their stations' rows; a resident the rows `own` picks (none
    without it); everyone else nothing."""
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.is_superuser:
        return base
    if has_role(user, Role.LIAISON, Role.DEPUTY):
        return base.filter(station__in=staff_stations(user))
    if own is not None and has_role(user, Role.RESIDENT):
        return base.filter(own)
    return base.none()


def requests_visible_to(user) -> QuerySet[Request]:
    """Admin every request; liaison staff and deputies their station's; a resident their own; others none."""
    base = Request.objects.select_related("station", "resident", "assigned_user", "assigned_deputy", "suggestion")
    return _station_scoped(base, user, own=Q(resident__user=user))


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    return _station_scoped(Suggestion.objects.select_related("deputy", "station"), user)


def request_search(requests: QuerySet[Request], *, status: str = "", category: str = "", text: str = "",
                   overdue_on: dt.date | None = None) -> QuerySet[Request]:
    if status:
        requests = requests.filter(status=status)
    if category:
        requests = requests.filter(category=category)
    if text:
        requests = requests.filter(Q(text__icontains=text) | Q(contact_name__icontains=text))
    if overdue_on is not None:
        requests = requests.filter(
            Q(status__in=[Request.Status.RECEIVED, Request.Status.IN_PROGRESS], answer_due__lt=overdue_on)
            | Q(status=Request.Status.ANSWERED, resolve_due__lt=overdue_on))
    return requests


def request_tracked(*, code: str, phone: str) -> Request | None:
    """The public request with this tracking code whose phone is this one or ends in these four digits; None when
    either is wrong (the caller does not learn which)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) not in (4, 11) or not (code or "").strip():
        return None
    found = Request.objects.filter(tracking_hash=tracking_hash(code), channel=Request.Channel.PUBLIC).first()
    if found is None:
        return None
    if len(digits) == 4:
        matches = bool(found.phone_masked) and hmac.compare_digest(found.phone_masked[-4:], digits)
    else:
        matches = hmac.compare_digest(found.phone_hash, pii.lookup_hash(digits))
    return found if matches else None


def tracked_request_card(request: Request) -> dict:
    """What the anonymous submitter may read back: where the request stands and the reply, with their own name
    and number masked (whoever holds the code sees no more than that)."""
    return {
        "received_on": timezone.localtime(request.received_at).date(),
        "category": request.category, "category_display": request.get_category_display(),
        "status": request.status, "status_display": request.get_status_display(),
        "answer_due": request.answer_due,
        "answered_on": timezone.localtime(request.answered_at).date() if request.answered_at else None,
        "reply": request.reply if request.answered_at else "",
        "rating": request.rating, "rating_comment": request.rating_comment,
        "can_rate": request.answered_at is not None and request.rating is None,
        "name": mask_name(request.contact_name), "phone": request.phone_masked,
    }


def request_is_overdue(request: Request, today: dt.date) -> bool:
    if request.status in (Request.Status.RECEIVED, Request.Status.IN_PROGRESS):
        return request.answer_due < today
    return request.status == Request.Status.ANSWERED and request.resolve_due < today


# --- rota ----------------------------------------------------------------------------------------------------


@dataclass
class RotaDay:
    market_day: MarketDay
    shifts: list[DutyShift] = field(default_factory=list)

    @property
    def deputies(self) -> list[DutyShift]:
        return [s for s in self.shifts if s.deputy_id]

    @property
    def staff(self) -> list[DutyShift]:
        return [s for s in self.shifts if s.staff_id]


def rota_between(station: LiaisonStation, start: dt.date, end: dt.date) -> list[RotaDay]:
    days = {m.date: RotaDay(m) for m in market_days(start, end)}
    for shift in DutyShift.objects.filter(station=station, day__gte=start, day__lte=end).select_related(
            "deputy", "staff"):
        if shift.day in days:
            days[shift.day].shifts.append(shift)
    return list(days.values())


def rota_month(station: LiaisonStation, year: int, month: int) -> list[RotaDay]:
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return rota_between(station, start, end)


def next_duty_days(station: LiaisonStation, *, today: dt.date, count: int = 3) -> list[RotaDay]:
    upcoming = next_market_days(today, count)
    return rota_between(station, upcoming[0].date, upcoming[-1].date)


def my_next_shifts(user, *, today: dt.date, limit: int = 3) -> QuerySet[DutyShift]:
    """The user's own next duties: as staff, or as the deputy linked to their login."""
    return DutyShift.objects.filter(Q(staff=user) | Q(deputy__user=user), day__gte=today).select_related(
        "station", "deputy", "staff").order_by("day")[:limit]


@dataclass(frozen=True)
class DutyReminder:
    """What a staff member's start page says about the rota: the next market day (today, if it is one) at their
    station, whether they are on duty then, who is otherwise, and their own next duty if it is later."""

    station: LiaisonStation
    day: RotaDay
    mine: bool
    my_next: dt.date | None = None

    @property
    def on_duty(self) -> list[str]:
        return [shift.person_name for shift in self.day.deputies + self.day.staff]


def duty_reminder(user, *, today: dt.date) -> DutyReminder | None:
    """The rota reminder of a member of a station's staff or one of its deputies; None for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    station = LiaisonStation.objects.filter(memberships__user=user).order_by("id").first()
    if station is None:
        return None
    day = next_duty_days(station, today=today, count=1)[0]
    mine = any(shift.staff_id == user.pk or (shift.deputy_id and shift.deputy.user_id == user.pk)
               for shift in day.shifts)
    later = None if mine else next((s.day for s in my_next_shifts(user, today=today, limit=1)), None)
    return DutyReminder(station=station, day=day, mine=mine, my_next=later)


def station_staff(station: LiaisonStation) -> list:
    """The station's liaison staff (not its deputies), in the order they joined: the rota takes turns in it."""
    return [m.user for m in StaffMembership.objects.filter(station=station, role=StaffMembership.Role.STAFF)
            .select_related("user").order_by("id")]


def station_people(station: LiaisonStation) -> tuple[QuerySet[Deputy], list]:
    """Deputies and staff to choose from, by name."""
    deputies = Deputy.objects.filter(station=station).order_by("name")
    return deputies, sorted(station_staff(station), key=lambda user: user.username)


# --- receptions ----------------------------------------------------------------------------------------------


def reception_residents(user) -> QuerySet[Resident]:
    """Residents a user may receive: those living at the places of the user's stations, for liaison staff and
    deputies alike (a deputy on duty finds and registers people too); every resident for an admin; nobody for
    anyone else. Masked data only, as everywhere."""
    if not has_role(user, Role.LIAISON, Role.DEPUTY):
        return Resident.objects.none()
    scope = user_place_scope(user)
    residents = Resident.objects.select_related("household", "household__site")
    return residents if scope is None else residents.filter(household__site_id__in=scope)


def reception_households(user) -> QuerySet[Household]:
    """The households a user may register a resident into at the reception (the same places)."""
    if not has_role(user, Role.LIAISON, Role.DEPUTY):
        return Household.objects.none()
    scope = user_place_scope(user)
    households = Household.objects.select_related("site")
    return households if scope is None else households.filter(site_id__in=scope)


def receptions_of_day(station: LiaisonStation, day: dt.date) -> QuerySet[Reception]:
    return Reception.objects.filter(station=station, day=day).select_related("resident", "received_by", "request")


def resident_find(visible: QuerySet[Resident], text: str, *, limit: int = 10) -> QuerySet[Resident]:
    """By name, pinyin initials or household number (a reception desk's three ways of asking)."""
    text = (text or "").strip()
    if not text:
        return visible.none()
    query = Q(name__icontains=text) | Q(household__number__icontains=text)
    if text.isascii() and text.isalpha():
        query |= Q(name_initials__startswith=text.lower())
    return visible.filter(query).select_related("household", "household__site").order_by("name", "id")[:limit]


# --- the public page -----------------------------------------------------------------------------------------

PUBLIC_POSTING_FIELDS = ("id", "title", "employer__name", "place__name", "wage_min", "wage_max", "wage_unit",
                         "work_mode", "work_time", "openings", "filled", "valid_until", "employer__contact_phone")


MAX_ID = 2**63 - 1
POSTING_QUERY_MAX = 50


@dataclass(frozen=True)
class PublicPostingFilters:
    """What a visitor asked of the job board (place, a wage floor, a work mode, words), checked."""

    place_id: int | None = None
    wage_at_least: Decimal | None = None
    work_mode: str = ""
    text: str = ""

    def as_kwargs(self) -> dict:
        return {"place_id": self.place_id, "wage_at_least": self.wage_at_least, "work_mode": self.work_mode,
                "text": self.text}


def public_posting_filters(params) -> tuple[PublicPostingFilters, dict[str, str]]:
    """Read the job board's query (`place`, `wage`, `work_mode`, `q`) for the page and the API alike: the
    filters, and a message per wrong field (all at once)."""
    errors: dict[str, str] = {}
    place_id = wage = None
    if params.get("place"):
        try:
            place_id = int(params["place"])
            if not 1 <= place_id <= MAX_ID:
                raise ValueError
        except ValueError:
            errors["place"] = _("Choose a place from the list.")
    if params.get("wage"):
        try:
            wage = Decimal(params["wage"])
            if not wage.is_finite() or not 0 <= wage <= 1_000_000:
                raise InvalidOperation
        except InvalidOperation:
            errors["wage"] = _("An amount of yuan, like 3000.")
    work_mode = params.get("work_mode", "")
    if work_mode not in ("", *JobPosting.WorkMode.values):
        errors["work_mode"] = _("Choose a work mode from the list.")
        work_mode = ""
    return PublicPostingFilters(place_id=place_id, wage_at_least=wage, work_mode=work_mode,
                                text=params.get("q", "").strip()[:POSTING_QUERY_MAX]), errors


def public_postings(*, place_id: int | None = None, wage_at_least: Decimal | None = None, work_mode: str = "",
                    text: str = "", today: dt.date) -> QuerySet[JobPosting]:
    """Open postings with openings left, home-based work first, then the newest."""
    postings = JobPosting.objects.filter(status=JobPosting.Status.OPEN, filled__lt=F("openings")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if place_id:
        postings = postings.filter(place_id__in=place_ids_with_descendants({place_id}))
    if wage_at_least is not None:
        postings = postings.filter(Q(wage_max__gte=wage_at_least) | Q(wage_max__isnull=True, wage_min__gte=wage_at_least))
    if work_mode:
        postings = postings.filter(work_mode=work_mode)
    if text:
        postings = postings.filter(Q(title__icontains=text) | Q(employer__name__icontains=text))
    home_first = Case(When(work_mode=JobPosting.WorkMode.HOME_BASED, then=Value(0)), default=Value(1),
                      output_field=IntegerField())
    return postings.select_related("employer", "place").annotate(home_first=home_first).order_by(
        "home_first", "-published_at", "-id")


def public_sessions(*, today: dt.date) -> QuerySet[TrainingSession]:
    """Sessions that have not started and still have seats."""
    return TrainingSession.objects.filter(status=TrainingSession.Status.OPEN, start_date__gte=today,
                                          enrolled_count__lt=F("capacity")).select_related(
        "course", "place").order_by("start_date", "id")


def public_station() -> LiaisonStation | None:
    """The station the public page speaks for (the first one: a deployment serves one street)."""
    return LiaisonStation.objects.select_related("place").order_by("id").first()


def wage_text(posting: JobPosting) -> str:
    """Pay as people write it (`jobs.wages`): 3,000–4,000元/月, 150元/天, 2元/件（约2,400元/月）; 面议 without one."""
    text = wages.wage_text(posting.wage_min, posting.wage_max, posting.wage_unit) or _("negotiable")
    if posting.wage_unit == "piece" and posting.piece_monthly_estimate is not None:
        text += f"（{wages.monthly_estimate_text(posting.piece_monthly_estimate)}）"
    return text


def slip_for(resident: Resident, station: LiaisonStation, *, today: dt.date, matches: list[dict] | None = None) -> Slip:
    """What the printed slip lists: the resident's 5 best open jobs and the next sessions nearest home."""
    if matches is None:
        matches = matches_for_resident(resident, limit=JOBS_ON_SLIP, today=today)
    ids = [m["job_id"] for m in matches[:JOBS_ON_SLIP]]
    postings = JobPosting.objects.select_related("employer", "place").in_bulk(ids)
    jobs = [SlipJob(title=p.title, employer=p.employer.name, wage=wage_text(p), place=p.place.name if p.place else "",
                    contact=p.employer.contact_phone, work_mode=p.get_work_mode_display())
            for p in (postings.get(i) for i in ids) if p is not None]
    sessions = sessions_by_distance(public_sessions(today=today), home=resident.household.site)[:SESSIONS_ON_SLIP]
    notice = getattr(station, "notice", None)
    upcoming = next_market_days(today + dt.timedelta(days=1), 1)[0]
    return Slip(station=station.name, resident_name=resident.name, day=today, jobs=jobs,
                sessions=[SlipSession(course=row.session.course.name, start=row.session.start_date,
                                      end=row.session.end_date, place=row.session.place.name,
                                      distance_km=row.distance_km) for row in sessions],
                station_phone=notice.phone if notice else "",
                next_market_day=f"{upcoming.date:%m月%d日}（{upcoming.lunar_label}）")


def deputy_card(deputy: Deputy) -> dict:
    notice = getattr(deputy, "notice", None)
    return {
        "name": deputy.name,
        "level": deputy.get_level_display(),
        "room": deputy.room.name if deputy.room else None,
        "duties": notice.duties if notice else "",
        "phone": notice.phone if notice and notice.phone_public else None,
    }


def station_card(station, *, today) -> dict:
    """What the station publishes: name, address, hours, its deputies and the next market days on duty."""
    notice = getattr(station, "notice", None)
    deputies = Deputy.objects.filter(station=station).select_related("room", "notice").order_by("room_id", "name")
    days = next_duty_days(station, today=today, count=3)
    return {
        "name": station.name,
        "address": station.address,
        "opening_hours": notice.opening_hours if notice else "",
        "phone": notice.phone if notice else "",
        "introduction": notice.introduction if notice else "",
        "deputies": [deputy_card(d) for d in deputies],
        "market_days": [{
            "date": day.market_day.date, "lunar": day.market_day.lunar_label,
            "deputies_on_duty": [s.deputy.name for s in day.deputies],
            "staff_on_duty": len(day.staff),
        } for day in days],
    }
