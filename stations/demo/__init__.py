"""The Pingxi demo: a realistic, deterministic 平溪街道 with its station, residents, employers, jobs and training.

`seed_demo(DemoOptions(...))` builds it in one transaction. Determinism: the same seed and the same
`today` give exactly the same content (compare `content_digest()`); only ids, auto timestamps and
the Fernet ciphertext (random IV, embedded time) differ between runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import LiaisonStation
from .context import Context, DemoError, DemoOptions, ProgressFactory, load_vocabulary, silent_progress
from .digest import content_digest
from .employment import EmploymentResult, create_employment
from .history import HistoryResult, create_history
from .people import PeopleResult, create_people
from .reset import has_domain_data, reset_demo
from .station import create_logins, create_station, link_resident_login
from .training import TrainingResult, create_training
from .vocabulary import LOGINS


@dataclass
class DemoReport:
    """What a seed wrote, for the command to print."""

    today: object
    station: str
    rooms: list[tuple[str, list[str]]]
    people: PeopleResult
    employment: EmploymentResult
    training: TrainingResult
    deputies: int
    history: HistoryResult | None = None
    logins: dict[str, str] = field(default_factory=dict)  # username → group (or "superuser")
    resident_login_name: str = ""
    new_logins: list[str] = field(default_factory=list)
    seconds: float = 0.0


def station_exists() -> bool:
    return LiaisonStation.objects.exists()


def seed_demo(options: DemoOptions, *, progress: ProgressFactory = silent_progress, reset: bool = False) -> DemoReport:
    """Build the demo in one transaction; with `reset`, delete the previous demo data first."""
    options.check()
    started = time.perf_counter()
    today = options.today or timezone.localdate()
    with transaction.atomic():
        if reset:
            reset_demo()
        elif has_domain_data():
            raise DemoError("the database already has stations, residents, employers or courses; "
                            "use --reset to replace them or --if-empty to leave them.")
        ctx = Context(options=options, today=today, vocab=load_vocabulary(), progress=progress)
        built = create_station(ctx)
        existing = set(get_user_model().objects.filter(username__in=list(LOGINS)).values_list("username", flat=True))
        users = create_logins(ctx, built)
        training = create_training(ctx)
        employment = create_employment(ctx)
        people = create_people(ctx)
        resident = link_resident_login(ctx, people.login_resident_id)
        history = create_history(ctx) if options.history else None
    return DemoReport(
        today=today,
        station=built.station.name,
        rooms=[(room.name, [p.name for p in room.places.order_by("code")]) for room in built.rooms],
        people=people,
        employment=employment,
        training=training,
        deputies=len(built.deputies),
        history=history,
        logins={name: ("superuser" if user.is_superuser else ", ".join(user.groups.values_list("name", flat=True)))
                for name, user in users.items()},
        resident_login_name=resident.name,
        new_logins=[name for name in users if name not in existing],
        seconds=time.perf_counter() - started,
    )


__all__ = ["DemoError", "DemoOptions", "DemoReport", "content_digest", "reset_demo", "seed_demo", "station_exists"]
