"""Coders built from the vocabulary tables: job titles → occupations, skill texts → skills.

The pure coders (occupation_coder, skill_resolver) are built once per process from the database
rows and rebuilt when the tables change (checked at most every CHECK_SECONDS).

The title coder learns from the bundled development titles plus the county's own corrections
(OccupationCorrection). `manage.py train_coder` fits it and saves it to OCCUPATION_CODER_PATH (a
numpy .npz file, no pickle); a process loads that file when it was fitted on the same occupations,
corrections and bundled data (a digest), and otherwise fits the coder itself (about 10 s, once per content).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from freshness.models import Domain
from freshness.selectors import versions_get

from .models import Occupation, OccupationCorrection, Skill
from .occupation_coder import (
    DEV_TITLES_PATH,
    FORMAT_VERSION,
    OCCUPATION_ALIASES_PATH,
    CodingResult,
    OccupationCoder,
)
from .skill_resolver import SkillResolution, SkillResolver, split_skill_text

logger = logging.getLogger(__name__)

CHECK_SECONDS = 30
# Resolutions below these confidences are kept as unresolved text instead of guessing.
SKILL_MIN_CONFIDENCE = 0.6
OCCUPATION_MIN_CONFIDENCE = 0.45


class _Cached:
    """A value built from the tables, rebuilt when their signature changes."""

    def __init__(self, signature, build):
        self._signature_fn, self._build = signature, build
        self._value, self._signature, self._checked = None, None, 0.0
        self._lock = threading.Lock()

    def get(self):
        now = time.monotonic()
        if self._value is not None and now - self._checked < CHECK_SECONDS:
            return self._value
        with self._lock:
            signature = self._signature_fn()
            if self._value is None or signature != self._signature:
                self._value, self._signature = self._build(), signature
            self._checked = now
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = self._signature = None


def occupation_signature() -> tuple:
    """The version of the reference data the coder is fitted on: occupations and clerks' corrections bump it
    (`taxonomy.services`), so a process or a saved file fitted under another version is rebuilt."""
    stamp = versions_get()[Domain.REFERENCE]
    return (stamp.epoch, stamp.version)


def coder_path() -> Path:
    """Where `train_coder` saves the fitted title coder."""
    return Path(getattr(settings, "OCCUPATION_CODER_PATH", settings.BASE_DIR / "var" / "occupation_coder.npz"))


def _coder_inputs() -> tuple[list[tuple], list[tuple], str]:
    """The occupations and corrections a coder is fitted on, and a digest of them (with the bundled titles and
    aliases, and the coder's file format): two coders fitted on inputs of the same digest are the same."""
    rows = [
        tuple(row)
        for row in Occupation.objects.order_by("code").values_list(
            "level", "code", "name", "definition", "aliases", "tasks"
        )
    ]
    corrections = [
        tuple(row) for row in OccupationCorrection.objects.order_by("id").values_list("title", "occupation__code")
    ]
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT_VERSION, rows, sorted(corrections)], ensure_ascii=False, default=str).encode())
    for bundled in (DEV_TITLES_PATH, OCCUPATION_ALIASES_PATH):
        digest.update(bundled.read_bytes())
    return rows, corrections, digest.hexdigest()


# The last coder fitted in this process, by the digest of its inputs: a new version of the reference data
# with the same content (a rolled-back test, a correction taken back) costs a digest, not a fit.
_fitted: dict[str, OccupationCoder] = {}


def fit_occupation_coder() -> OccupationCoder:
    """A title coder fitted on the occupations table, the development titles and every correction."""
    rows, corrections, digest = _coder_inputs()
    coder = _fitted.get(digest)
    if coder is None:
        coder = OccupationCoder.from_rows(rows, labelled=None, corrections=corrections)
        coder.tag = digest
        _fitted.clear()
        _fitted[digest] = coder
    return coder


def save_occupation_coder(coder: OccupationCoder, path: Path | None = None) -> Path:
    """Save a coder from fit_occupation_coder(); its tag is the digest of what it was fitted on."""
    path = path or coder_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    coder.save(partial)
    partial.replace(path)  # readers never see half a file
    return path


def _skill_signature():
    return occupation_signature()  # skills are reference data too: their writers bump the same version


def _build_occupation_coder() -> OccupationCoder:
    path = coder_path()
    if path.exists():
        try:
            coder = OccupationCoder.load(path)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("cannot load the title coder from %s (%s): fitting it", path, exc)
        else:
            if coder.tag == _coder_inputs()[2]:
                return coder  # fitted on the same occupations, corrections and bundled data
    return fit_occupation_coder()


def _build_skill_resolver() -> SkillResolver:
    rows = Skill.objects.order_by("id").values_list("code", "name", "group__code", "aliases")
    return SkillResolver.from_rows([tuple(row) for row in rows])


_occupations = _Cached(occupation_signature, _build_occupation_coder)
_skills = _Cached(_skill_signature, _build_skill_resolver)


def occupation_coder() -> OccupationCoder:
    return _occupations.get()


def skill_resolver() -> SkillResolver:
    return _skills.get()


def recheck_now() -> None:
    """Make this process compare the coders' versions at their next use instead of within CHECK_SECONDS: the
    process that wrote a change reads it at once (others within CHECK_SECONDS). Nothing is refitted unless
    what the coder learns from changed."""
    for cached in (_occupations, _skills):
        cached._checked = 0.0


def clear_caches() -> None:
    _occupations.clear()
    _skills.clear()


@dataclass(frozen=True)
class CodedTitle:
    """A coded job title with the Occupation row when one was found."""

    result: CodingResult
    occupation: Occupation | None


def code_titles(titles: list[str]) -> list[CodedTitle]:
    results = occupation_coder().code_many(titles)
    codes = {r.code for r in results if r.code}
    by_code = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    return [CodedTitle(r, by_code.get(r.code) if r.code else None) for r in results]


@dataclass(frozen=True)
class ResolvedSkill:
    """A skill text with the Skill row it resolved to, or None (kept and reported, never dropped)."""

    resolution: SkillResolution
    skill: Skill | None


def resolve_skill_texts(texts: list[str], *, split: bool = True) -> list[ResolvedSkill]:
    """Resolve free skill texts ("会编藤椅、做保洁") to skills; `split` breaks lists into phrases first."""
    phrases: list[str] = []
    for text in texts:
        phrases.extend(split_skill_text(text) if split else [text])
    resolutions = skill_resolver().resolve_many(phrases) if phrases else []
    codes = {r.skill_code for r in resolutions if r.skill_code}
    by_code = {s.code: s for s in Skill.objects.filter(code__in=codes)}
    return [
        ResolvedSkill(r, by_code.get(r.skill_code) if r.skill_code and r.confidence >= SKILL_MIN_CONFIDENCE else None)
        for r in resolutions
    ]


def skills_from_texts(texts: list[str]) -> tuple[list[Skill], list[str]]:
    """The distinct skills free texts resolve to (in order), and the texts that resolved to nothing."""
    texts = [t.strip() for t in texts if t and t.strip()]
    if not texts:
        return [], []
    skills: dict[int, Skill] = {}
    unresolved: list[str] = []
    for resolved in resolve_skill_texts(texts):
        if resolved.skill is None:
            unresolved.append(resolved.resolution.text)
        else:
            skills.setdefault(resolved.skill.pk, resolved.skill)
    return list(skills.values()), unresolved
