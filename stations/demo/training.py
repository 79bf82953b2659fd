"""Demo courses (手工艺品制作, 藤椅加工, 家政服务) and their sessions over the past year and the coming months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from training import services as training_services
from training.models import Course, TrainingSession

from . import vocabulary as v
from .context import Context, weighted

# How often each course runs, relatively, and whose departments partner in it.
COURSE_WEIGHTS = {"rattan-chair": 4, "handicraft": 4, "housekeeping": 3}
PARTNERS = {
    "rattan-chair": ("县就业局", "县人社局", "平溪街道办事处"),
    "handicraft": ("县妇联", "县就业局", "县残联"),
    "housekeeping": ("县人社局", "县妇联", "县就业局", "县总工会"),
}
PAST_DAYS, FUTURE_DAYS = 730, 120  # sessions spread from two years ago to four months ahead
HOURS_PER_DAY = 6


@dataclass
class TrainingResult:
    courses: int = 0
    sessions: int = 0


def create_training(ctx: Context) -> TrainingResult:
    """Create the three courses and the sessions through training.services (few rows: no need to bulk)."""
    rng = ctx.rng("training")
    skills = ctx.vocab.skills
    courses: dict[str, Course] = {}
    for code, name, hours, description, granted in v.COURSES:
        courses[code] = training_services.course_create(
            code=code, name=name, hours=hours, description=description,
            skills=[(skills[skill], level) for skill, level in granted if skill in skills],
        )
    count = ctx.options.sessions
    span = PAST_DAYS + FUTURE_DAYS
    for index in range(count):
        code = weighted(rng, COURSE_WEIGHTS.items())
        course = courses[code]
        start = ctx.today - dt.timedelta(days=PAST_DAYS) + dt.timedelta(
            days=int(index * span / max(count, 1)) + rng.randint(-5, 5))
        end = start + dt.timedelta(days=-(-course.hours // HOURS_PER_DAY) - 1)
        place_name, venue = (v.TRAINING_VENUES[0] if code == "rattan-chair" and rng.random() < 0.6
                             else rng.choice(v.TRAINING_VENUES))
        if end < ctx.today:
            status = TrainingSession.Status.CANCELLED if rng.random() < 0.05 else TrainingSession.Status.FINISHED
        elif start <= ctx.today or (start - ctx.today).days <= 45:
            status = TrainingSession.Status.OPEN
        else:
            status = TrainingSession.Status.PLANNED
        training_services.session_create(
            course=course, start_date=start, end_date=end, place=ctx.vocab.place(place_name), venue=venue,
            capacity=rng.choice((20, 25, 30, 40, 50)), hours=course.hours, trainer=rng.choice(v.TRAINERS[code]),
            partner_department=rng.choice(PARTNERS[code]), status=status, created_by=ctx.users.get("bureau"),
            allow_past_start=True,  # the demo's history
        )
    return TrainingResult(courses=len(courses), sessions=count)
