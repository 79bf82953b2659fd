"""Two years of the station's past, lived through the services: recommendations and what came of them,
placements and leavings, follow-ups, and the training sessions held with enrolments, attendance and completions.

Every event is written by the service a person at the desk would use, on its own day: the clock is moved
to that day (time-machine) while the service runs, so its checks ("an outcome is not in the future", "only an
open session takes enrolments") and its timestamps are those of the day. The events are generated in
order of their day from one random stream per concern (`ctx.rng`), so the same seed and `today` give the same
history.

## The latent model (what the demo's history is generated from, hidden from the ranking models)

- **Who is recommended.** For a share of the postings published in the past (RECOMMEND_SHARE), liaison staff
  take the posting's best residents by the rules (the engine's ranking on the day it was published) and
  recommend one to three of them, the better ranked more often, 1–20 days after publication. A resident in
  work on that day, or already recommended to the posting, is passed over.
- **Who is hired.** logit p(hired) = HIRE_BASE + HIRE_RULE·(rule score − 0.6) + employer + resident, with
  - employer: each employer's own propensity to hire, N(0, 0.8²); NEVER_HIRING_SHARE of employers never hire
    anyone the station sends (−4);
  - resident: − 0.04·(age − 35) for ages above 35, + 0.35 with vocational or more schooling, − 0.5 with
    care duties for a job that is not home-based, and a personal N(0, 0.4²).

  Sex and ethnicity play no part. Those not hired were rejected by the employer, or declined the job (more
  often when it is far from home: DECLINE_FAR beyond 15 km), or never answered.
- **Who stays.** logit p(still in work at 90 days) = STAY_BASE + 0.9 for home-based work or a poverty-
  alleviation workshop − 0.03·distance in km + the employer's own stability N(0, 0.6²). Those who leave go
  10–89 days after the start; of those who stay, LATE_LEAVE_SHARE leave later, within two years.
- **Follow-ups.** Due at 1, 3 and 6 months; staff make the call within a week of the due day, except for
  those due in the last FOLLOW_UP_BACKLOG_DAYS, which are still on the follow-up desk.
- **Training.** Each past session fills 35–70% of its seats with residents who lack what it teaches, enrolled
  3–20 days before it starts. Each day of the session a trainee attends with probability 0.9; DROP_SHARE drop
  out; the others complete it and pass when they attended at least 80% of the hours. Sessions of the last
  ATTENDANCE_DAYS keep their day-by-day attendance; older ones keep only who completed and passed.

The numbers are set so that a default demo's last full year reads like the station's own report: about 1,000
job information items, 100 or more people recommended into work, 20 or more trainings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.tasks import coalesced
from freshness.services import bumps_batched
from jobs import services as job_services
from jobs.models import JobPosting
from matching import services as matching
from matching.engine import ResidentIndex
from matching.engine.ranking import rank_residents_for_job
from matching.indexes import catalogs
from matching.models import FollowUp, Placement, Recommendation
from matching.profiles import job_profiles, resident_profiles
from residents.models import Resident
from training import services as training_services
from training.models import TrainingSession

from .context import Context

HISTORY_DAYS = 730
RECOMMEND_SHARE = 0.07  # of past postings that the station recommends someone to
HIRE_BASE, HIRE_RULE = -0.55, 3.0
NEVER_HIRING_SHARE = 0.08
DECLINE_FAR = 0.55
STAY_BASE = 0.35
LATE_LEAVE_SHARE = 0.3
FOLLOW_UP_BACKLOG_DAYS = 21
DROP_SHARE = 0.06
ATTENDANCE_DAYS = 120
RERANK_TASKS = ("matching.tasks.posting_rerank", "matching.tasks.resident_rerank")


@dataclass
class HistoryResult:
    recommendations: int = 0
    hires: int = 0
    leavings: int = 0
    follow_ups_answered: int = 0
    follow_ups_due: int = 0
    enrolments: int = 0
    completions: int = 0
    sessions_held: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _at(day: dt.date, hour: int = 10):
    """The moment the clock is moved to for an event of `day` (local time, office hours)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class _Clock:
    """Moves the clock to a day while a service runs; `today` is the demo's own today."""

    def __init__(self, today: dt.date):
        self.today = today

    def on(self, day: dt.date, hour: int = 10):
        return time_machine.travel(_at(day, hour), tick=False)


