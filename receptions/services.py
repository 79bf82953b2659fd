"""Writes of receptions and requests: the duty rota, the reception log, requests (诉求) through their lifecycle,
and deputies' suggestions. Every one atomic, validated (all errors at once), audited, bumping RECEPTIONS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshness.models import Domain
from freshness.services import version_bump
from residents import pii
from residents.models import Resident
from residents.services import resident_update
from stations.models import Deputy, LiaisonRoom, LiaisonStation, StaffMembership
from taxonomy.identifiers import IdentifierError, mask_phone, validate_phone
from taxonomy.validators import PHONE_MESSAGE
from training.market_days import is_market_day

from .models import DeputyNotice, DutyShift, Reception, Request, RequestEvent, StationNotice, Suggestion
from .selectors import station_staff
from .tracking import tracking_code_new, tracking_hash

TEXT_MAX = 2000
NAME_MAX = 40


def _bump() -> None:
    version_bump(Domain.RECEPTIONS)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def answer_days() -> int:
    return int(getattr(settings, "REQUEST_ANSWER_DAYS", 7))


def resolve_days() -> int:
    return int(getattr(settings, "REQUEST_RESOLVE_DAYS", 30))


def _is_station_member(user, station: LiaisonStation) -> bool:
    return bool(user and (user.is_superuser or StaffMembership.objects.filter(user=user, station=station).exists()))


# --- the duty rota -------------------------------------------------------------------------------------------


@transaction.atomic
def duty_shift_add(*, station: LiaisonStation, day: dt.date, deputy: Deputy | None = None, staff=None,
                   note: str = "") -> DutyShift:
    """Put a deputy or a member of the station's staff on duty on a market day."""
    errors: dict[str, list[str]] = {}
    if not is_market_day(day):
        errors["day"] = [_("%(day)s is not a market day (lunar dates ending in 1 or 6).") % {"day": day}]
    if (deputy is None) == (staff is None):
        errors["person"] = [_("Choose one deputy or one member of staff.")]
    elif deputy is not None and deputy.station_id != station.pk:
        errors["deputy"] = [_("This deputy belongs to another station.")]
    elif staff is not None and not StaffMembership.objects.filter(user=staff, station=station).exists():
        errors["staff"] = [_("This person is not on the staff of the station.")]
    if not errors:
        clash = DutyShift.objects.filter(station=station, day=day)
        clash = clash.filter(deputy=deputy) if deputy is not None else clash.filter(staff=staff)
        if clash.exists():
            errors["person"] = [_("Already on duty that day.")]
    _raise(errors)
    shift = DutyShift(station=station, day=day, deputy=deputy, staff=staff, note=note.strip()[:200])
    shift.full_clean()
    shift.save()
    _bump()
    return shift


@transaction.atomic
def duty_shift_remove(*, shift: DutyShift) -> None:
    DutyShift.objects.filter(pk=shift.pk).delete()
    _bump()


@transaction.atomic
def duty_swap(*, shift: DutyShift, other: DutyShift) -> tuple[DutyShift, DutyShift]:
    """Two people exchange their market days: each takes the other's day."""
    first, second = sorted((shift.pk, other.pk))
    locked = {s.pk: s for s in DutyShift.objects.select_for_update().filter(pk__in=[first, second])}
    errors: dict[str, list[str]] = {}
    if len(locked) != 2 or shift.pk == other.pk:
        errors["other"] = [_("Choose another shift to swap with.")]
        _raise(errors)
    a, b = locked[shift.pk], locked[other.pk]
    if a.station_id != b.station_id:
        errors["other"] = [_("Shifts of different stations cannot be swapped.")]
    elif a.day == b.day:
        errors["other"] = [_("Both shifts are on the same day.")]
    else:
        for mover, target_day in ((a, b.day), (b, a.day)):
            clash = DutyShift.objects.filter(station_id=a.station_id, day=target_day).exclude(pk__in=[a.pk, b.pk])
            clash = clash.filter(deputy_id=mover.deputy_id) if mover.deputy_id else clash.filter(staff_id=mover.staff_id)
            if clash.exists():
                errors["other"] = [_("%(name)s is already on duty on %(day)s.") % {"name": mover.person_name,
                                                                                   "day": target_day}]
    _raise(errors)
    a.day, b.day = b.day, a.day
    # Move one out of the way first: the two rows swap days and the unique constraints hold throughout.
    for row in (a, b):
        row.note = (row.note + " " + _("(swapped)")).strip()[:200]
        row.save(update_fields=["day", "note"])
    _bump()
    return a, b


