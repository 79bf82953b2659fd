"""Resolving free-text skill phrases (会编藤椅, 带小孩, 开叉车) to the skill vocabulary; pure, no Django.

Order of attempts for one phrase: exact skill name → alias → an alias inside a longer phrase →
rapidfuzz over names and aliases → character n-gram similarity. A phrase that resolves to nothing
comes back with method "none" and its text kept, so callers never lose what a person wrote.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from .text import normalise_skill_text, normalise_text

DATA_DIR = Path(__file__).resolve().parent / "data"
SKILLS_PATH = DATA_DIR / "skills.csv"

METHODS = ("exact", "alias", "fuzzy", "ngram", "none")

_SEPARATORS = re.compile(r"[、，,；;/／|｜\n\r\t。．.！!？?：:＋+&＆]+|\s+")
# Joining words between two phrases: 编藤椅和做保洁, 会开车还会修车. Split only when both sides keep
# at least two characters, so words such as 和面 or 跟妆 stay whole.
_CONNECTORS = re.compile(r"以及|还有|还会|也会|并且|或者|和|及|与|跟|或")
_NEGATION = re.compile(r"^(?:不会|不能|不懂|不太会|没有|没学过|没做过|没)")


@dataclass(frozen=True, slots=True)
class ResolverSettings:
    """Thresholds of the resolver (a deployment may override them from its settings)."""

    fuzzy_threshold: float = 85.0  # rapidfuzz WRatio, 0–100
    ngram_threshold: float = 0.6  # cosine of character 1–2-gram TF-IDF vectors
    exact_confidence: float = 1.0
    alias_confidence: float = 0.95
    contained_floor: float = 0.6  # an alias inside a longer phrase: 0.6 … 0.9 by coverage
    contained_min_coverage: float = 0.4  # the alias must cover this share of the phrase


@dataclass(frozen=True, slots=True)
class SkillEntry:
    """One skill of the vocabulary."""

    code: str
    name: str
    group: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkillResolution:
    """What one phrase resolved to; skill_code is None when nothing matched (method "none")."""

    text: str
    normalised: str
    skill_code: str | None
    skill_name: str | None
    confidence: float
    method: str


def load_skill_rows(path: str | Path | None = None) -> list[dict[str, str]]:
    """The rows of skills.csv as dicts (code, name, group, aliases, occupations, description)."""
    with Path(path or SKILLS_PATH).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split_aliases(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    parts = value.split("|") if isinstance(value, str) else [str(part) for part in value]  # type: ignore[union-attr]
    return tuple(part.strip() for part in parts if part and part.strip())


def _parse_row(row: Mapping[str, object] | Sequence[object]) -> SkillEntry:
    if isinstance(row, Mapping):
        code, name, group, aliases = row["code"], row["name"], row.get("group", ""), row.get("aliases", "")
    else:
        code, name, group, aliases = (list(row) + [""] * 4)[:4]
    return SkillEntry(str(code).strip(), str(name).strip(), str(group or "").strip(), _split_aliases(aliases))


def split_skill_text(text: str) -> list[str]:
    """A free-text list of skills split into phrases: '会编藤椅、做保洁，带孩子/开叉车' → 4 phrases."""
    phrases: list[str] = []
    for piece in _SEPARATORS.split(text or ""):
        phrases.extend(_split_connectors(piece.strip()))
    return list(dict.fromkeys(phrase for phrase in phrases if phrase))


def _split_connectors(piece: str) -> list[str]:
    for match in _CONNECTORS.finditer(piece):
        left, right = piece[: match.start()].strip(), piece[match.end() :].strip()
        if len(left) >= 2 and len(right) >= 2:
            return [left, *_split_connectors(right)]
    return [piece] if piece else []


class SkillResolver:
    """Resolves skill phrases against the vocabulary; build once, reuse (thread-safe for reads)."""

    def __init__(self, skills: Sequence[SkillEntry], *, settings: ResolverSettings | None = None) -> None:
        self.settings = settings or ResolverSettings()
        self.skills: dict[str, SkillEntry] = {}
        for skill in skills:
            self.skills.setdefault(skill.code, skill)
        if not self.skills:
            raise ValueError("no skills in the rows")
        self._names: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        for skill in self.skills.values():
            for key in (normalise_text(skill.name), normalise_skill_text(skill.name)):
                if key:
                    self._names.setdefault(key, skill.code)
        for skill in self.skills.values():
            for alias in skill.aliases:
                for key in (normalise_text(alias), normalise_skill_text(alias)):
                    if key and key not in self._names:
                        self._aliases.setdefault(key, skill.code)
        self._surface_keys = list(self._names) + list(self._aliases)
        self._surface_codes = [self._names[key] for key in self._names] + [
            self._aliases[key] for key in self._aliases
        ]
        self._longest_key = max(len(key) for key in self._surface_keys)
        from sklearn.feature_extraction.text import TfidfVectorizer  # when building: not at start-up

        self._vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True, lowercase=False, dtype=np.float32
        )
        self._matrix = self._vectoriser.fit_transform(self._surface_keys).T.tocsr()

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object] | Sequence[object]],
        *,
        settings: ResolverSettings | None = None,
    ) -> SkillResolver:
        """Build from skills.csv rows (dicts) or (code, name, group, aliases) tuples; aliases '|'-separated."""
        return cls([_parse_row(row) for row in rows], settings=settings)

    def skill(self, code: str) -> SkillEntry | None:
        """The skill with this code, if any."""
        return self.skills.get(code)

    def resolve(self, text: str) -> SkillResolution:
        """Resolve one phrase (split lists first with split_skill_text)."""
        return self.resolve_many([text])[0]

    def resolve_text(self, text: str) -> list[SkillResolution]:
        """Split a free-text list and resolve every phrase, in order."""
        return self.resolve_many(split_skill_text(text))

    def resolve_many(self, texts: Iterable[str]) -> list[SkillResolution]:
        """Resolve many phrases; the n-gram step runs as one sparse-matrix product."""
        texts = [text if isinstance(text, str) else "" for text in texts]
        results: list[SkillResolution | None] = [None] * len(texts)
        pending: list[tuple[int, str]] = []
        for position, text in enumerate(texts):
            raw, core = normalise_text(text), normalise_skill_text(text)
            if not raw or _NEGATION.match(raw):
                results[position] = SkillResolution(text, core or raw, None, None, 0.0, "none")
                continue
            results[position] = self._dictionary_hit(text, raw, core)
            if results[position] is None:
                pending.append((position, core))
        if pending:
            similarity = (self._vectoriser.transform([core for _p, core in pending]) @ self._matrix).toarray()
            for row, (position, core) in enumerate(pending):
                results[position] = self._approximate(texts[position], core, similarity[row])
        return [result for result in results if result is not None]

    def _dictionary_hit(self, text: str, raw: str, core: str) -> SkillResolution | None:
        settings = self.settings
        for key in dict.fromkeys((raw, core)):
            if key in self._names:
                return self._resolution(text, core, self._names[key], settings.exact_confidence, "exact")
            if key in self._aliases:
                return self._resolution(text, core, self._aliases[key], settings.alias_confidence, "alias")
        return None

    def _approximate(self, text: str, core: str, similarity_row: np.ndarray) -> SkillResolution:
        settings = self.settings
        options: list[tuple[float, str, str]] = []  # (confidence, code, method)
        contained = self._contained(core)
        if contained is not None:
            options.append(contained)
        match = process.extractOne(
            core, self._surface_keys, scorer=fuzz.WRatio, score_cutoff=settings.fuzzy_threshold
        )
        if match is not None:
            _key, score, index = match
            options.append((0.9 * score / 100, self._surface_codes[index], "fuzzy"))
        if similarity_row.size:
            index = int(similarity_row.argmax())
            cosine = float(similarity_row[index])
            if cosine >= settings.ngram_threshold:
                options.append((0.85 * cosine, self._surface_codes[index], "ngram"))
        if not options:
            return SkillResolution(text, core, None, None, 0.0, "none")
        confidence, code, method = max(options)
        return self._resolution(text, core, code, confidence, method)

    def _contained(self, core: str) -> tuple[float, str, str] | None:
        """The longest name or alias inside the phrase (熟练使用电动缝纫机 ⊃ 电动缝纫机)."""
        length = len(core)
        for size in range(min(self._longest_key, length - 1), 1, -1):
            if size / length < self.settings.contained_min_coverage:
                break
            for start in range(0, length - size + 1):
                key = core[start : start + size]
                code = self._names.get(key) or self._aliases.get(key)
                if code is not None:
                    floor = self.settings.contained_floor
                    return floor + (0.9 - floor) * size / length, code, "fuzzy"
        return None

    def _resolution(self, text: str, core: str, code: str, confidence: float, method: str) -> SkillResolution:
        skill = self.skills[code]
        return SkillResolution(text, core, code, skill.name, round(min(1.0, confidence), 4), method)


@lru_cache(maxsize=1)
def default_resolver() -> SkillResolver:
    """A resolver over the bundled skills.csv (built once per process)."""
    return SkillResolver.from_rows(load_skill_rows())