def create_history(ctx: Context) -> HistoryResult:
    """Generate the past (see the module's documentation): training first, then recommendations and their
    outcomes, in order of their days; the ranking tasks they trigger are folded into one county ranking."""
    result = HistoryResult()
    with coalesced(RERANK_TASKS, into="matching.tasks.county_ranking"), bumps_batched():
        _training(ctx, result)
        _employment(ctx, result)
    return result


# --- employment


@dataclass
class _Event:
    day: dt.date
    order: int
    kind: str
    payload: dict


def _employment(ctx: Context, result: HistoryResult) -> None:
    rng = ctx.rng("history-employment")
    clock = _Clock(ctx.today)
    today = ctx.today
    liaison = ctx.users["liaison"]
    start = today - dt.timedelta(days=HISTORY_DAYS)
    tz = timezone.get_current_timezone()
    postings = list(JobPosting.objects.filter(
        status=JobPosting.Status.OPEN, published_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=tz),
        published_at__lt=dt.datetime.combine(today - dt.timedelta(days=7), dt.time(), tzinfo=tz),
    ).select_related("employer").order_by("published_at", "pk"))
    employers = sorted({p.employer_id for p in postings})
    employer_rng = ctx.rng("history-employers")
    hiring = {e: (-4.0 if employer_rng.random() < NEVER_HIRING_SHARE else employer_rng.gauss(0, 0.8))
              for e in employers}
    stability = {e: employer_rng.gauss(0, 0.6) for e in employers}
    workshops = {p.employer_id for p in postings if p.employer.is_poverty_workshop}

    pool = Resident.objects.filter(employment_status__in=[Resident.EmploymentStatus.SEEKING,
                                                          Resident.EmploymentStatus.EMPLOYED])
    cats = catalogs.get()
    profiles = resident_profiles(pool, today=today)
    index = ResidentIndex.from_profiles(profiles, cats.skills, cats.config)
    facts = {pk: (born, education, care) for pk, born, education, care in pool.values_list(
        "pk", "birth_date", "education", "care_duties")}
    person_rng = ctx.rng("history-people")
    personal = {pk: person_rng.gauss(0, 0.4) for pk in sorted(facts)}  # ids keep their order from seed to seed
    chosen = [p for p in postings if rng.random() < RECOMMEND_SHARE]
    jobs = {j.id: j for j in job_profiles(JobPosting.objects.filter(pk__in=[p.pk for p in chosen]))}

    events: list[_Event] = []
    order = 0
    for posting in chosen:
        published = timezone.localtime(posting.published_at).date()
        ranked = rank_residents_for_job(jobs[posting.pk], index, k=12, today=published, courses=cats.courses)
        if not ranked:
            continue
        count = min(len(ranked), rng.choice((1, 1, 2, 2, 3)))
        picks = []
        weights = [1.0 / (rank + 1) for rank in range(len(ranked))]
        candidates = list(ranked)
        while len(picks) < count and candidates:
            pick = rng.choices(range(len(candidates)), weights=weights[:len(candidates)])[0]
            picks.append(candidates.pop(pick))
            weights.pop(pick)
        for match in picks:
            day = published + dt.timedelta(days=rng.randint(1, 20))
            if posting.valid_until is not None:
                day = min(day, posting.valid_until)
            if day >= today:
                continue
            order += 1
            events.append(_Event(day, order, "recommend", {"posting": posting, "match": match}))
    events.sort(key=lambda e: (e.day, e.order))

    busy_until: dict[int, dt.date] = {}  # resident → the day their current job ends (date.max: still in work)
    pending: list[_Event] = []
    for event in events:
        # Work off the later events (outcomes, leavings, follow-ups) due before this recommendation's day.
        pending.sort(key=lambda e: (e.day, e.order))
        while pending and pending[0].day <= event.day:
            _apply(pending.pop(0), clock, liaison, result, pending)
            pending.sort(key=lambda e: (e.day, e.order))
        posting, match = event.payload["posting"], event.payload["match"]
        resident_id = match.resident_id
        if busy_until.get(resident_id, dt.date.min) >= event.day:
            continue
        with clock.on(event.day, 9):
            posting.refresh_from_db()
            if posting.status != JobPosting.Status.OPEN or posting.openings_remaining <= 0:
                continue
            try:
                recommendation = matching.recommendation_create(
                    resident=Resident(pk=resident_id), posting=posting, recommended_by=liaison,
                    score=min(1.0, max(0.0, match.score)), explanation={"summary": ""},
                )
            except ValidationError:  # a pair the service refuses is simply not in the history
                continue
        result.recommendations += 1
        born, education, care = facts[resident_id]
        age = (event.day - born).days // 365 if born else 35
        far = match.distance_km is not None and match.distance_km > 15
        home = posting.work_mode == JobPosting.WorkMode.HOME_BASED
        logit = (HIRE_BASE + HIRE_RULE * (match.score - 0.6) + hiring[posting.employer_id]
                 - 0.04 * max(0, age - 35) + (0.35 if education in ("vocational", "senior", "college") else 0)
                 - (0.5 if care != "none" and not home else 0) + personal[resident_id])
        decided = event.day + dt.timedelta(days=rng.randint(3, 25))
        roll = rng.random()
        if roll < _sigmoid(logit):
            started = decided + dt.timedelta(days=rng.randint(0, 10))
            if started >= today:
                continue  # still being decided: the recommendation stays open
            distance = match.distance_km or 0.0
            stay = _sigmoid(STAY_BASE + (0.9 if home or posting.employer_id in workshops else 0) - 0.03 * distance
                            + stability[posting.employer_id])
            if rng.random() < stay:
                left = (started + dt.timedelta(days=rng.randint(90, 700))) if rng.random() < LATE_LEAVE_SHARE else None
            else:
                left = started + dt.timedelta(days=rng.randint(10, 89))
            busy_until[resident_id] = left or dt.date.max
            order += 1
            pending.append(_Event(min(started, today), order, "hire", {
                "recommendation": recommendation, "started": started, "left": left, "rng": rng}))
        else:
            if decided >= today:
                continue
            state = ("declined" if rng.random() < (DECLINE_FAR if far else 0.2)
                     else "no_answer" if rng.random() < 0.25 else "rejected")
            order += 1
            pending.append(_Event(decided, order, "close", {"recommendation": recommendation, "state": state}))
    pending.sort(key=lambda e: (e.day, e.order))
    while pending:
        event = pending.pop(0)
        _apply(event, clock, liaison, result, pending)
        pending.sort(key=lambda e: (e.day, e.order))
    result.follow_ups_due = FollowUp.objects.filter(done_at__isnull=True, due_date__lte=today).count()
    result.by_state = {state: count for state in Recommendation.State.values
                       if (count := Recommendation.objects.filter(state=state).count())}
    with clock.on(today, 1):
        job_services.postings_expire(today=today)


def _apply(event: _Event, clock: _Clock, liaison, result: HistoryResult, pending: list[_Event]) -> None:
    today = clock.today
    payload = event.payload
    if event.kind == "close":
        with clock.on(event.day, 15):
            matching.recommendation_move(recommendation=payload["recommendation"], to_state=payload["state"],
                                         actor=liaison, on=event.day)
    elif event.kind == "hire":
        recommendation, started, left = payload["recommendation"], payload["started"], payload["left"]
        with clock.on(recommendation.recommended_on, 16):
            matching.recommendation_move(recommendation=recommendation, to_state="contacted", actor=liaison,
                                         on=recommendation.recommended_on)
        with clock.on(started, 11):
            try:
                matching.recommendation_move(recommendation=recommendation, to_state="hired", actor=liaison,
                                             start_date=started, on=started)
            except ValidationError:  # the last opening went to someone else meanwhile
                matching.recommendation_move(recommendation=recommendation, to_state="rejected", actor=liaison,
                                             on=started)
                return
        result.hires += 1
        placement = Placement.objects.get(recommendation=recommendation)
        rng = payload["rng"]
        queue = pending
        for follow_up in placement.follow_ups.order_by("months"):
            call = follow_up.due_date + dt.timedelta(days=rng.randint(0, 6))
            if follow_up.due_date > today - dt.timedelta(days=FOLLOW_UP_BACKLOG_DAYS) or call > today:
                continue
            if left is not None and left < follow_up.due_date and left <= call:
                still = False
            else:
                still = True
            queue.append(_Event(call, event.order, "follow_up", {"follow_up": follow_up, "still": still}))
        if left is not None and left <= today:
            queue.append(_Event(left, event.order, "leave", {"placement": placement}))
    elif event.kind == "leave":
        with clock.on(event.day, 17):
            matching.placement_end(placement=payload["placement"], ended_on=event.day,
                                   reason=_leave_reason(event.order), actor=liaison)
        result.leavings += 1
    elif event.kind == "follow_up":
        with clock.on(event.day, 14):
            matching.followup_record(follow_up=payload["follow_up"], still_employed=payload["still"], actor=liaison)
        result.follow_ups_answered += 1