@transaction.atomic
def duty_rota_fill(*, station: LiaisonStation, days: Iterable[dt.date], per_day_deputies: int = 2,
                   per_day_staff: int = 1) -> list[DutyShift]:
    """Fill the rota of the given market days in turn: deputies and staff each rotate through the list."""
    deputies = list(Deputy.objects.filter(station=station).order_by("id"))
    staff = station_staff(station)
    made: list[DutyShift] = []
    turn_d = turn_s = 0
    for day in days:
        if not is_market_day(day) or DutyShift.objects.filter(station=station, day=day).exists():
            continue
        for _i in range(min(per_day_deputies, len(deputies))):
            made.append(DutyShift(station=station, day=day, deputy=deputies[turn_d % len(deputies)]))
            turn_d += 1
        for _i in range(min(per_day_staff, len(staff))):
            made.append(DutyShift(station=station, day=day, staff=staff[turn_s % len(staff)]))
            turn_s += 1
    DutyShift.objects.bulk_create(made)
    if made:
        _bump()
    return made


@transaction.atomic
def duty_reminders_send(*, today: dt.date | None = None) -> int:
    """Email everyone on duty tomorrow (a deputy through their login) once; returns the shifts reminded."""
    today = today or timezone.localdate()
    shifts = list(DutyShift.objects.select_for_update(skip_locked=True, of=("self",))
                  .filter(day=today + dt.timedelta(days=1), reminded_at__isnull=True)
                  .select_related("station", "deputy__user", "staff"))
    for shift in shifts:
        user = shift.staff if shift.staff_id else shift.deputy.user
        if user is None or not user.email:
            continue
        send_mail(
            subject=_("Lianxin: on duty tomorrow at %(station)s") % {"station": shift.station.name},
            message=_("You are on duty on the market day %(day)s at %(station)s. The reception page: /desk/reception/")
            % {"day": shift.day, "station": shift.station.name},
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email])
    DutyShift.objects.filter(pk__in=[s.pk for s in shifts]).update(reminded_at=timezone.now())
    return len(shifts)


# --- requests (诉求) -----------------------------------------------------------------------------------------


def _event(request: Request, action: str, *, actor=None, before: str = "", note: str = "",
           at: dt.datetime) -> RequestEvent:
    return RequestEvent.objects.create(request=request, action=action, actor=actor, from_status=before,
                                       to_status=request.status, note=note, at=at)


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def request_submit(*, station: LiaisonStation, text: str, channel: str, contact_name: str = "", phone: str = "",
                   resident: Resident | None = None, category: str = Request.Category.OTHER,
                   kind: str = Request.Kind.PROBLEM, submitted_by=None, ip_address: str | None = None,
                   posting_id: int | None = None, session_id: int | None = None,
                   now: dt.datetime | None = None) -> Request:
    """Receive a request (受理): from the public page (name and a valid mobile number required), a resident's
    own page, the desk or a reception. Deadlines to answer and to resolve start now.

    A request from the public page gets a tracking code: it is set on the returned object as `tracking_code`
    (to be shown once) and only its keyed hash is stored."""
    now = now or timezone.now()
    text = (text or "").strip()
    contact_name = (contact_name or "").strip() or (resident.name if resident else "")
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Say what the request is about.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("At most %(n)s characters.") % {"n": TEXT_MAX}]
    if not contact_name:
        errors["contact_name"] = [_("Give a name.")]
    elif len(contact_name) > NAME_MAX:
        errors["contact_name"] = [_("At most %(n)s characters.") % {"n": NAME_MAX}]
    if channel not in Request.Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if category not in Request.Category.values:
        errors["category"] = [_("Choose employment, training, livelihood or other.")]
    if kind not in Request.Kind.values:
        errors["kind"] = [_("Choose a problem or an opinion.")]
    clean_phone = ""
    if phone:
        try:
            clean_phone = validate_phone(phone)
        except IdentifierError:
            errors["phone"] = [str(PHONE_MESSAGE)]
    elif channel == Request.Channel.PUBLIC:
        errors["phone"] = [_("Give a mobile number so the station can answer you.")]
    _raise(errors)
    local_day = timezone.localtime(now).date()
    request = Request(
        station=station, resident=resident, contact_name=contact_name, kind=kind, category=category, channel=channel,
        text=text, submitted_by=submitted_by, submitted_ip=ip_address, received_at=now,
        answer_due=local_day + dt.timedelta(days=answer_days()),
        resolve_due=local_day + dt.timedelta(days=resolve_days()),
        posting_id_of_interest=posting_id, session_id_of_interest=session_id,
    )
    if clean_phone:
        request.phone_encrypted = pii.encrypt(clean_phone)
        request.phone_hash = pii.lookup_hash(clean_phone)
        request.phone_masked = mask_phone(clean_phone)
    elif resident is not None and resident.phone_encrypted:
        # The resident's own number, still protected: copied as ciphertext, never decrypted here.
        request.phone_encrypted, request.phone_hash = resident.phone_encrypted, resident.phone_hash
        request.phone_masked = resident.phone_masked
    code = tracking_code_new() if channel == Request.Channel.PUBLIC else ""
    request.tracking_hash = tracking_hash(code) if code else ""
    request.full_clean()
    request.save()
    request.tracking_code = code
    _event(request, RequestEvent.Action.RECEIVED, actor=submitted_by, note=request.get_channel_display(), at=now)
    _bump()
    return request


