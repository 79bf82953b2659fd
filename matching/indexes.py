"""The engine's indexes of open postings and of residents seeking work, kept in each process for the domain
versions they were built at, and patched row by row from the change log when those move.

A reader takes the versions once per request (`freshness.selectors.versions_get`). When the postings (or
residents) version moved since the index was built, the records changed in between are read again and
their rows replaced (`JobIndex.patched`, `ResidentIndex.patched`): a hire costs a few rows, not a reload of
the county. A change of anything (a bulk update without ids, a pruned log, another epoch) or of the
reference data (skills, places) rebuilds the index.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from freshness.models import Domain
from freshness.selectors import Stamp, changes_since, may_cache, versions_get
from jobs.models import JobPosting
from residents.models import Resident

from .engine import CourseCatalog, EngineConfig, JobIndex, ResidentIndex, SkillCatalog
from .profiles import course_catalog, engine_config, job_profiles, resident_profiles, skill_catalog

logger = logging.getLogger(__name__)

# Beyond this many changed records a rebuild is cheaper than a patch.
PATCH_LIMIT = 5000
# A day change patches the residents whose age changed (birthdays); beyond this many days, a rebuild.
BIRTHDAY_DAYS_LIMIT = 7


@dataclass(frozen=True)
class Catalogs:
    """The skill and course catalogs and the engine config every index and ranking of a version shares."""

    skills: SkillCatalog
    courses: CourseCatalog
    config: EngineConfig
    reference: Stamp
    training: Stamp


class _CatalogCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._value: Catalogs | None = None

    def get(self) -> Catalogs:
        stamps = versions_get()
        reference, training = stamps[Domain.REFERENCE], stamps[Domain.TRAINING]
        with self._lock:
            value = self._value
            if value is None or value.reference != reference:
                value = Catalogs(skill_catalog(), course_catalog(), engine_config(), reference, training)
            elif value.training != training:
                value = Catalogs(value.skills, course_catalog(), value.config, reference, training)
            if may_cache():
                self._value = value
            return value

    def clear(self) -> None:
        with self._lock:
            self._value = None


catalogs = _CatalogCache()


@dataclass(frozen=True)
class _Entry:
    index: JobIndex | ResidentIndex
    stamp: Stamp  # version of the domain the index reflects
    reference: Stamp
    today: dt.date
    homes: dict[int, int]  # each row's resettlement site (residents only)


class _VersionedIndex:
    """One index kept for the versions it reflects. `_load(ids, today)` gives the profiles of the records
    that belong in the index (all of them when `ids` is None, else those among `ids`) and their sites;
    the other `ids` leave it."""

    domain: str = ""
    name: str = ""

    def __init__(self):
        self._lock = threading.Lock()
        self._entry: _Entry | None = None
        self.rebuilds = 0
        self.patches = 0

    # -- what a subclass says
    def _load(self, ids: Iterable[int] | None, today: dt.date) -> tuple[list, dict[int, int]]:
        raise NotImplementedError

    def _build(self, profiles: list, cats: Catalogs):
        raise NotImplementedError

    def _expand(self, ids: frozenset[int]) -> frozenset[int]:
        return ids

    def _day_changes(self, entry: _Entry, today: dt.date) -> frozenset[int] | None:
        return frozenset()

    # -- the cache
    def _entry_for(self, today: dt.date) -> _Entry:
        stamps = versions_get()
        stamp, reference = stamps[self.domain], stamps[Domain.REFERENCE]
        cats = catalogs.get()
        with self._lock:
            entry = self._entry
            if entry is not None and entry.stamp == stamp and entry.reference == reference and entry.today == today:
                return entry
            started = time.perf_counter()
            changed = None
            if entry is not None and entry.reference == reference:
                changed = changes_since(self.domain, entry.stamp, stamp)
                if changed is not None and entry.today != today:
                    day = self._day_changes(entry, today)
                    changed = None if day is None else changed | day
            if changed is not None and len(changed) <= PATCH_LIMIT:
                changed = self._expand(changed)
                profiles, homes = self._load(changed, today) if changed else ([], {})
                removed = [i for i in changed if i not in homes]
                merged = {i: site for i, site in entry.homes.items() if i not in changed} | homes
                entry = _Entry(entry.index.patched(profiles, removed=removed), stamp, reference, today, merged)
                self.patches += 1
                how = f"patched {len(changed)} rows"
            else:
                profiles, homes = self._load(None, today)
                entry = _Entry(self._build(profiles, cats), stamp, reference, today, homes)
                self.rebuilds += 1
                how = "rebuilt"
            logger.log(logging.INFO if how == "rebuilt" else logging.DEBUG, "%s index %s in %.0f ms (%s %s, %d rows)",
                       self.name, how, (time.perf_counter() - started) * 1000, self.domain, stamp, len(entry.index))
            if may_cache():
                self._entry = entry
            return entry

    def clear(self) -> None:
        with self._lock:
            self._entry = None


class _OpenPostings(_VersionedIndex):
    """Every open posting (availability on a given day is the engine's to check)."""

    domain = Domain.POSTINGS
    name = "open postings"

    def _load(self, ids, today):
        postings = JobPosting.objects.filter(status=JobPosting.Status.OPEN)
        if ids is not None:
            postings = postings.filter(pk__in=list(ids))
        profiles = job_profiles(postings)
        return profiles, dict.fromkeys((p.id for p in profiles), 0)

    def _build(self, profiles, cats):
        return JobIndex.from_profiles(profiles, cats.skills, cats.config)

    def get(self, today: dt.date) -> tuple[JobIndex, SkillCatalog, CourseCatalog, EngineConfig]:
        """The index of open postings with the catalogs and config it was built with."""
        entry = self._entry_for(today)
        cats = catalogs.get()
        return entry.index, cats.skills, cats.courses, cats.config


class _SeekingResidents(_VersionedIndex):
    """Every resident seeking work, with each one's resettlement site (for scopes)."""

    domain = Domain.RESIDENTS
    name = "seeking residents"

    def __init__(self):
        super().__init__()
        self._scoped: dict[frozenset[int], tuple[_Entry, ResidentIndex]] = {}

    def _load(self, ids, today):
        residents = Resident.objects.filter(employment_status=Resident.EmploymentStatus.SEEKING)
        if ids is not None:
            residents = residents.filter(pk__in=list(ids))
        homes = dict(residents.order_by().values_list("pk", "household__site_id"))
        return resident_profiles(residents, today=today), homes

    def _build(self, profiles, cats):
        return ResidentIndex.from_profiles(profiles, cats.skills, cats.config)

    def _expand(self, ids):
        """A resident's change of work changes whether their household has anyone in work, which every
        member's priority reads: the whole household is read again."""
        households = Resident.objects.filter(pk__in=list(ids)).values("household_id")
        return ids | frozenset(Resident.objects.filter(household_id__in=households).values_list("pk", flat=True))

    def _day_changes(self, entry, today):
        """Ages move on birthdays: the residents born on a day between the index's day and today."""
        gap = (today - entry.today).days
        if not 0 < gap <= BIRTHDAY_DAYS_LIMIT:
            return None
        days = Q()
        for offset in range(1, gap + 1):
            day = entry.today + dt.timedelta(days=offset)
            days |= Q(birth_date__month=day.month, birth_date__day=day.day)
            if (day.month, day.day) == (3, 1):  # born on 29 February: a year older on 1 March
                days |= Q(birth_date__month=2, birth_date__day=29)
        seeking = Resident.objects.filter(employment_status=Resident.EmploymentStatus.SEEKING)
        return frozenset(seeking.filter(days).values_list("pk", flat=True))

    def get(self, today: dt.date, *, site_ids: Iterable[int] | None = None) -> ResidentIndex:
        """Residents seeking work, all of them or those whose household lives at one of `site_ids` (a station's
        rows are taken once per index and scope, not per request)."""
        entry = self._entry_for(today)
        if site_ids is None:
            return entry.index
        wanted = frozenset(site_ids)
        with self._lock:
            scoped = self._scoped.get(wanted)
            if scoped is not None and scoped[0] is entry:
                return scoped[1]
        homes = np.fromiter((entry.homes.get(rid, -1) for rid in entry.index.ids.tolist()), dtype=np.int64,
                            count=len(entry.index))
        index = entry.index.take(np.flatnonzero(np.isin(homes, np.fromiter(wanted, dtype=np.int64))))
        if may_cache():
            with self._lock:
                if len(self._scoped) > 64:  # scopes are stations and rooms: a handful
                    self._scoped.clear()
                self._scoped[wanted] = (entry, index)
        return index

    def clear(self) -> None:
        super().clear()
        with self._lock:
            self._scoped.clear()


open_posting_index = _OpenPostings()
seeking_resident_index = _SeekingResidents()


def clear_indexes() -> None:
    """Forget every index kept in this process (tests; a deployment never needs to)."""
    for cache in (catalogs, open_posting_index, seeking_resident_index):
        cache.clear()