def _leave_reason(order: int) -> str:
    return ("quit", "quit", "quit", "contract_ended", "dismissed", "other")[order % 6]


# --- training


def _training(ctx: Context, result: HistoryResult) -> None:
    rng = ctx.rng("history-training")
    clock = _Clock(ctx.today)
    today = ctx.today
    liaison = ctx.users["liaison"]
    sessions = list(TrainingSession.objects.filter(start_date__lt=today, status=TrainingSession.Status.FINISHED)
                    .select_related("course").order_by("start_date", "pk"))
    taught = defaultdict(set)
    for course_id, skill_id in _course_skills():
        taught[course_id].add(skill_id)
    residents = list(Resident.objects.filter(employment_status__in=[
        Resident.EmploymentStatus.SEEKING, Resident.EmploymentStatus.EMPLOYED,
        Resident.EmploymentStatus.NOT_SEEKING]).order_by("pk").values_list("pk", flat=True))
    held = _skills_held()
    busy: dict[int, dt.date] = {}
    for session in sessions:
        opened = session.start_date - dt.timedelta(days=21)
        with clock.on(opened, 8):
            training_services.session_update(session=session, data={"status": TrainingSession.Status.OPEN})
        # A session fills 35–70% of its seats; a small demo's few residents fill proportionally fewer.
        wanted = int(min(session.capacity, max(4, len(residents) // 60)) * rng.uniform(0.35, 0.7))
        lacking = [pk for pk in residents if not taught[session.course_id] <= held.get(pk, set())
                   and busy.get(pk, dt.date.min) < session.start_date]
        enrolled = []
        for pk in rng.sample(lacking, min(wanted, len(lacking))):
            day = session.start_date - dt.timedelta(days=rng.randint(3, 20))
            with clock.on(day, 10):
                try:
                    enrolled.append(training_services.enrollment_create(session=session, resident=Resident(pk=pk),
                                                                        actor=liaison))
                except ValidationError:  # a clash the service refuses is not in the history
                    continue
            busy[pk] = session.end_date
        result.enrolments += len(enrolled)
        days = [session.start_date + dt.timedelta(days=d) for d in range((session.end_date - session.start_date).days + 1)]
        per_day = Decimal(str(round(session.hours / len(days), 1)))
        dropped = {e.pk for e in enrolled if rng.random() < DROP_SHARE}
        attended: dict[int, Decimal] = defaultdict(Decimal)
        # Sessions of the last ATTENDANCE_DAYS keep their day-by-day attendance (the rosters show it); for older
        # ones only the outcome is kept, drawn from the same attendance model.
        daily = session.end_date >= today - dt.timedelta(days=ATTENDANCE_DAYS)
        for number, day in enumerate(days):
            if day > today:
                break
            present = [e for e in enrolled if not (e.pk in dropped and number >= len(days) // 2)
                       and rng.random() < 0.9 and attended[e.pk] + per_day <= session.hours]
            for enrollment in present:
                attended[enrollment.pk] += per_day
            if daily and present:
                with clock.on(day, 17):
                    for enrollment in present:
                        training_services.attendance_record(enrollment=enrollment, date=day, hours=per_day,
                                                            actor=liaison)
        end = min(session.end_date, today)
        with clock.on(end, 18):
            for enrollment in enrolled:
                if enrollment.pk in dropped:
                    training_services.enrollment_drop(enrollment=enrollment, actor=liaison)
                    continue
                passed = attended[enrollment.pk] >= Decimal("0.8") * session.hours
                training_services.enrollment_complete(enrollment=enrollment, passed=passed, actor=liaison)
                result.completions += passed
                if passed:
                    held.setdefault(enrollment.resident_id, set()).update(taught[session.course_id])
            training_services.session_update(session=session, data={"status": TrainingSession.Status.FINISHED})
        result.sessions_held += 1


def _course_skills():
    from training.models import CourseSkill

    return CourseSkill.objects.values_list("course_id", "skill_id")


def _skills_held() -> dict[int, set[int]]:
    from residents.models import ResidentSkill

    held: dict[int, set[int]] = defaultdict(set)
    for resident_id, skill_id in ResidentSkill.objects.values_list("resident_id", "skill_id"):
        held[resident_id].add(skill_id)
    return held


__all__ = ["HistoryResult", "create_history"]