def duplicate_of_recent(*, phone: str, text: str, within: dt.timedelta = dt.timedelta(days=1)) -> bool:
    """The same number sent the same text lately (a double tap or a spammer)."""
    try:
        digest = pii.lookup_hash(validate_phone(phone))
    except IdentifierError:
        return False
    return Request.objects.filter(phone_hash=digest, text=text.strip(),
                                  received_at__gte=timezone.now() - within).exists()


@transaction.atomic
def request_classify(*, request: Request, actor, category: str, kind: str | None = None,
                     now: dt.datetime | None = None) -> Request:
    now = now or timezone.now()
    request = _locked(request)
    errors: dict[str, list[str]] = {}
    if category not in Request.Category.values:
        errors["category"] = [_("Choose employment, training, livelihood or other.")]
    if kind is not None and kind not in Request.Kind.values:
        errors["kind"] = [_("Choose a problem or an opinion.")]
    _raise(errors)
    request.category = category
    if kind is not None:
        request.kind = kind
    request.save(update_fields=["category", "kind"])
    _event(request, RequestEvent.Action.CLASSIFIED, actor=actor, before=request.status,
           note=f"{request.get_category_display()} · {request.get_kind_display()}", at=now)
    _bump()
    return request


@transaction.atomic
def request_assign(*, request: Request, actor, user=None, deputy: Deputy | None = None,
                   now: dt.datetime | None = None) -> Request:
    """Give the request to a worker of the station or one of its deputies: it is now being handled (办理中)."""
    now = now or timezone.now()
    request = _locked(request)
    errors: dict[str, list[str]] = {}
    if (user is None) == (deputy is None):
        errors["assignee"] = [_("Choose one deputy or one member of staff.")]
    elif deputy is not None and deputy.station_id != request.station_id:
        errors["assignee"] = [_("This deputy belongs to another station.")]
    elif user is not None and not StaffMembership.objects.filter(user=user, station_id=request.station_id).exists():
        errors["assignee"] = [_("This person is not on the staff of the station.")]
    if request.status == Request.Status.RESOLVED:
        errors["status"] = [_("The request is already resolved.")]
    _raise(errors)
    before = request.status
    request.assigned_user, request.assigned_deputy = user, deputy
    if request.status == Request.Status.RECEIVED:
        request.status = Request.Status.IN_PROGRESS
    request.save(update_fields=["assigned_user", "assigned_deputy", "status"])
    name = deputy.name if deputy else (user.get_full_name() or user.username)
    _event(request, RequestEvent.Action.ASSIGNED, actor=actor, before=before, note=name, at=now)
    _bump()
    return request


@transaction.atomic
def request_record_handling(*, request: Request, actor, handling: str, now: dt.datetime | None = None) -> Request:
    """Add what was done (an entry of the handling log)."""
    now = now or timezone.now()
    request = _locked(request)
    handling = (handling or "").strip()
    errors: dict[str, list[str]] = {}
    if not handling:
        errors["handling"] = [_("Say what was done.")]
    if request.status == Request.Status.RESOLVED:
        errors["status"] = [_("The request is already resolved.")]
    _raise(errors)
    before = request.status
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    request.handling = (request.handling + "\n" if request.handling else "") + f"{stamp} {handling}"
    request.handling = request.handling[-5000:]
    if request.status == Request.Status.RECEIVED:
        request.status = Request.Status.IN_PROGRESS
    request.save(update_fields=["handling", "status"])
    _event(request, RequestEvent.Action.HANDLING, actor=actor, before=before, note=handling, at=now)
    _bump()
    return request


