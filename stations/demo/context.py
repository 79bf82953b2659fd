"""What every demo generator shares: the options, the vocabulary read from the taxonomy, random streams."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, Protocol, TypeVar

from taxonomy.models import Occupation, Place, Skill

from . import vocabulary as v

T = TypeVar("T")
BATCH_SIZE = 1000


class DemoError(Exception):
    """The demo cannot be seeded as asked (bad options, missing reference data, data already there)."""


@dataclass(frozen=True)
class DemoOptions:
    """How big a demo to build. The same seed and the same `today` give exactly the same data."""

    households: int = 600
    residents: int = 2000
    employers: int = 80
    postings: int = 1000  # postings of the last few months (open, drafts, some closed or filled)
    past_postings: int | None = None  # postings of the two years before (all closed by now); None: 3.3 × postings
    sessions: int = 56  # training sessions over two years past and four months ahead
    history: bool = True  # two years of recommendations, outcomes, placements and enrolments
    seed: int = 2025
    today: dt.date | None = None  # None: the current local date
    password: str = v.DEMO_PASSWORD

    @property
    def scale(self) -> float:
        """How big this demo is next to the default one (by its residents): activity that the calendar does not
        fix (people received, requests) follows it."""
        return self.residents / DemoOptions.residents

    @property
    def past_posting_count(self) -> int:
        return round(self.postings * 3.3) if self.past_postings is None else self.past_postings

    def check(self) -> None:
        if self.households < 1:
            raise DemoError("--households must be at least 1.")
        if self.residents < self.households:
            raise DemoError("--residents must be at least --households (every household has a member).")
        if self.employers < 1 and self.postings > 0:
            raise DemoError("postings need at least one employer.")
        for name in ("employers", "postings", "sessions"):
            if getattr(self, name) < 0:
                raise DemoError(f"--{name} cannot be negative.")
        if self.past_postings is not None and self.past_postings < 0:
            raise DemoError("--past-postings cannot be negative.")
        if not self.password:
            raise DemoError("--password cannot be empty.")


class Bar(Protocol):
    def update(self, n: int = 1) -> Any: ...
    def close(self) -> Any: ...


ProgressFactory = Callable[[int, str], Bar]


class _SilentBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def silent_progress(total: int, desc: str) -> Bar:
    return _SilentBar()


@dataclass
class Vocabulary:
    """The reference rows the demo refers to, read once from the taxonomy tables."""

    places: dict[str, Place]
    pingxi_places: list[Place]  # communities, villages and sites of 平溪街道, by code
    county_places: list[Place]  # towns and villages of Yuping county outside 平溪街道, by code
    outside_places: list[Place]  # counties and towns of Tongren outside Yuping, by code
    skills: dict[str, Skill]
    occupations: dict[str, Occupation]  # level-4 occupations by name (first code wins)

    def place(self, code_or_name: str) -> Place:
        if code_or_name in self.places:
            return self.places[code_or_name]
        for place in self.pingxi_places:
            if place.name == code_or_name:
                return place
        if code_or_name in ("平溪街道", v.PINGXI_CODE):
            return self.places[v.PINGXI_CODE]
        raise DemoError(f"place {code_or_name!r} is not in the taxonomy; run `manage.py load_taxonomy`.")


def load_vocabulary() -> Vocabulary:
    places = {p.code: p for p in Place.objects.filter(code__startswith="52").order_by("code")}
    for code in (v.PINGXI_CODE, v.HUANGCHA_CODE, v.KANGHUA_CODE):
        if code not in places:
            raise DemoError(f"place {code} is missing; run `manage.py load_taxonomy`.")
    pingxi = places[v.PINGXI_CODE]
    pingxi_places = [p for p in places.values() if p.parent_id == pingxi.pk]
    county_places = [
        p for p in places.values()
        if p.code.startswith(v.COUNTY_CODE) and p.level in (Place.Level.TOWN, Place.Level.VILLAGE)
        and not p.code.startswith(v.PINGXI_CODE[:9])
    ]
    outside_places = [
        p for p in places.values()
        if p.code.startswith("5206") and not p.code.startswith(v.COUNTY_CODE)
        and p.level in (Place.Level.COUNTY, Place.Level.TOWN) and p.latitude is not None and "市辖区" not in p.name
    ]
    skills = {s.code: s for s in Skill.objects.order_by("code")}
    if not skills:
        raise DemoError("the skill vocabulary is empty; run `manage.py load_taxonomy`.")
    occupations: dict[str, Occupation] = {}
    for occupation in Occupation.objects.filter(level=Occupation.Level.OCCUPATION).order_by("code"):
        occupations.setdefault(occupation.name, occupation)
    return Vocabulary(places, pingxi_places, county_places, outside_places, skills, occupations)


@dataclass
class Context:
    """One seeding run: options, the fixed `today`, the vocabulary and the users that own the rows."""

    options: DemoOptions
    today: dt.date
    vocab: Vocabulary
    progress: ProgressFactory = silent_progress
    users: dict[str, Any] = field(default_factory=dict)

    def rng(self, stream: str) -> random.Random:
        """An independent random stream per concern, so adding employers does not change residents."""
        return random.Random(f"lianxin-demo:{self.options.seed}:{stream}")


def weighted(rng: random.Random, pairs: Iterable[tuple[T, float]]) -> T:
    items = list(pairs)
    return rng.choices([item for item, _ in items], weights=[weight for _, weight in items])[0]


def batched(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def make_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(v.PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone
