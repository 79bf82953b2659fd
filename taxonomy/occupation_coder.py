"""Coding free-text job titles to the national occupational classification (2022); pure, no Django.

Pipeline for one title (docs/CODER.md has the details and the measurements):
1. clean it (taxonomy.text: places, salaries, benefits, brackets, hashtags, recruiting words, company
   names before 招聘, job-board ids and English words mixed in);
2. dictionary: a clerk's correction, an occupation's name or a curated alias answers at once;
3. otherwise a supervised model over every code of the classification (occupations and groups):
   character 1–3-gram TF-IDF centroids of names, aliases, definitions and labelled titles with a prior,
   plus a linear SVM over the labelled titles' codes and one over the major groups, their weights and
   the softmax temperature chosen by inner cross-validation on the labelled titles (calibration);
4. a reranker (logistic regression) over the model's best codes and the codes the dictionary names,
   learned from the inner cross-validation's held-out titles: the model's parts, the nearest labelled
   titles and the dictionary hits weighed together;
5. hierarchical back-off: when the best code is unsure but a broader group holds most of the probability,
   the group is returned (method "group"). A title with any known character always gets a code ("none"
   only for titles with nothing left).

Every result carries its top alternatives with their probabilities. Fitting takes about 10 s (numpy and
scipy, scikit-learn for the SVMs and the reranker, imported lazily: nothing heavy is loaded when this
module is imported). A fitted coder can be saved to and loaded from a numpy .npz file (no pickle).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .text import has_cjk, normalise_text, title_segments

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse

DATA_DIR = Path(__file__).resolve().parent / "data"
CSCO_PATH = DATA_DIR / "csco22.csv"
OCCUPATION_ALIASES_PATH = DATA_DIR / "occupation_aliases.csv"
DEV_TITLES_PATH = DATA_DIR / "occupation_titles_dev.csv"

METHODS = ("corrected", "exact", "alias", "labelled", "model", "group", "none")
OCCUPATION_LEVEL = 4
FORMAT_VERSION = 3

# Generic heads of job titles (茶厂工人, 木工师傅): they say "a worker", not which work.
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
    """Weights and thresholds of the coder (fixed choices, not tuned on the evaluation folds)."""

    occupation_threshold: float = 0.15  # below this probability the best code is unsure → back-off
    group_threshold: float = 0.5  # a broader group needs this much probability to be returned instead
    clear_lead: float = 5.0  # …unless the best code has this many times the probability of the next one
    alternatives: int = 3
    batch_size: int = 1024  # titles per sparse-matrix product in code_many
    # Training documents and their weights in a code's centroid.
    title_weight: float = 1.0
    correction_weight: float = 2.0  # a clerk's correction counts as two labelled titles
    name_weight: float = 1.0
    alias_weight: float = 1.0
    definition_weight: float = 0.3
    definition_chars: int = 60
    prior_weight: float = 0.05  # × log(1 + labelled titles of the code), added to the cosine score
    suffix_bonus: float = 0.1  # a name or alias (≥ 2 characters) that ends the title: 住家保姆 is a 保姆
    # A linear SVM over the 8 major groups (character TF-IDF, one-vs-rest) whose decision value for a
    # code's major group is added to the code's score, × major_weight (None: chosen by inner CV).
    major_weight: float | None = None
    major_svm_c: float = 0.3
    # A linear SVM over the codes of the labelled titles and corrections alone (character 1–3-grams with
    # the title's ends marked); its decision for a code is added × title_svm_weight (None: inner CV).
    title_svm_weight: float | None = None
    title_svm_c: float = 1.0
    # The weight of OTHER's documents in the titles' SVM. A fixed choice between two measured ends
    # (bench/occupation_coder.py, 5-fold CV): 0 fits the job-site titles best (dev exact 0.58, rural 0.72),
    # 1 the county's own (dev 0.54, rural 0.77); 0.1 keeps most of both (dev 0.56, rural 0.77).
    other_weight: float = 0.1
    temperature: float | None = None  # None: fitted by inner cross-validation on the labelled titles
    default_temperature: float = 0.05
    calibration_folds: int = 3
    # Dictionary hits: how sure they are (a hit on one segment of a longer title a little less).
    exact_confidence: float = 1.0
    alias_confidence: float = 0.97
    labelled_confidence: float = 0.95
    correction_confidence: float = 0.98
    group_hit_confidence: float = 0.9
    segment_penalty: float = 0.05
    labelled_min_share: float = 0.6  # a title labelled several ways is a dictionary hit only if one wins
    labelled_min_count: int = 1  # how often a development title must be seen to be a dictionary hit
    # Which dictionaries answer before the model. Cross-validated on the development titles, the model
    # beats a title seen before (0.87 against 0.84 of those titles), the classification's aliases (0.59
    # against 0.46) and group names (0.35 against 0.10), which it learns from as documents anyway; an
    # occupation's own name (0.99 against 0.96), a clerk's correction and a curated alias still win.
    dictionaries: tuple[str, ...] = ("corrected", "exact", "curated", "alias")
    # A hit on one of the classification's own aliases answers only when the model gives its code at least
    # this share of the best code's probability (generic aliases such as 销售 mislead on real titles).
    alias_guard: float = 0.05
    # The reranker: a logistic regression over the model's top candidates (plus the dictionary's), learned
    # from the inner cross-validation's held-out titles; it weighs the model's parts, the nearest labelled
    # titles and the dictionary hits together. Then only `hard_dictionaries` answer before it.
    rerank: bool = True
    rerank_candidates: int = 10
    rerank_neighbours: int = 10
    rerank_c: float = 1.0
    # How much the reranker's logits count against the model's log-probabilities in the candidates' final
    # share (1: the reranker alone).
    rerank_blend: float = 0.3
    hard_dictionaries: tuple[str, ...] = ("corrected", "exact", "curated")


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
    """The code given to one title, how it was found and how sure the coder is.

    `alternatives` are the next best codes (code, name, probability), best first, never the code itself.
    """

    title: str
    cleaned: str
    code: str | None
    name: str | None
    level: int | None
    confidence: float
    method: str
    alternatives: tuple[tuple[str, str, float], ...] = field(default=())

    @property
    def is_group(self) -> bool:
        return self.level is not None and self.level < OCCUPATION_LEVEL


# -- data files --------------------------------------------------------------------------------


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


def load_labelled_titles(path: str | Path | None = None) -> list[tuple[str, str]]:
    """The development titles (job_name, expected_code); a row with a name but no code gets the
    code of that name, a row with neither is skipped."""
    by_name = {strip_occupation_marker(row["name"]): row["code"] for row in load_csco_rows()}
    labelled = []
    with Path(path or DEV_TITLES_PATH).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("expected_code") or "").strip() or by_name.get(
                strip_occupation_marker(row.get("expected_name") or "")
            )
            if code and row.get("job_name"):
                labelled.append((row["job_name"], code))
    return labelled


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


def parent_codes(code: str) -> tuple[str, ...]:
    """The broader codes of a code, narrowest first: 4-10-01-06 → 4-10-01-00, 4-10-00-00, 4-00-00-00."""
    first, second, third, fourth = (code.split("-") + ["00"] * 4)[:4]
    chain = []
    if fourth != "00":
        chain.append(f"{first}-{second}-{third}-00")
    if third != "00" or fourth != "00":
        chain.append(f"{first}-{second}-00-00")
    if second != "00" or third != "00" or fourth != "00":
        chain.append(f"{first}-00-00-00")
    return tuple(chain)


# -- character n-gram TF-IDF (numpy/scipy, same maths as sklearn's smooth, sublinear TF-IDF) -------


def char_ngrams(text: str, low: int = 1, high: int = 3) -> list[str]:
    return [text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)]


class _Tfidf:
    """Character 1–3-gram TF-IDF with sublinear tf, smooth idf and l2-normalised rows."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)

    @classmethod
    def fit(cls, texts: Sequence[str]) -> _Tfidf:
        document_frequency: Counter[str] = Counter()
        for text in texts:
            document_frequency.update(set(char_ngrams(text)))
        vocabulary = {gram: index for index, gram in enumerate(sorted(document_frequency))}
        df = np.array([document_frequency[gram] for gram in sorted(document_frequency)], dtype=np.float64)
        idf = np.log((1 + len(texts)) / (1 + df)) + 1
        return cls(vocabulary, idf)

    def transform(self, texts: Sequence[str]) -> scipy.sparse.csr_matrix:
        import scipy.sparse as sp

        # Every n-gram of every text at once: (row, feature) pairs, summed into counts by the sparse matrix.
        lookup = self.vocabulary.get
        rows, columns = [], []
        for row, text in enumerate(texts):
            found = [index for index in map(lookup, char_ngrams(text)) if index is not None]
            columns.extend(found)
            rows.extend([row] * len(found))
        matrix = sp.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), (np.asarray(rows, dtype=np.int32), np.asarray(columns, dtype=np.int32))),
            shape=(len(texts), len(self.vocabulary)),
        )
        matrix.sum_duplicates()
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1.0  # sublinear tf: 1 + log(count)
        matrix = matrix @ sp.diags(self.idf)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ matrix)