@transaction.atomic
def request_answer(*, request: Request, actor, reply: str, now: dt.datetime | None = None) -> Request:
    """Reply to the person (已答复): the reply is what they read on their page."""
    now = now or timezone.now()
    request = _locked(request)
    reply = (reply or "").strip()
    errors: dict[str, list[str]] = {}
    if not reply:
        errors["reply"] = [_("Write the reply.")]
    elif len(reply) > 5000:
        errors["reply"] = [_("At most %(n)s characters.") % {"n": 5000}]
    if request.status == Request.Status.RESOLVED:
        errors["status"] = [_("The request is already resolved.")]
    _raise(errors)
    before = request.status
    request.reply = reply
    request.status = Request.Status.ANSWERED
    request.answered_at = request.answered_at or now
    request.save(update_fields=["reply", "status", "answered_at"])
    _event(request, RequestEvent.Action.ANSWERED, actor=actor, before=before, note=reply, at=now)
    _bump()
    return request


@transaction.atomic
def request_resolve(*, request: Request, actor, note: str = "", now: dt.datetime | None = None) -> Request:
    """Close the request as resolved (已办结); it must have been answered first."""
    now = now or timezone.now()
    request = _locked(request)
    if request.status != Request.Status.ANSWERED:
        raise ValidationError({"status": [_("Only an answered request can be resolved.")]})
    before = request.status
    request.status = Request.Status.RESOLVED
    request.resolved_at = now
    request.save(update_fields=["status", "resolved_at"])
    _event(request, RequestEvent.Action.RESOLVED, actor=actor, before=before, note=(note or "").strip(), at=now)
    _bump()
    return request


@transaction.atomic
def request_rate(*, request: Request, actor, rating: Any, comment: str = "",
                 now: dt.datetime | None = None) -> Request:
    """The person rates the reply (1–5, once)."""
    now = now or timezone.now()
    request = _locked(request)
    errors: dict[str, list[str]] = {}
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["rating"] = [_("Give 1 to 5 stars.")]
    if request.answered_at is None:
        errors["status"] = [_("The request has not been answered yet.")]
    elif request.rating is not None:
        errors["rating"] = errors.get("rating", []) + [_("You have already rated this reply.")]
    comment = (comment or "").strip()
    if len(comment) > 500:
        errors["comment"] = [_("At most %(n)s characters.") % {"n": 500}]
    _raise(errors)
    request.rating, request.rating_comment = value, comment
    request.save(update_fields=["rating", "rating_comment"])
    _event(request, RequestEvent.Action.RATED, actor=actor, before=request.status, note=f"{value}★ {comment}".strip(),
           at=now)
    _bump()
    return request


# --- deputies' suggestions -----------------------------------------------------------------------------------


@transaction.atomic
def suggestion_raise(*, deputy: Deputy, requests: Iterable[Request], title: str, body: str, actor,
                     addressed_to: str = "", now: dt.datetime | None = None) -> Suggestion:
    """A deputy turns related requests of the station into one formal suggestion (代表建议)."""
    now = now or timezone.now()
    picked = list(Request.objects.select_for_update().filter(pk__in=[r.pk for r in requests]).order_by("pk"))
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the suggestion a title.")]
    elif len(title) > 120:
        errors["title"] = [_("At most %(n)s characters.") % {"n": 120}]
    if not body:
        errors["body"] = [_("Write the suggestion.")]
    if not picked:
        errors["requests"] = [_("Choose the requests it comes from.")]
    elif any(r.station_id != deputy.station_id for r in picked):
        errors["requests"] = [_("Every request must belong to the deputy's station.")]
    elif any(r.suggestion_id for r in picked):
        errors["requests"] = [_("A request is already part of another suggestion.")]
    _raise(errors)
    suggestion = Suggestion(station_id=deputy.station_id, deputy=deputy, title=title, body=body,
                            addressed_to=(addressed_to or "").strip()[:120])
    suggestion.full_clean()
    suggestion.save()
    # The suggestion's own creation time follows the given clock (the demo writes history).
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=now)
    Request.objects.filter(pk__in=[r.pk for r in picked]).update(suggestion=suggestion)
    for r in picked:
        r.suggestion = suggestion
        _event(r, RequestEvent.Action.SUGGESTION, actor=actor, before=r.status, note=title, at=now)
    _bump()
    return suggestion


SUGGESTION_NEXT = {
    Suggestion.Status.DRAFTED: (Suggestion.Status.SUBMITTED,),
    Suggestion.Status.SUBMITTED: (Suggestion.Status.ANSWERED,),
    Suggestion.Status.ANSWERED: (Suggestion.Status.CLOSED,),
    Suggestion.Status.CLOSED: (),
}


