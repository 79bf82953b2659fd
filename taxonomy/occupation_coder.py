"""Coding free-text job titles to the national occupational classification (2022); pure, no Django.

Pipeline for one title: clean it (taxonomy.text) → exact occupation name → alias (the classification's
own aliases plus taxonomy/data/occupation_aliases.csv) → character n-gram TF-IDF over names and aliases,
with definitions at a lower weight → rapidfuzz re-scores the best candidates → when no occupation is
confident, the best broader group (minor, middle or major group) found by pooling candidate scores.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import normalise_text, title_segments

DATA_DIR = Path(__file__).resolve().parent / "data"
CSCO_PATH = DATA_DIR / "csco22.csv"
OCCUPATION_ALIASES_PATH = DATA_DIR / "occupation_aliases.csv"

METHODS = ("exact", "alias", "tfidf", "fuzzy", "group", "none")
OCCUPATION_LEVEL = 4

# Generic heads of job titles (茶厂工人, 木工师傅): they say "a worker", not which work, so the
# TF-IDF step leaves them out when something is left.
GENERIC_HEADS = ("工作人员", "工人", "员工", "师傅", "人员", "学徒", "阿姨", "大姐")

# 数字 (S) and 绿色 (L) occupation markers at the end of a name: 电子商务师S, 大地测量员L/S.
_MARKER = re.compile(r"(?<=[^\x00-\x7f])[SL](?:/[SL])?$")


def strip_occupation_marker(name: str) -> str:
    """'保洁员L' → '保洁员', '大地测量员L/S' → '大地测量员'; other names unchanged."""
    return _MARKER.sub("", (name or "").strip()).strip()


def strip_generic_head(cleaned: str) -> str:
    """'茶厂工人' → '茶厂', '木工师傅' → '木工'; a title that is only a generic head is kept."""
    for head in GENERIC_HEADS:
        if cleaned.endswith(head) and len(cleaned) - len(head) >= 2:
            return cleaned[: -len(head)]
    return cleaned


@dataclass(frozen=True, slots=True)
class CoderSettings:
    """Thresholds and weights of the coder (a deployment may override them from its settings)."""

    occupation_threshold: float = 0.5  # below this score no single occupation is trusted
    group_threshold: float = 0.45  # below this pooled score no group is trusted either
    group_temperature: float = 0.05  # softmax temperature turning candidate scores into group shares
    candidates: int = 12  # TF-IDF candidates re-scored with rapidfuzz
    alternatives: int = 3
    definition_weight: float = 0.15  # share of the definition/tasks similarity in the TF-IDF score
    fuzzy_weight: float = 0.5  # share of the rapidfuzz score in the combined score
    batch_size: int = 1024  # titles per sparse-matrix product in code_many
    exact_confidence: float = 1.0
    alias_confidence: float = 0.97
    segment_penalty: float = 0.02  # a hit on one segment of a longer title is a little less sure
    group_hit_confidence: float = 0.9  # the title is a group's own name or alias (普工 → 6-00-00-00)
    max_scored_confidence: float = 0.94  # TF-IDF/fuzzy results never look as sure as a dictionary hit
    # A name or alias found inside a longer title scores base + coverage_weight × covered share
    # (+ suffix_bonus when it ends the title, where Chinese puts the head noun: 住家保姆 is a 保姆).
    contained_base: float = 0.62
    contained_coverage_weight: float = 0.2
    contained_suffix_bonus: float = 0.04


@dataclass(frozen=True, slots=True)
class OccupationEntry:
    """One row of the classification: a group (levels 1–3) or an occupation (level 4)."""

    code: str
    level: int
    name: str
    definition: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodingResult:
    """The code given to one title, how it was found and how sure the coder is."""

    title: str
    cleaned: str
    code: str | None
    name: str | None
    level: int | None
    confidence: float
    method: str
    alternatives: tuple[tuple[str, str, float], ...] = field(default=())


def load_csco_rows(path: str | Path | None = None) -> list[dict[str, str]]:
    """The rows of csco22.csv as dicts (level, code, name, definition, tasks, alias …)."""
    with Path(path or CSCO_PATH).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_occupation_aliases(path: str | Path | None = None) -> list[tuple[str, str]]:
    """The curated (alias, code) pairs of occupation_aliases.csv."""
    with Path(path or OCCUPATION_ALIASES_PATH).open(encoding="utf-8", newline="") as handle:
        return [
            (row["alias"].strip(), row["code"].strip()) for row in csv.DictReader(handle) if row.get("alias")
        ]


def _split_aliases(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        parts: Iterable[str] = value.replace("\n", ",").split(",")
    else:
        parts = (str(part) for part in value)  # type: ignore[union-attr]
    return tuple(part.strip() for part in parts if part and part.strip())


def _parse_row(row: Mapping[str, object] | Sequence[object]) -> tuple[OccupationEntry, str]:
    """A csv dict or a (level, code, name, definition, alias[, tasks]) tuple → (entry, tasks)."""
    if isinstance(row, Mapping):
        level, code, name = row["level"], row["code"], row["name"]
        definition = row.get("definition") or ""
        aliases = row.get("alias", row.get("aliases")) or ""
        tasks = row.get("tasks") or ""
    else:
        level, code, name, definition, aliases = (list(row) + [""] * 5)[:5]
        tasks = row[5] if len(row) > 5 else ""
    clean_name = strip_occupation_marker(str(name))
    alias_names = tuple(
        dict.fromkeys(
            stripped
            for stripped in (strip_occupation_marker(alias) for alias in _split_aliases(aliases))
            if stripped and stripped != clean_name
        )
    )
    entry = OccupationEntry(
        code=str(code).strip(),
        level=int(str(level).strip()),
        name=clean_name,
        definition=str(definition or "").strip(),
        aliases=alias_names,
    )
    return entry, str(tasks or "")


@dataclass(slots=True)
class _Scored:
    index: int  # index into the occupation list
    tfidf: float
    fuzzy: float = 0.0
    contained: float = 0.0
    modifier: float = 0.0  # for siblings sharing the title's head: how close the rest of the title is

    def blend(self, fuzzy_weight: float) -> float:
        return (1 - fuzzy_weight) * self.tfidf + fuzzy_weight * self.fuzzy

    def score(self, fuzzy_weight: float) -> float:
        return max(self.blend(fuzzy_weight), self.contained)

    def rank_key(self, fuzzy_weight: float) -> tuple[float, float, float]:
        """Best score first; among equal scores (siblings sharing a head) the closer modifier, then text."""
        return self.score(fuzzy_weight), self.modifier, self.blend(fuzzy_weight)


class OccupationCoder:
    """Gives job titles a code of the 2022 classification; build once, reuse (thread-safe for reads)."""

    def __init__(
        self,
        entries: Sequence[OccupationEntry],
        *,
        extra_aliases: Iterable[tuple[str, str]] = (),
        documents: Mapping[str, str] | None = None,
        settings: CoderSettings | None = None,
    ) -> None:
        self.settings = settings or CoderSettings()
        self.entries: dict[str, OccupationEntry] = {}
        for entry in entries:
            self.entries.setdefault(entry.code, entry)
        self.occupations = [entry for entry in self.entries.values() if entry.level == OCCUPATION_LEVEL]
        if not self.occupations:
            raise ValueError("no level-4 occupations in the rows")
        self._occupation_index = {entry.code: index for index, entry in enumerate(self.occupations)}
        self._build_dictionaries(extra_aliases)
        self._build_parents()
        self._build_vectors(documents or {})

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object] | Sequence[object]],
        extra_aliases: Iterable[tuple[str, str]] | Iterable[Mapping[str, str]] | None = None,
        *,
        settings: CoderSettings | None = None,
    ) -> OccupationCoder:
        """Build from classification rows (dicts as read from csco22.csv, or 5-tuples).

        `extra_aliases` are (alias, code) pairs or {"alias", "code"} dicts; None means the bundled
        occupation_aliases.csv, an empty list means none. They win over the classification's aliases.
        """
        entries, documents = [], {}
        for row in rows:
            entry, tasks = _parse_row(row)
            entries.append(entry)
            documents.setdefault(entry.code, f"{entry.name} {entry.definition} {tasks}".strip())
        if extra_aliases is None:
            pairs = load_occupation_aliases()
        else:
            pairs = [
                (item["alias"], item["code"]) if isinstance(item, Mapping) else (item[0], item[1])
                for item in extra_aliases
            ]
        return cls(entries, extra_aliases=pairs, documents=documents, settings=settings)

    def _build_dictionaries(self, extra_aliases: Iterable[tuple[str, str]]) -> None:
        self._names: dict[str, str] = {}  # normalised level-4 name → code
        self._aliases: dict[str, str] = {}  # normalised level-4 alias → code
        self._group_keys: dict[str, str] = {}  # normalised name or alias of a group → group code
        self._surfaces: dict[int, list[str]] = {index: [] for index in range(len(self.occupations))}
        for entry in self.entries.values():
            key = normalise_text(entry.name)
            if entry.level == OCCUPATION_LEVEL:
                self._names.setdefault(key, entry.code)
            else:
                self._group_keys.setdefault(key, entry.code)
        curated: dict[str, str] = {}
        for alias, code in extra_aliases:
            key = normalise_text(alias)
            if key and code in self.entries and key not in self._names:
                curated[key] = code
        for entry in self.entries.values():
            for alias in entry.aliases:
                key = normalise_text(alias)
                if not key or key in self._names or key in curated:
                    continue
                if entry.level == OCCUPATION_LEVEL:
                    self._aliases.setdefault(key, entry.code)
                else:
                    self._group_keys.setdefault(key, entry.code)
        for key, code in curated.items():
            if self.entries[code].level == OCCUPATION_LEVEL:
                self._aliases[key] = code
                self._group_keys.pop(key, None)
            else:
                self._group_keys[key] = code
                self._aliases.pop(key, None)
        for key, code in list(self._names.items()) + list(self._aliases.items()):
            self._surfaces[self._occupation_index[code]].append(key)
        for index, entry in enumerate(self.occupations):
            if not self._surfaces[index]:
                self._surfaces[index].append(normalise_text(entry.name) or entry.code)
        self._contained_keys = {key: code for key, code in self._aliases.items() if len(key) >= 2}
        self._contained_keys.update({key: code for key, code in self._names.items() if len(key) >= 2})
        self._longest_key = max(len(key) for key in self._contained_keys)
        # A head such as 饲养员 ends several occupations' names (家畜饲养员, 家禽饲养员): found at the end of a
        # title it tells what kind of work, not which one, so it speaks for all of them and the modifier
        # (养鸡场…) decides among them by TF-IDF and fuzzy similarity.
        names = [(index, normalise_text(entry.name)) for index, entry in enumerate(self.occupations)]
        self._head_siblings: dict[str, tuple[int, ...]] = {}
        for key, code in self._aliases.items():
            if len(key) < 2 or key in self._names:
                continue
            siblings = {index for index, name in names if name.endswith(key) and name != key}
            if len(siblings) >= 2:
                self._head_siblings[key] = tuple(sorted(siblings | {self._occupation_index[code]}))

    def _build_parents(self) -> None:
        """Each code's broader groups present in the rows, narrowest first."""
        self._parents: dict[str, tuple[str, ...]] = {}
        for code in self.entries:
            first, second, third, _fourth = (code.split("-") + ["00"] * 4)[:4]
            chain = (f"{first}-{second}-{third}-00", f"{first}-{second}-00-00", f"{first}-00-00-00")
            self._parents[code] = tuple(
                dict.fromkeys(
                    parent
                    for parent in chain
                    if parent != code
                    and parent in self.entries
                    and self.entries[parent].level < OCCUPATION_LEVEL
                )
            )

    def _build_vectors(self, documents: Mapping[str, str]) -> None:
        surface_texts, owners = [], []
        for index in range(len(self.occupations)):
            for surface in self._surfaces[index]:
                surface_texts.append(surface)
                owners.append(index)
        self._surface_owner = np.asarray(owners)
        self._owner_starts = np.flatnonzero(np.r_[True, self._surface_owner[1:] != self._surface_owner[:-1]])
        self._surface_vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, lowercase=False, dtype=np.float32
        )
        self._surface_matrix = self._surface_vectoriser.fit_transform(surface_texts).T.tocsr()
        definitions = [
            normalise_text(documents.get(entry.code) or f"{entry.name} {entry.definition}")
            for entry in self.occupations
        ]
        self._definition_vectoriser = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False, dtype=np.float32
        )
        self._definition_matrix = self._definition_vectoriser.fit_transform(definitions).T.tocsr()

    # -- lookups --------------------------------------------------------------------------------

    def entry(self, code: str) -> OccupationEntry | None:
        """The classification row with this code, if any."""
        return self.entries.get(code)

    def parents(self, code: str) -> tuple[str, ...]:
        """The broader groups of a code that exist in the rows, narrowest first."""
        return self._parents.get(code, ())

    # -- coding ---------------------------------------------------------------------------------

    def code(self, title: str) -> CodingResult:
        """Code one title."""
        return self.code_many([title])[0]

    def code_many(self, titles: Iterable[str]) -> list[CodingResult]:
        """Code many titles; the TF-IDF step runs as one sparse-matrix product per batch."""
        titles = [title if isinstance(title, str) else "" for title in titles]
        results: list[CodingResult | None] = [None] * len(titles)
        pending: list[tuple[int, str, list[str]]] = []
        for position, title in enumerate(titles):
            segments = title_segments(title)
            cleaned = "".join(segments)
            if not cleaned:
                results[position] = self._none(title, cleaned)
                continue
            hit = self._dictionary_hit(title, cleaned, segments)
            if hit is not None:
                results[position] = hit
            else:
                pending.append((position, cleaned, segments))
        batch = self.settings.batch_size
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            scores = self._tfidf_scores(
                [strip_generic_head(cleaned) for _position, cleaned, _segments in chunk]
            )
            for row, (position, cleaned, _segments) in enumerate(chunk):
                results[position] = self._score_title(titles[position], cleaned, scores[row])
        return [result for result in results if result is not None]

    def _dictionary_hit(self, title: str, cleaned: str, segments: list[str]) -> CodingResult | None:
        settings = self.settings
        keys = [(cleaned, 0.0)]
        if len(segments) > 1:
            keys += [(segment, settings.segment_penalty) for segment in segments]
        for key, penalty in keys:
            if key in self._names:
                return self._result(
                    title, cleaned, self._names[key], settings.exact_confidence - penalty, "exact"
                )
            if key in self._aliases:
                return self._result(
                    title, cleaned, self._aliases[key], settings.alias_confidence - penalty, "alias"
                )
            if key in self._group_keys:
                code = self._group_keys[key]
                return self._result(title, cleaned, code, settings.group_hit_confidence - penalty, "group")
        return None

    def _tfidf_scores(self, cleaned: list[str]) -> np.ndarray:
        """(titles × occupations) TF-IDF similarity: best name/alias blended with the definition."""
        weight = self.settings.definition_weight
        surface_similarity = (self._surface_vectoriser.transform(cleaned) @ self._surface_matrix).toarray()
        best_surface = np.maximum.reduceat(surface_similarity, self._owner_starts, axis=1)
        definition_similarity = (
            self._definition_vectoriser.transform(cleaned) @ self._definition_matrix
        ).toarray()
        return (1 - weight) * best_surface + weight * definition_similarity

    def _contained(self, cleaned: str) -> tuple[dict[int, float], str]:
        """Occupations whose name or alias appears inside the title, scored by coverage and position;
        and the shared head (饲养员) that ends the title, when one does."""
        found: dict[int, float] = {}
        head = ""
        length = len(cleaned)
        for size in range(min(self._longest_key, length - 1), 1, -1):
            for start in range(0, length - size + 1):
                key = cleaned[start : start + size]
                code = self._contained_keys.get(key)
                if code is None:
                    continue
                at_end = start + size == length
                score = self._contained_score(size, length, at_end=at_end)
                owners = self._head_siblings.get(key, ()) if at_end else ()
                if owners and not head:
                    head = key
                for index in owners or (self._occupation_index[code],):
                    found[index] = max(found.get(index, 0.0), score)
        return found, head

    def _contained_score(self, size: int, length: int, *, at_end: bool) -> float:
        settings = self.settings
        bonus = settings.contained_suffix_bonus if at_end else 0.0
        return settings.contained_base + settings.contained_coverage_weight * size / length + bonus

    def _score_title(self, title: str, cleaned: str, tfidf_row: np.ndarray) -> CodingResult:
        settings = self.settings
        count = min(settings.candidates, len(tfidf_row))
        top = np.argpartition(-tfidf_row, count - 1)[:count]
        candidates = {int(index): _Scored(int(index), float(tfidf_row[index])) for index in top}
        contained, head = self._contained(cleaned)
        for index, score in contained.items():
            scored = candidates.setdefault(index, _Scored(index, float(tfidf_row[index])))
            scored.contained = score
        modifier = cleaned[: -len(head)] if head else ""
        if modifier:
            similarity = self._tfidf_scores([modifier])[0]
            for index in self._head_siblings[head]:
                candidates[index].modifier = float(similarity[index])
        for scored in candidates.values():
            scored.fuzzy = (
                max(fuzz.WRatio(cleaned, surface) for surface in self._surfaces[scored.index]) / 100
            )
        ranked = sorted(candidates.values(), key=lambda s: s.rank_key(settings.fuzzy_weight), reverse=True)
        best = ranked[0]
        best_score = best.score(settings.fuzzy_weight)
        alternatives = self._alternatives(ranked[1:], exclude=self.occupations[best.index].code)
        if best_score >= settings.occupation_threshold:
            tfidf_top = max(candidates.values(), key=lambda s: s.tfidf).index
            decided_by_tfidf = (
                best.index == tfidf_top and best.contained <= best.score(settings.fuzzy_weight) - 1e-9
            )
            method = "tfidf" if decided_by_tfidf else "fuzzy"
            confidence = min(best_score, settings.max_scored_confidence)
            return self._result(
                title, cleaned, self.occupations[best.index].code, confidence, method, alternatives
            )
        group = self._best_group(cleaned, ranked)
        if group is not None:
            code, score = group
            occupation_alternatives = self._alternatives(ranked, exclude=code)
            return self._result(title, cleaned, code, score, "group", occupation_alternatives)
        return self._none(title, cleaned, alternatives=self._alternatives(ranked, exclude=""))

    def _best_group(self, cleaned: str, ranked: list[_Scored]) -> tuple[str, float] | None:
        """The narrowest broader group holding most of the candidates' belief, if it is sure enough.

        Candidate scores become weights by a sharp softmax; a group's mass is the share of weight of
        its members. The narrowest group (minor → middle → major) with a majority of the mass wins;
        its score is its best member's score, raised by the support of the other members. A major
        group (生产制造及有关人员) is only given when the title names it (电池厂普工 contains 普工):
        pooled evidence alone is too thin for so broad a code.
        """
        settings = self.settings
        weight = settings.fuzzy_weight
        named: set[str] = set()
        evidence: list[tuple[float, tuple[str, ...]]] = [
            (scored.score(weight), self._parents.get(self.occupations[scored.index].code, ()))
            for scored in ranked
        ]
        # A group named inside the title (电池厂普工 contains 普工 → 6-00-00-00) is evidence for it.
        for key, code in self._group_keys.items():
            if len(key) >= 2 and key in cleaned:
                score = self._contained_score(len(key), len(cleaned), at_end=cleaned.endswith(key))
                evidence.append((score, (code, *self._parents.get(code, ()))))
                named.add(code)
        if not evidence:
            return None
        top_score = max(score for score, _groups in evidence)
        weights = [np.exp((score - top_score) / settings.group_temperature) for score, _groups in evidence]
        total = float(sum(weights))
        mass: dict[str, float] = {}
        best_member: dict[str, float] = {}
        for (score, groups), item_weight in zip(evidence, weights, strict=True):
            for group in groups:
                mass[group] = mass.get(group, 0.0) + float(item_weight) / total
                best_member[group] = max(best_member.get(group, 0.0), score)
        for level in (3, 2, 1):
            at_level = [
                code
                for code in mass
                if self.entries[code].level == level and mass[code] >= 0.5 and (level > 1 or code in named)
            ]
            if not at_level:
                continue
            code = max(at_level, key=lambda group: (mass[group], best_member[group]))
            top_share = max(
                float(item_weight) / total
                for (score, groups), item_weight in zip(evidence, weights, strict=True)
                if code in groups
            )
            score = min(0.9, best_member[code] * (1 + 0.5 * (mass[code] - top_share)))
            if score >= settings.group_threshold:
                return code, score
        return None

    def _alternatives(self, ranked: Iterable[_Scored], *, exclude: str) -> tuple[tuple[str, str, float], ...]:
        weight = self.settings.fuzzy_weight
        picked: list[tuple[str, str, float]] = []
        for scored in ranked:
            entry = self.occupations[scored.index]
            if entry.code == exclude:
                continue
            picked.append((entry.code, entry.name, round(min(scored.score(weight), 1.0), 4)))
            if len(picked) >= self.settings.alternatives:
                break
        return tuple(picked)

    def _result(
        self,
        title: str,
        cleaned: str,
        code: str,
        confidence: float,
        method: str,
        alternatives: tuple[tuple[str, str, float], ...] = (),
    ) -> CodingResult:
        entry = self.entries[code]
        return CodingResult(
            title=title,
            cleaned=cleaned,
            code=code,
            name=entry.name,
            level=entry.level,
            confidence=round(max(0.0, min(1.0, confidence)), 4),
            method=method,
            alternatives=alternatives,
        )

    @staticmethod
    def _none(
        title: str, cleaned: str, alternatives: tuple[tuple[str, str, float], ...] = ()
    ) -> CodingResult:
        return CodingResult(title, cleaned, None, None, None, 0.0, "none", alternatives)


@lru_cache(maxsize=1)
def default_coder() -> OccupationCoder:
    """A coder over the bundled csco22.csv and occupation_aliases.csv (built once per process)."""
    return OccupationCoder.from_rows(load_csco_rows())