def _sparse_weights(coef: np.ndarray, tolerance: float = 1e-3):
    """(classes × features) SVM weights → (features × classes) sparse, tiny weights dropped."""
    import scipy.sparse as sp

    coef = np.where(np.abs(coef) >= tolerance, coef, 0).astype(np.float32)
    return sp.csr_matrix(coef.T)


@dataclass(slots=True)
class _Parts:
    """The fitted arrays of the model (see OccupationCoder._score_parts)."""

    centroids: object  # scipy.sparse (features × codes)
    prior: np.ndarray
    major_weights: object | None = None  # scipy.sparse (features × majors)
    major_bias: np.ndarray | None = None
    major_columns: np.ndarray | None = None  # major group index → SVM column (-1: not in the SVM)
    title_weights: object | None = None  # scipy.sparse (title features × codes): the titles' SVM
    title_bias: np.ndarray | None = None  # per code; ABSENT_DECISION for a code no title was given
    # The codes the titles' SVM has weights for, and its weights and bias for those codes and OTHER (the
    # last column), built on first use: every other code gets OTHER's decision.
    present: np.ndarray | None = None
    present_weights: object | None = None
    present_bias: np.ndarray | None = None


# The title SVM's decision for a code that no labelled title was given (its decisions lie in about −1.5…1.5).
ABSENT_DECISION = -1.0
OTHER = -1  # the titles' SVM class of the documents of codes that no labelled title was given


def _marked(text: str) -> str:
    """A cleaned title with its ends marked, so that the n-grams that begin and end it are features of
    their own (经理 at the end says more than 经理 inside)."""
    return f"^{text}$"


@dataclass(slots=True)
class _Training:
    """The training documents: their features for the centroids (matrix) and for the titles' SVM."""

    matrix: object  # scipy.sparse (documents × features)
    title_matrix: object  # scipy.sparse (documents × title features), empty rows for non-titles
    owners: np.ndarray
    weights: np.ndarray
    is_title: np.ndarray
    in_svm: np.ndarray  # the documents the titles' SVM learns from: titles, names and aliases
    texts: np.ndarray  # the documents' cleaned texts (object array)

    def subset(self, keep: np.ndarray) -> _Training:
        return _Training(
            self.matrix[keep],
            self.title_matrix[keep],
            self.owners[keep],
            self.weights[keep],
            self.is_title[keep],
            self.in_svm[keep],
            self.texts[keep],
        )


@dataclass(slots=True)
class _Reranker:
    """A logistic regression over (title, candidate code) features: see OccupationCoder._candidate_features."""

    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray

    def logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept


# Flags of a candidate found in the dictionary: (curated alias, classification alias, occupation name, group
# name) × (the whole title, one of its segments).
DICTIONARY_FLAGS = 8
RERANK_FEATURES = 13 + DICTIONARY_FLAGS


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    shifted = (scores - scores.max(axis=1, keepdims=True)) / temperature
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


# -- the coder ---------------------------------------------------------------------------------