@transaction.atomic
def suggestion_advance(*, suggestion: Suggestion, status: str, response: str = "", on: dt.date | None = None,
                       addressed_to: str | None = None) -> Suggestion:
    """Track the suggestion: submitted (to whom), answered (with the department's response), closed."""
    on = on or timezone.localdate()
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    errors: dict[str, list[str]] = {}
    if status not in SUGGESTION_NEXT.get(suggestion.status, ()):
        errors["status"] = [_("A %(now)s suggestion cannot become %(next)s.") % {
            "now": suggestion.get_status_display(), "next": dict(Suggestion.Status.choices).get(status, status)}]
    response = (response or "").strip()
    if status == Suggestion.Status.ANSWERED and not response:
        errors["response"] = [_("Record the response.")]
    if status == Suggestion.Status.SUBMITTED and not (addressed_to or suggestion.addressed_to).strip():
        errors["addressed_to"] = [_("Say whom it is submitted to.")]
    _raise(errors)
    suggestion.status = status
    if addressed_to is not None and addressed_to.strip():
        suggestion.addressed_to = addressed_to.strip()[:120]
    if status == Suggestion.Status.SUBMITTED:
        suggestion.submitted_on = on
    if status == Suggestion.Status.ANSWERED:
        suggestion.response, suggestion.answered_on = response, on
    suggestion.full_clean()
    suggestion.save()
    _bump()
    return suggestion


# --- the reception log ---------------------------------------------------------------------------------------

JOB_PROFILE_FIELDS = ("employment_status", "min_monthly_wage", "max_commute_km", "accepts_home_based",
                      "work_time", "skill_texts", "wanted_occupations")


@transaction.atomic
def reception_record(*, station: LiaisonStation, resident: Resident, topic: str, received_by, note: str = "",
                     room: LiaisonRoom | None = None, day: dt.date | None = None,
                     job_profile: dict[str, Any] | None = None, now: dt.datetime | None = None) -> Reception:
    """Record one person received. A job request updates the resident's job-seeking profile at once (looking
    for work unless said otherwise); another matter becomes a request (诉求) assigned to nobody yet."""
    now = now or timezone.now()
    day = day or timezone.localtime(now).date()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if topic not in Reception.Topic.values:
        errors["topic"] = [_("Choose a job, a training or another matter.")]
    if len(note) > TEXT_MAX:
        errors["note"] = [_("At most %(n)s characters.") % {"n": TEXT_MAX}]
    if topic == Reception.Topic.OTHER and not note:
        errors["note"] = [_("Say what the matter is: it becomes a request.")]
    if room is not None and room.station_id != station.pk:
        errors["room"] = [_("This room belongs to another station.")]
    if not _is_station_member(received_by, station):
        errors["received_by"] = [_("Only the station's staff and deputies record receptions.")]
    unknown = set(job_profile or {}) - set(JOB_PROFILE_FIELDS)
    if unknown:
        errors["job_profile"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    _raise(errors)
    if topic == Reception.Topic.JOB:
        data = {"employment_status": Resident.EmploymentStatus.SEEKING, **(job_profile or {})}
        if not data.get("skill_texts"):
            data.pop("skill_texts", None)
        resident = resident_update(resident=resident, data=data)
    request = None
    if topic == Reception.Topic.OTHER:
        request = request_submit(station=station, text=note, channel=Request.Channel.RECEPTION, resident=resident,
                                 submitted_by=received_by, now=now)
    reception = Reception(station=station, room=room, day=day, resident=resident, topic=topic, note=note,
                          received_by=received_by, request=request)
    reception.full_clean()
    reception.save()
    _bump()
    return reception


# --- what the station publishes ------------------------------------------------------------------------------


@transaction.atomic
def station_notice_set(*, station: LiaisonStation, opening_hours: str = "", phone: str = "",
                       introduction: str = ""):
    notice, _created = StationNotice.objects.get_or_create(station=station)
    notice.opening_hours, notice.phone, notice.introduction = opening_hours.strip(), phone.strip(), introduction.strip()
    notice.full_clean()
    notice.save()
    _bump()
    return notice


@transaction.atomic
def deputy_notice_set(*, deputy: Deputy, duties: str = "", phone: str = "", phone_public: bool = False):
    errors: dict[str, list[str]] = {}
    if phone_public and not phone.strip():
        errors["phone"] = [_("Give the phone to publish.")]
    _raise(errors)
    notice, _created = DeputyNotice.objects.get_or_create(deputy=deputy)
    notice.duties, notice.phone, notice.phone_public = duties.strip(), phone.strip(), phone_public
    notice.full_clean()
    notice.save()
    _bump()
    return notice