class OccupationCoder:
    """Gives job titles a code of the 2022 classification; fit once, reuse (thread-safe for reads)."""

    def __init__(
        self,
        entries: Sequence[OccupationEntry],
        *,
        extra_aliases: Iterable[tuple[str, str]] = (),
        labelled: Iterable[tuple[str, str]] = (),
        corrections: Iterable[tuple[str, str]] = (),
        definitions: Mapping[str, str] | None = None,
        settings: CoderSettings | None = None,
    ) -> None:
        self.settings = settings or CoderSettings()
        self.entries: dict[str, OccupationEntry] = {}
        for entry in entries:
            self.entries.setdefault(entry.code, entry)
        if not any(entry.level == OCCUPATION_LEVEL for entry in self.entries.values()):
            raise ValueError("no level-4 occupations in the rows")
        self.codes: list[str] = sorted(self.entries)
        self._index = {code: index for index, code in enumerate(self.codes)}
        self._build_parents()
        self._segments: dict[str, list[str]] = {}
        labelled_pairs, correction_pairs = self._clean_pairs(labelled), self._clean_pairs(corrections)
        self._build_dictionaries(extra_aliases, labelled_pairs, correction_pairs)
        self.labelled_count, self.correction_count = len(labelled_pairs), len(correction_pairs)
        self._fit(labelled_pairs, correction_pairs, definitions or {})

    def _clean_pairs(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        cleaned_pairs = []
        for title, code in pairs:
            segments = title_segments(title, fallback=False) if code in self.entries else []
            if cleaned := "".join(segments):
                cleaned_pairs.append((cleaned, code))
                self._segments.setdefault(cleaned, segments)
        return cleaned_pairs

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object] | Sequence[object]],
        extra_aliases: Iterable[tuple[str, str]] | Iterable[Mapping[str, str]] | None = None,
        *,
        labelled: Iterable[tuple[str, str]] | None = (),
        corrections: Iterable[tuple[str, str]] = (),
        settings: CoderSettings | None = None,
    ) -> OccupationCoder:
        """Build from classification rows (dicts as read from csco22.csv, or 5/6-tuples).

        `extra_aliases` are (alias, code) pairs or {"alias", "code"} dicts; None means the bundled
        occupation_aliases.csv, an empty list means none. They win over the classification's aliases.
        `labelled` are (title as written, code) pairs to learn from; None means the bundled
        development set (taxonomy/data/occupation_titles_dev.csv). `corrections` are (title, code)
        pairs a clerk fixed by hand: they win over every dictionary and weigh more in the model.
        """
        entries, definitions = [], {}
        for row in rows:
            entry, tasks = _parse_row(row)
            entries.append(entry)
            definitions.setdefault(entry.code, f"{entry.definition} {tasks}".strip())
        if extra_aliases is None:
            pairs = load_occupation_aliases()
        else:
            pairs = [
                (item["alias"], item["code"]) if isinstance(item, Mapping) else (item[0], item[1])
                for item in extra_aliases
            ]
        if labelled is None:
            labelled = load_labelled_titles()
        return cls(
            entries,
            extra_aliases=pairs,
            labelled=labelled,
            corrections=corrections,
            definitions=definitions,
            settings=settings,
        )

    def _build_parents(self) -> None:
        """Each code's broader groups present in the rows, narrowest first."""
        self._parents: dict[str, tuple[str, ...]] = {
            code: tuple(parent for parent in parent_codes(code) if parent in self.entries)
            for code in self.entries
        }

    def _build_dictionaries(
        self,
        extra_aliases: Iterable[tuple[str, str]],
        labelled: list[tuple[str, str]],
        corrections: list[tuple[str, str]],
    ) -> None:
        self._names: dict[str, str] = {}  # normalised level-4 name → code
        self._aliases: dict[str, str] = {}  # normalised level-4 alias → code
        self._group_keys: dict[str, str] = {}  # normalised name or alias of a group → group code
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
        self._curated = dict(curated)
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
        self._corrections = self._majority(corrections, min_count=1)
        # A development title whose label contradicts an occupation's name or a curated alias
        # (育儿嫂 labelled 种子繁育员) is a labelling slip: it is left out of the dictionary and the model.
        contradicted = {
            cleaned
            for cleaned, code in labelled
            if self._names.get(cleaned, code) != code or self._curated.get(cleaned, code) != code
        }
        labelled[:] = [(cleaned, code) for cleaned, code in labelled if cleaned not in contradicted]
        self._labelled = self._majority(labelled, min_count=self.settings.labelled_min_count)
        self._build_suffix_keys()

    def _build_suffix_keys(self) -> None:
        """Names and aliases that end a title say what it is (住家保姆): keys of 2+ characters."""
        self._suffix_keys: dict[str, set[int]] = defaultdict(set)
        for mapping in (self._names, self._aliases, self._group_keys):
            for key, code in mapping.items():
                if len(key) >= 2:
                    self._suffix_keys[key].add(self._index[code])
        self._longest_suffix = max((len(key) for key in self._suffix_keys), default=0)

    def _majority(self, pairs: list[tuple[str, str]], *, min_count: int) -> dict[str, tuple[str, float]]:
        """Titles seen before → the code most often given and its share, when it clearly wins."""
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for cleaned, code in pairs:
            seen[cleaned][code] += 1
        majority: dict[str, tuple[str, float]] = {}
        for cleaned, counts in seen.items():
            code, count = counts.most_common(1)[0]
            share = count / sum(counts.values())
            if share >= self.settings.labelled_min_share and count >= min_count:
                majority[cleaned] = (code, share)
        return majority

    def _documents(
        self,
        labelled: list[tuple[str, str]],
        corrections: list[tuple[str, str]],
        definitions: Mapping[str, str],
    ):
        """(text, code index, weight, is a labelled title, is a definition) for every training document."""
        s = self.settings
        documents: list[tuple[str, int, float, bool, bool]] = []
        for code, entry in self.entries.items():
            index = self._index[code]
            documents.append((normalise_text(entry.name), index, s.name_weight, False, False))
            for alias in entry.aliases:
                documents.append((normalise_text(alias), index, s.alias_weight, False, False))
            definition = normalise_text(definitions.get(code) or entry.definition)[: s.definition_chars]
            if definition and s.definition_weight > 0:
                documents.append((definition, index, s.definition_weight, False, True))
        for key, code in self._curated.items():
            documents.append((key, self._index[code], s.alias_weight, False, False))
        for cleaned, code in labelled:
            documents.append((cleaned, self._index[code], s.title_weight, True, False))
        for cleaned, code in corrections:
            documents.append((cleaned, self._index[code], s.correction_weight, True, False))
        return [document for document in documents if document[0]]

    def _fit(
        self,
        labelled: list[tuple[str, str]],
        corrections: list[tuple[str, str]],
        definitions: Mapping[str, str],
    ) -> None:
        documents = self._documents(labelled, corrections, definitions)
        texts = [document[0] for document in documents]
        self._tfidf = _Tfidf.fit(texts)
        matrix = self._tfidf.transform(texts)
        owners = np.array([document[1] for document in documents])
        weights = np.array([document[2] for document in documents], dtype=np.float32)
        is_title = np.array([document[3] for document in documents])
        # The titles' SVM learns from the titles and from every name and alias (not the definitions).
        in_svm = ~np.array([document[4] for document in documents])
        marked = [_marked(text) if use else "" for text, use in zip(texts, in_svm, strict=True)]
        self._title_tfidf = _Tfidf.fit([text for text in marked if text] or ["^$"])
        title_matrix = self._title_tfidf.transform(marked)
        data = _Training(matrix, title_matrix, owners, weights, is_title, in_svm, np.array(texts, dtype=object))
        # The nearest labelled titles (the reranker's neighbours): every labelled title and correction.
        title_rows = np.flatnonzero(is_title)
        self._knn_matrix = title_matrix[title_rows]
        self._knn_owners = owners[title_rows]
        self._build_knn_index()
        self._reranker = None
        self._majors = sorted({code.split("-")[0] for code in self.codes})
        self._major_of_code = np.array([self._majors.index(code.split("-")[0]) for code in self.codes])
        self._build_group_matrix()
        s = self.settings
        if s.temperature is not None:
            self.temperature = s.temperature
            self.major_weight, self.title_svm_weight = s.major_weight or 0.0, s.title_svm_weight or 0.0
        else:
            self.temperature, self.major_weight, self.title_svm_weight = self._calibrate(data)
        linear = self.major_weight > 0 or self.title_svm_weight > 0
        self._parts = self._fit_parts(data, linear=linear)

    def _fit_parts(self, data: _Training, *, linear: bool):
        """The model's parts fitted on these documents: centroids, prior and the two linear SVMs."""
        parts = _Parts(
            centroids=self._centroid_matrix(data.matrix, data.owners, data.weights),
            prior=self._prior_vector(data.owners[data.is_title]),
        )
        if not linear:
            return parts
        from sklearn.svm import LinearSVC  # fitting only: coding needs numpy and scipy alone

        s = self.settings
        majors = self._major_of_code[data.owners]
        if len(np.unique(majors)) >= 3:
            major_svm = LinearSVC(C=s.major_svm_c).fit(data.matrix, majors, sample_weight=data.weights)
            columns = np.full(len(self._majors), -1)
            columns[major_svm.classes_] = np.arange(len(major_svm.classes_))
            parts.major_weights = _sparse_weights(major_svm.coef_)
            parts.major_bias = major_svm.intercept_.astype(np.float32)
            parts.major_columns = columns
        # Its classes: the codes that labelled titles were given, and OTHER, which holds the names and
        # aliases of every other code: a title like those (挖掘机司机) is not pulled to a code seen in
        # titles (司机 → 客运车辆驾驶员), and every code without titles gets OTHER's decision.
        seen = np.unique(data.owners[data.is_title])
        if len(seen) >= 3:
            known = np.isin(data.owners, seen)
            classes = np.where(known, data.owners, OTHER)[data.in_svm]
            sample_weight = np.where(known, data.weights, data.weights * s.other_weight)[data.in_svm]
            title_svm = LinearSVC(C=s.title_svm_c).fit(
                data.title_matrix[data.in_svm], classes, sample_weight=sample_weight
            )
            parts.title_weights, parts.title_bias = self._code_columns(
                title_svm.coef_, title_svm.intercept_, title_svm.classes_
            )
        return parts

    def _code_columns(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray):
        """An SVM's (classes × features) weights as (features × codes) sparse columns, and a bias per code
        (ABSENT_DECISION for the codes it was not trained on)."""
        import scipy.sparse as sp

        # Column len(codes) is OTHER: the decision of every code the SVM has no class for.
        classes = np.where(classes == OTHER, len(self.codes), classes)
        weights = _sparse_weights(coef)
        weights = sp.csr_matrix(
            (weights.data, classes[weights.indices], weights.indptr), shape=(coef.shape[1], len(self.codes) + 1)
        )
        bias = np.full(len(self.codes) + 1, ABSENT_DECISION, dtype=np.float32)
        bias[classes] = intercept
        return weights, bias

    def _centroid_matrix(self, matrix, owners: np.ndarray, weights: np.ndarray):
        """(features × codes) l2-normalised weighted sums of each code's documents."""
        import scipy.sparse as sp

        assign = sp.csr_matrix(
            (weights, (owners, np.arange(len(owners)))), shape=(len(self.codes), len(owners))
        )
        sums = sp.csr_matrix(assign @ matrix)
        norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix((sp.diags((1.0 / norms).astype(np.float32)) @ sums).T)

    def _prior_vector(self, title_owners: np.ndarray) -> np.ndarray:
        counts = (
            np.bincount(title_owners, minlength=len(self.codes))
            if len(title_owners)
            else np.zeros(len(self.codes))
        )
        return (self.settings.prior_weight * np.log1p(counts)).astype(np.float32)

    def _build_group_matrix(self) -> None:
        """(codes × codes) 0/1: column g sums the probability of g and of every code under it; and each code's level."""
        import scipy.sparse as sp

        self._levels = np.array([self.entries[code].level for code in self.codes])
        self._major_spans = [
            (
                int(np.searchsorted(self._major_of_code, major, "left")),
                int(np.searchsorted(self._major_of_code, major, "right")),
            )
            for major in range(len(self._majors))
        ]

        rows, cols = [], []
        for code, index in self._index.items():
            for group in (code, *self._parents[code]):
                rows.append(index)
                cols.append(self._index[group])
        self._group_matrix = sp.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(self.codes), len(self.codes))
        )

    def _calibrate(self, data: _Training) -> tuple[float, float, float]:
        """The softmax temperature and the weights of the two SVMs, chosen by inner cross-validation.

        The labelled titles are split in folds; each fold is scored by parts fitted without it, and the
        weights and temperature with the best held-out log-likelihood win (a grid search).
        """
        s = self.settings
        title_rows = np.flatnonzero(data.is_title)
        if len(title_rows) < 10 * s.calibration_folds:
            return s.default_temperature, 0.0, 0.0
        order = np.random.default_rng(0).permutation(title_rows)
        folds = np.array_split(order, s.calibration_folds)
        held: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        truth = []
        for part in folds:
            keep = np.ones(len(data.owners), dtype=bool)
            keep[part] = False
            parts = self._fit_parts(data.subset(keep), linear=True)
            held.append(self._score_parts(data.matrix[part], data.title_matrix[part], parts))
            truth.append(data.owners[part])
        base, major, titles = (np.vstack([h[i] for h in held]) for i in range(3))
        target = np.concatenate(truth)
        rows = np.arange(len(target))
        # The weights: the most held-out titles coded right (accuracy is what a clerk sees); then the
        # temperature: the best held-out log-likelihood with those weights (calibrated confidences).
        major_grid = (s.major_weight,) if s.major_weight is not None else (0.0, 0.1, 0.2)
        title_grid = (s.title_svm_weight,) if s.title_svm_weight is not None else (0.0, 0.2, 0.35, 0.5, 0.8)
        best_weights, best_right, scores = (0.0, 0.0), -1, base
        for major_weight in major_grid:
            with_major = self._add_major(base.copy(), major, major_weight)
            for title_weight in title_grid:
                candidate = with_major + title_weight * titles
                right = int(np.sum(candidate.argmax(axis=1) == target))
                if right > best_right:
                    best_weights, best_right, scores = (major_weight, title_weight), right, candidate
        best_temperature, best_loss = s.default_temperature, math.inf
        for temperature in (0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15):
            probabilities = _softmax(scores.copy(), temperature)
            loss = -float(np.mean(np.log(probabilities[rows, target] + 1e-9)))
            if loss < best_loss:
                best_temperature, best_loss = temperature, loss
        if s.rerank:
            fold_of = np.concatenate([np.full(len(part), k) for k, part in enumerate(folds)])
            self._fit_reranker(data, order, fold_of, base, major, titles, best_weights, best_temperature)
        return (best_temperature, *best_weights)

    def _fit_reranker(self, data: _Training, held_rows, fold_of, base, major, titles, weights, temperature) -> None:
        """The reranker, learned from the inner folds' held-out titles: each scored by the parts fitted
        without its fold, its neighbours only among the other folds' titles."""
        from sklearn.linear_model import LogisticRegression  # fitting only

        texts = [str(text) for text in data.texts[held_rows]]
        scores = self._combine(base.copy(), major, titles, texts, weights)
        # Neighbours among the titles of the other folds (the knn set is every title row, in data order).
        title_rows = np.flatnonzero(data.is_title)
        position = {row: index for index, row in enumerate(title_rows)}
        folds = np.full(len(title_rows), -1)
        folds[[position[row] for row in held_rows]] = fold_of
        folds = folds[self._knn_order]  # the knn set is kept ordered by code
        sims = (data.title_matrix[held_rows] @ self._knn_matrix.T).toarray()
        sims[fold_of[:, None] == folds[None, :]] = -1.0
        segments = [self._segments.get(text, [text]) for text in texts]
        features, candidates, valid = self._candidate_features(
            _softmax(scores, temperature), base, major, titles, sims, texts, segments
        )
        truth = data.owners[held_rows]
        labels = (candidates == truth[:, None])[valid]
        rows = features[valid]
        if labels.sum() < 10 or labels.all():
            return
        mean, scale = rows.mean(axis=0), rows.std(axis=0)
        scale[scale < 1e-6] = 1.0
        weight = np.broadcast_to(data.weights[held_rows][:, None], valid.shape)[valid]  # corrections count double
        model = LogisticRegression(C=self.settings.rerank_c, max_iter=2000).fit(
            (rows - mean) / scale, labels, sample_weight=weight
        )
        self._reranker = _Reranker(
            model.coef_[0].astype(np.float32), float(model.intercept_[0]), mean.astype(np.float32),
            scale.astype(np.float32),
        )

    def _combine(self, base: np.ndarray, major: np.ndarray, titles: np.ndarray, texts: Sequence[str],
                 weights: tuple[float, float]) -> np.ndarray:
        """The model's score of every code: centroid + prior, the SVMs × their weights, the suffix bonus."""
        major_weight, title_weight = weights
        if major_weight:
            self._add_major(base, major, major_weight)
        if title_weight:
            base += title_weight * titles
        bonus = self.settings.suffix_bonus
        if bonus:
            for row, text in enumerate(texts):
                for index in self._suffix_hits(text):
                    base[row, index] += bonus
        return base

    def _build_knn_index(self) -> None:
        """The labelled titles ordered by code, for the best neighbour of each code (np.maximum.reduceat);
        `_knn_order` maps that order back to the order they came in. Also how many titles each code has."""
        order = np.argsort(self._knn_owners, kind="stable")
        self._knn_order = order
        self._knn_matrix = self._knn_matrix[order]
        self._knn_owners = owners = self._knn_owners[order]
        self._title_counts = np.bincount(owners, minlength=len(self.codes)).astype(np.float32)
        self._knn_starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(owners) else np.array([], int)
        self._knn_column = np.full(len(self.codes), -1)
        if len(owners):
            self._knn_column[owners[self._knn_starts]] = np.arange(len(self._knn_starts))

    def _dictionary_flags(self, cleaned: str, segments: Sequence[str]) -> list[tuple[int, int]]:
        """(code index, flag) of every dictionary hit on the whole title (flags 0–3) or a segment (4–7)."""
        found = []
        keys = [(cleaned, 0)] + ([(segment, 4) for segment in segments] if len(segments) > 1 else [])
        for key, offset in keys:
            for flag, mapping in enumerate((self._curated, self._aliases, self._names, self._group_keys)):
                code = mapping.get(key)
                if code is not None:
                    found.append((self._index[code], offset + flag))
        return found

    def _candidate_features(self, probabilities, base, major, titles, sims, texts, segments):
        """(titles × candidates × features), the candidates' code indices and which are real.

        Candidates: the model's best `rerank_candidates` codes and every code the dictionary names. Features:
        the model's log-probability (and its gap to the best), the centroid score, the titles' SVM, the
        major-group SVM, rank, the best neighbour's similarity (and its gap to the best candidate's), the
        neighbours' vote, the dictionary flags, whether the code is a group, and how many titles it has."""
        s = self.settings
        count, neighbours = s.rerank_candidates, s.rerank_neighbours
        n = probabilities.shape[0]
        top = np.argpartition(-probabilities, count, axis=1)[:, :count]
        flags = [self._dictionary_flags(text, parts) for text, parts in zip(texts, segments, strict=True)]
        extra = max((len({code for code, _flag in found}) for found in flags), default=0)
        width = count + extra
        candidates = np.full((n, width), -1, dtype=np.int64)
        candidates[:, :count] = top
        dictionary = np.zeros((n, width, DICTIONARY_FLAGS), dtype=np.float32)
        for row, found in enumerate(flags):
            slot = count
            for code, flag in found:
                place = np.flatnonzero(candidates[row] == code)
                if len(place) == 0:
                    candidates[row, slot] = code
                    place = [slot]
                    slot += 1
                dictionary[row, place[0], flag] = 1.0
        valid = candidates >= 0
        safe = np.where(valid, candidates, 0)
        take = lambda matrix: np.take_along_axis(matrix, safe, axis=1)  # noqa: E731
        cand_logp = np.log(take(probabilities) + 1e-30)
        rank = np.argsort(np.argsort(-np.where(valid, cand_logp, -np.inf), axis=1), axis=1)
        major_of = self._major_of_code[safe]
        cand_major = np.take_along_axis(major, major_of, axis=1)
        # neighbours: the best similarity among each candidate's labelled titles, and their share of the
        # similarity of the title's nearest `neighbours` labelled titles
        best_sim = np.zeros((n, width), dtype=np.float32)
        vote = np.zeros((n, width), dtype=np.float32)
        if sims.shape[1]:
            per_code = np.maximum.reduceat(sims, self._knn_starts, axis=1)
            column = self._knn_column[safe]
            best_sim = np.where(column >= 0, np.take_along_axis(per_code, np.maximum(column, 0), axis=1), 0.0)
            best_sim = np.clip(best_sim, 0.0, None)
            near = min(neighbours, sims.shape[1])
            nearest = np.argpartition(-sims, near - 1, axis=1)[:, :near]
            near_sims = np.clip(np.take_along_axis(sims, nearest, axis=1), 0.0, None)
            near_owners = self._knn_owners[nearest]
            total = near_sims.sum(axis=1, keepdims=True)
            total[total == 0] = 1.0
            vote = ((near_owners[:, None, :] == safe[:, :, None]) * near_sims[:, None, :]).sum(axis=2) / total
        features = np.concatenate(
            [
                np.stack(
                    [
                        cand_logp,
                        cand_logp - cand_logp[:, :count].max(axis=1, keepdims=True),
                        take(base),
                        take(titles),
                        cand_major,
                        (rank == 0).astype(np.float32),
                        1.0 / (rank + 1.0),
                        best_sim,
                        best_sim - best_sim.max(axis=1, keepdims=True),
                        vote,
                        (self._levels[safe] < OCCUPATION_LEVEL).astype(np.float32),
                        np.log1p(self._title_counts[safe]),
                        (self._title_counts[safe] == 0).astype(np.float32),
                    ],
                    axis=2,
                ),
                dictionary,
            ],
            axis=2,
        ).astype(np.float32)
        return features, candidates, valid

    def _score_parts(self, features, title_features, parts: _Parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(centroid cosine + prior, major-group SVM decision of each code's major group, the titles' SVM
        decision for each code), each titles × codes (the major one titles × majors)."""
        base = (features @ parts.centroids).toarray()
        base += parts.prior
        return base, self._major_decisions(features, parts), self._title_decisions(title_features, parts)

    def _title_decisions(self, title_features, parts: _Parts) -> np.ndarray:
        if parts.title_weights is None:
            return np.zeros((title_features.shape[0], len(self.codes)), dtype=np.float32)
        if parts.present is None:
            present = np.flatnonzero(np.asarray(parts.title_weights.getnnz(axis=0))[:-1] > 0)
            columns = np.r_[present, len(self.codes)]
            parts.present_weights = parts.title_weights.tocsc()[:, columns].tocsr()
            parts.present_bias = parts.title_bias[columns]
            parts.present = present
        # The product over the codes with weights only (a few hundred of the two thousand), then OTHER's
        # decision spread over the rest.
        found = (title_features @ parts.present_weights).toarray() + parts.present_bias
        decisions = np.empty((found.shape[0], len(self.codes)), dtype=np.float32)
        decisions[:] = found[:, -1:]
        decisions[:, parts.present] = found[:, :-1]
        return decisions

    def _major_decisions(self, features, parts: _Parts) -> np.ndarray:
        """(titles × majors) decision values of the major-group SVM, 0 for a major it has not seen."""
        decisions = np.zeros((features.shape[0], len(self._majors)), dtype=np.float32)
        if parts.major_weights is not None:
            found = (features @ parts.major_weights).toarray() + parts.major_bias
            present = parts.major_columns >= 0
            decisions[:, present] = found[:, parts.major_columns[present]]
        return decisions

    def _add_major(self, scores: np.ndarray, decisions: np.ndarray, weight: float) -> np.ndarray:
        """scores[:, code] += weight × decision of the code's major group (codes of a major are contiguous)."""
        for major, (start, end) in enumerate(self._major_spans):
            scores[:, start:end] += weight * decisions[:, major : major + 1]
        return scores

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
        """Code many titles; the model runs as one sparse-matrix product per batch."""
        titles = [title if isinstance(title, str) else "" for title in titles]
        results: list[CodingResult] = []
        batch = self.settings.batch_size
        for start in range(0, len(titles), batch):
            results.extend(self._code_batch(titles[start : start + batch]))
        return results

    def probabilities(self, titles: Sequence[str]) -> np.ndarray:
        """(titles × codes) calibrated probabilities of the model (no dictionary), in `self.codes` order."""
        segmented = [title_segments(title) for title in titles]
        return self._model(["".join(parts) for parts in segmented], segmented)[0]

    def _model(self, cleaned: list[str], segments: list[list[str]] | None = None):
        """Probabilities over codes, whether the title had any known feature at all, and the reranker's
        candidates (titles × slots, -1 for an empty slot) with their probabilities, or None without one.

        With the reranker, the candidates' share of the model's probability is dealt out again among them
        by the reranker (so the probabilities still sum to 1 and a group can still hold most of them)."""
        features = self._tfidf.transform([strip_generic_head(text) for text in cleaned])
        title_features = self._title_tfidf.transform([_marked(text) for text in cleaned])
        base, major, titles = self._score_parts(features, title_features, self._parts)
        raw = base.copy() if self._reranker is not None else base
        scores = self._combine(base, major, titles, cleaned, (self.major_weight, self.title_svm_weight))
        vocabulary = self._tfidf.vocabulary
        known = np.array(
            [has_cjk(text) or any(gram in vocabulary for gram in char_ngrams(text, 2, 3)) for text in cleaned]
        )
        if self._reranker is None:
            return _softmax(scores, self.temperature), known, None
        sims = (title_features @ self._knn_matrix.T).toarray()
        segments = segments if segments is not None else [[text] for text in cleaned]
        probabilities = _softmax(scores, self.temperature)
        candidate_features, candidates, valid = self._candidate_features(
            probabilities, raw, major, titles, sims, cleaned, segments
        )
        safe = np.where(valid, candidates, 0)
        blend = self.settings.rerank_blend
        logits = blend * self._reranker.logits(candidate_features)
        if blend < 1:
            logits += (1 - blend) * np.log(np.take_along_axis(probabilities, safe, axis=1) + 1e-12)
        logits[~valid] = -np.inf
        share = _softmax(logits, 1.0)
        mass = (np.take_along_axis(probabilities, safe, axis=1) * valid).sum(axis=1, keepdims=True)
        np.put_along_axis(probabilities, safe, np.where(valid, share * mass, np.take_along_axis(probabilities, safe, axis=1)), axis=1)
        return probabilities, known, (candidates, share)

    def _suffix_hits(self, cleaned: str) -> set[int]:
        """Codes whose name or alias ends the title (the longest such key only)."""
        for size in range(min(self._longest_suffix, len(cleaned) - 1), 1, -1):
            owners = self._suffix_keys.get(cleaned[-size:])
            if owners:
                return owners
        return set()

    def _code_batch(self, titles: list[str]) -> list[CodingResult]:
        segmented = [title_segments(title, fallback=False) for title in titles]
        cleaned = ["".join(segments) for segments in segmented]
        probabilities, known, reranked = self._model([text or " " for text in cleaned],
                                                     [parts or [" "] for parts in segmented])
        count = min(self.settings.alternatives + 1, probabilities.shape[1] - 1)
        if reranked is None:
            top = np.argpartition(-probabilities, count, axis=1)[:, : count + 1]
        else:  # the best codes are among the reranker's candidates
            candidates = reranked[0]
            found = np.where(candidates >= 0, np.take_along_axis(probabilities, np.maximum(candidates, 0), axis=1), -1)
            top = np.take_along_axis(candidates, np.argpartition(-found, count, axis=1)[:, : count + 1], axis=1)
        top_p = np.take_along_axis(probabilities, top, axis=1)
        order = np.argsort(-top_p, axis=1)
        top, top_p = np.take_along_axis(top, order, axis=1), np.take_along_axis(top_p, order, axis=1)
        results = []
        for row, title in enumerate(titles):
            text = cleaned[row]
            if not text or not known[row]:
                results.append(self._none(title, text))
                continue
            if reranked is None:
                hit = self._dictionary_hit(text, segmented[row], probabilities[row])
            else:
                hit = self._dictionary_hit(text, segmented[row], use=self.settings.hard_dictionaries)
            if hit is not None:
                code, confidence, method = hit
            elif reranked is not None:
                candidates, share = reranked
                code, confidence, method = self._decide(probabilities[row], int(top[row, 0]),
                                                        share=np.sort(share[row])[::-1][:2])
                if method == "model" and self._aliases.get(text) == code:
                    method = "alias"  # the reranker agrees with the classification's alias of the title
            else:
                code, confidence, method = self._decide(probabilities[row], int(top[row, 0]))
            alternatives = tuple(
                (self.codes[index], self.entries[self.codes[index]].name, round(float(share), 4))
                for index, share in zip(top[row].tolist(), top_p[row].tolist(), strict=True)
                if self.codes[index] != code
            )[: self.settings.alternatives]
            results.append(self._result(title, text, code, confidence, method, alternatives))
        return results

    def _dictionary_hit(
        self, cleaned: str, segments: list[str], p: np.ndarray | None = None, use: tuple[str, ...] | None = None
    ) -> tuple[str, float, str] | None:
        """The dictionary's answer: with the reranker (`use` given), only the hard dictionaries on the whole
        title (a clerk's correction on a segment too); the reranker weighs the other hits."""
        s = self.settings
        keys = [(cleaned, 0.0)]
        if len(segments) > 1:
            keys += [(segment, s.segment_penalty) for segment in segments]
        if use is not None:
            keys = keys[:1] + [(key, penalty) for key, penalty in keys[1:] if key in self._corrections]
        use = s.dictionaries if use is None else use
        for key, penalty in keys:
            if "corrected" in use and key in self._corrections:
                code, share = self._corrections[key]
                return code, s.correction_confidence * share - penalty, "corrected"
            if "exact" in use and key in self._names:
                return self._names[key], s.exact_confidence - penalty, "exact"
            if "curated" in use and key in self._curated:
                code = self._curated[key]
                if self.entries[code].level == OCCUPATION_LEVEL:
                    return code, s.alias_confidence - penalty, "alias"
                return code, s.group_hit_confidence - penalty, "group"
            if "labelled" in use and key in self._labelled:
                code, share = self._labelled[key]
                return code, s.labelled_confidence * share - penalty, "labelled"
            if "alias" in use and key in self._aliases:
                code = self._aliases[key]
                if p is None or p[self._index[code]] >= s.alias_guard * p.max():
                    return code, s.alias_confidence - penalty, "alias"
            if "group" in use and key in self._group_keys:
                return self._group_keys[key], s.group_hit_confidence - penalty, "group"
        return None

    def _decide(self, p: np.ndarray, best: int, share: np.ndarray | None = None) -> tuple[str, float, str]:
        """The best code, or its narrowest broader group when that is sure and the code is not. With the
        reranker, how sure the best code is is judged by its `share` among the candidates (best, runner-up)."""
        code, confidence = self.codes[best], float(p[best])
        if share is None:
            sure = confidence
            runner_up = float(np.partition(p, -2)[-2]) if len(p) > 1 else 0.0
        else:
            sure, runner_up = float(share[0]), float(share[1])
        if sure >= self.settings.occupation_threshold or sure >= self.settings.clear_lead * runner_up:
            return code, confidence, "model"  # sure, or far ahead of every other code
        for parent in self._parents[code]:
            column = self._group_matrix[:, self._index[parent]]
            group_share = float(p[column.indices].sum())
            if group_share >= self.settings.group_threshold:
                return parent, group_share, "group"
        return code, confidence, "model"

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
    def _none(title: str, cleaned: str) -> CodingResult:
        return CodingResult(title, cleaned, None, None, None, 0.0, "none", ())

    # -- persistence (numpy .npz, no pickle) ------------------------------------------------------

    tag: str = ""  # what the coder was fitted on, as its owner describes it (kept by save/load)

    def save(self, path: str | Path, *, tag: str | None = None) -> None:
        """Write the fitted coder to a .npz file (arrays and JSON text only; loaded without pickle)."""
        if tag is not None:
            self.tag = tag
        parts = self._parts
        vocabulary = sorted(self._tfidf.vocabulary, key=self._tfidf.vocabulary.__getitem__)
        meta = {
            "format": FORMAT_VERSION,
            "tag": self.tag,
            "settings": asdict(self.settings),
            "temperature": self.temperature,
            "major_weight": self.major_weight,
            "title_svm_weight": self.title_svm_weight,
            "title_vocabulary": sorted(self._title_tfidf.vocabulary, key=self._title_tfidf.vocabulary.__getitem__),
            "labelled_count": self.labelled_count,
            "correction_count": self.correction_count,
            "entries": [
                [e.code, e.level, e.name, e.definition, list(e.aliases)] for e in self.entries.values()
            ],
            "names": self._names,
            "aliases": self._aliases,
            "group_keys": self._group_keys,
            "curated": self._curated,
            "labelled": self._labelled,
            "corrections": self._corrections,
            "vocabulary": vocabulary,
            "majors": self._majors,
            "has_major_svm": parts.major_weights is not None,
            "has_title_svm": parts.title_weights is not None,
            "reranker_intercept": None if self._reranker is None else self._reranker.intercept,
        }
        arrays = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            "idf": self._tfidf.idf,
            "title_idf": self._title_tfidf.idf,
            "prior": parts.prior,
            **_sparse_arrays("centroids", parts.centroids),
        }
        if parts.major_weights is not None:
            arrays.update(_sparse_arrays("major_weights", parts.major_weights))
            arrays["major_bias"] = parts.major_bias
            arrays["major_columns"] = parts.major_columns
        if parts.title_weights is not None:
            arrays.update(_sparse_arrays("title_weights", parts.title_weights))
            arrays["title_bias"] = parts.title_bias
        arrays.update(_sparse_arrays("knn", self._knn_matrix))
        arrays["knn_owners"] = self._knn_owners
        if self._reranker is not None:
            arrays.update(reranker_coef=self._reranker.coef, reranker_mean=self._reranker.mean,
                          reranker_scale=self._reranker.scale)
        with Path(path).open("wb") as handle:
            np.savez_compressed(handle, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> OccupationCoder:
        """A coder saved by save(); raises ValueError for a file of another format."""
        with np.load(Path(path), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"unsupported coder file format {meta.get('format')!r}")
            coder = cls.__new__(cls)
            coder.settings = replace(CoderSettings(), **meta["settings"])
            coder.tag = meta.get("tag", "")
            coder.entries = {
                code: OccupationEntry(code, level, name, definition, tuple(aliases))
                for code, level, name, definition, aliases in meta["entries"]
            }
            coder.codes = sorted(coder.entries)
            coder._index = {code: index for index, code in enumerate(coder.codes)}
            coder._build_parents()
            coder._names, coder._aliases = meta["names"], meta["aliases"]
            coder._group_keys, coder._curated = meta["group_keys"], meta["curated"]
            coder._labelled = {key: (code, float(share)) for key, (code, share) in meta["labelled"].items()}
            coder._corrections = {
                key: (code, float(share)) for key, (code, share) in meta["corrections"].items()
            }
            coder._build_suffix_keys()
            coder.labelled_count, coder.correction_count = meta["labelled_count"], meta["correction_count"]
            coder.temperature, coder.major_weight = float(meta["temperature"]), float(meta["major_weight"])
            coder._majors = meta["majors"]
            coder._major_of_code = np.array([coder._majors.index(code.split("-")[0]) for code in coder.codes])
            coder._tfidf = _Tfidf({gram: i for i, gram in enumerate(meta["vocabulary"])}, arrays["idf"])
            coder._title_tfidf = _Tfidf(
                {gram: i for i, gram in enumerate(meta["title_vocabulary"])}, arrays["title_idf"]
            )
            coder.title_svm_weight = float(meta["title_svm_weight"])
            parts = _Parts(centroids=_sparse_from(arrays, "centroids"), prior=arrays["prior"])
            if meta["has_major_svm"]:
                parts.major_weights = _sparse_from(arrays, "major_weights")
                parts.major_bias = arrays["major_bias"]
                parts.major_columns = arrays["major_columns"]
            if meta["has_title_svm"]:
                parts.title_weights = _sparse_from(arrays, "title_weights")
                parts.title_bias = arrays["title_bias"]
            coder._parts = parts
            coder._knn_matrix = _sparse_from(arrays, "knn")
            coder._knn_owners = arrays["knn_owners"]
            coder._reranker = None
            if meta["reranker_intercept"] is not None:
                coder._reranker = _Reranker(arrays["reranker_coef"], float(meta["reranker_intercept"]),
                                            arrays["reranker_mean"], arrays["reranker_scale"])
        coder._build_knn_index()
        coder._build_group_matrix()
        return coder


def _sparse_arrays(name: str, matrix) -> dict[str, np.ndarray]:
    matrix = matrix.tocsr()
    return {
        f"{name}_data": matrix.data,
        f"{name}_indices": matrix.indices,
        f"{name}_indptr": matrix.indptr,
        f"{name}_shape": np.array(matrix.shape),
    }


def _sparse_from(arrays, name: str):
    import scipy.sparse as sp

    shape = tuple(int(value) for value in arrays[f"{name}_shape"])
    return sp.csr_matrix(
        (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]), shape=shape
    )


@lru_cache(maxsize=1)
def default_coder() -> OccupationCoder:
    """A coder over the bundled classification, curated aliases and development titles."""
    return OccupationCoder.from_rows(load_csco_rows(), labelled=None)
