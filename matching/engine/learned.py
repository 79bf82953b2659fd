"""Learned probabilities for a block of pairs, and the expected-value score that combines them with the rules.

A `LearnedModel` is fitted on the Django side (matching/learning/) from the station's own outcomes and handed
to the engine as plain arrays: two logistic regressions over the same `FEATURES` — p(hired | recommended) and
p(still in work at 90 days | hired) — and each employer's own record of hiring. The engine computes the
features of a whole block at once (resident-only and posting-only terms once per row, only the pair terms
per pair) and scores

    score = rule^w_rule · p_hire^w_hire · p_retention^w_retention,   w ≥ 0, Σ w = 1,

a weighted geometric mean in [0, 1]: the expected value of recommending the pair, between "a job the
resident would like" (the rules) and "a job the resident can get and keep" (the models). The weights are
chosen by the back-test, not guessed. Sex and ethnicity are not in the profiles, so never in a feature.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from .contracts import Component
from .index import JobIndex, ResidentIndex

# Distance bands (km) of the one-hot distance features; home-based work counts as 0 km.
DISTANCE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("distance_0_2", 0.0, 2.0),
    ("distance_2_5", 2.0, 5.0),
    ("distance_5_10", 5.0, 10.0),
    ("distance_10_20", 10.0, 20.0),
    ("distance_20_plus", 20.0, np.inf),
)
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("age_16_29", 0.0, 30.0),
    ("age_30_39", 30.0, 40.0),
    ("age_40_49", 40.0, 50.0),
    ("age_50_plus", 50.0, np.inf),
)
MAJOR_GROUPS = ("1", "2", "3", "4", "5", "6", "7", "8")
WAGE_RATIO_CAP = 2.0

PAIR_FEATURES: tuple[str, ...] = (
    *(f"component_{c.value}" for c in Component),
    "rule_score",
    *(name for name, _, _ in DISTANCE_BANDS),
    "distance_unknown",
    "wage_ratio",
    "wage_unknown",
)
RESIDENT_FEATURES: tuple[str, ...] = (
    *(name for name, _, _ in AGE_BANDS),
    "age_unknown",
    "education",
    "education_unknown",
    "care_duties",
    "household_lifted",
    "household_monitored",
    "household_zero_employment",
)
JOB_FEATURES: tuple[str, ...] = (
    "home_based",
    "full_time",
    "asks_no_skill",
    "employer_hire_rate",
    "employer_known",
    *(f"occupation_major_{g}" for g in MAJOR_GROUPS),
    "occupation_unknown",
)
FEATURES: tuple[str, ...] = PAIR_FEATURES + RESIDENT_FEATURES + JOB_FEATURES
_FLOOR = 1e-6  # logs of probabilities and scores never see 0


@dataclass(frozen=True, eq=False)
class LinearModel:
    """A fitted logistic regression over FEATURES: p = σ(intercept + Σ coef_j · (x_j − mean_j) / scale_j)."""

    intercept: float
    coef: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def __post_init__(self) -> None:
        for name in ("coef", "mean", "scale"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.shape != (len(FEATURES),):
                raise ValueError(f"{name} must have one value per feature ({len(FEATURES)})")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be finite")
            object.__setattr__(self, name, value)
        if np.any(self.scale <= 0):
            raise ValueError("scale must be > 0")
        if not np.isfinite(self.intercept):
            raise ValueError("intercept must be finite")

    @property
    def weights(self) -> np.ndarray:
        """Weights on the raw features: coef / scale."""
        return self.coef / self.scale

    @property
    def bias(self) -> float:
        """The logit at all-zero raw features."""
        return float(self.intercept - np.dot(self.weights, self.mean))

    def logits(self, matrix: np.ndarray) -> np.ndarray:
        """Logits of the rows of a (P, FEATURES) matrix."""
        return self.bias + matrix @ self.weights

    def to_dict(self) -> dict:
        return {"intercept": float(self.intercept), "coef": self.coef.tolist(), "mean": self.mean.tolist(),
                "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, data: Mapping) -> LinearModel:
        return cls(intercept=float(data["intercept"]), coef=np.asarray(data["coef"], dtype=np.float64),
                   mean=np.asarray(data["mean"], dtype=np.float64), scale=np.asarray(data["scale"], dtype=np.float64))


@dataclass(frozen=True, eq=False)
class EmployerRecord:
    """Each employer's hire rate among the recommendations it answered, shrunk toward the county's (`prior`);
    employers not in the record get the prior and count as unknown."""

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rates: np.ndarray = field(default_factory=lambda: np.zeros(0))
    prior: float = 0.0

    def __post_init__(self) -> None:
        ids = np.asarray(self.ids, dtype=np.int64)
        rates = np.asarray(self.rates, dtype=np.float64)
        if ids.shape != rates.shape:
            raise ValueError("one rate per employer")
        order = np.argsort(ids, kind="stable")
        object.__setattr__(self, "ids", ids[order])
        object.__setattr__(self, "rates", rates[order])
        if not (0.0 <= self.prior <= 1.0 and np.all((rates >= 0) & (rates <= 1))):
            raise ValueError("rates must be in [0, 1]")

    def lookup(self, employer_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rate, known) for each employer id (-1: unknown)."""
        employer_ids = np.asarray(employer_ids, dtype=np.int64)
        if not len(self.ids):
            return np.full(len(employer_ids), self.prior), np.zeros(len(employer_ids), dtype=bool)
        position = np.minimum(np.searchsorted(self.ids, employer_ids), len(self.ids) - 1)
        known = self.ids[position] == employer_ids
        return np.where(known, self.rates[position], self.prior), known

    def to_dict(self) -> dict:
        return {"ids": self.ids.tolist(), "rates": self.rates.tolist(), "prior": float(self.prior)}

    @classmethod
    def from_dict(cls, data: Mapping) -> EmployerRecord:
        return cls(ids=np.asarray(data["ids"], dtype=np.int64), rates=np.asarray(data["rates"], dtype=np.float64),
                   prior=float(data["prior"]))


@dataclass(frozen=True, eq=False)
class LearnedModel:
    """What a fitted version hands the engine: both regressions, the employers' record and the weights of the
    expected-value score (see the module docstring). `retention` may be None (too few hires observed for 90
    days yet): its weight is then 0."""

    hire: LinearModel
    retention: LinearModel | None
    employers: EmployerRecord
    weight_rule: float
    weight_hire: float
    weight_retention: float = 0.0
    version: int = 0

    def __post_init__(self) -> None:
        weights = (self.weight_rule, self.weight_hire, self.weight_retention)
        if min(weights) < 0 or abs(sum(weights) - 1.0) > 1e-9:
            raise ValueError("the score's weights must be ≥ 0 and sum to 1")
        if self.retention is None and self.weight_retention:
            raise ValueError("no retention model: its weight must be 0")

    def combine(self, rule: np.ndarray, hire: np.ndarray, retention: np.ndarray | None) -> np.ndarray:
        """The expected-value score of pairs from their rule score and probabilities."""
        log_score = self.weight_rule * np.log(np.maximum(rule, _FLOOR))
        log_score += self.weight_hire * np.log(np.maximum(hire, _FLOOR))
        if retention is not None and self.weight_retention:
            log_score += self.weight_retention * np.log(np.maximum(retention, _FLOOR))
        return np.minimum(np.exp(log_score), 1.0)


def _bands(values: np.ndarray, bands) -> Iterator[tuple[str, np.ndarray]]:
    for name, low, high in bands:
        yield name, ((values >= low) & (values < high)).astype(np.float64)


def resident_features(residents: ResidentIndex) -> dict[str, np.ndarray]:
    """The resident-only features, one value per row."""
    age = residents.age
    known_age = ~np.isnan(age)
    features = dict(_bands(np.where(known_age, age, -1.0), AGE_BANDS))
    features["age_unknown"] = (~known_age).astype(np.float64)
    known_education = ~np.isnan(residents.education)
    features["education"] = np.where(known_education, residents.education, 2.0)  # unknown: the median
    features["education_unknown"] = (~known_education).astype(np.float64)
    features["care_duties"] = (residents.hours_category % 2 == 1).astype(np.float64)
    features["household_lifted"] = _note(residents, "priority_lifted_household")
    features["household_monitored"] = _note(residents, "priority_monitored_household")
    features["household_zero_employment"] = _note(residents, "priority_zero_employment_household")
    return features


def _note(residents: ResidentIndex, code: str) -> np.ndarray:
    from .notes import BIT

    bit = next(value for note, value in BIT.items() if note.value == code)
    return ((residents.note_bits & bit) != 0).astype(np.float64)


def job_features(jobs: JobIndex, employers: EmployerRecord) -> dict[str, np.ndarray]:
    """The posting-only features, one value per row."""
    rate, known = employers.lookup(jobs.employer)
    major = np.array([code[0] if code else "" for code in jobs.occupation_vocab] + [""], dtype=object)[jobs.occupation]
    features = {
        "home_based": jobs.home_based.astype(np.float64),
        "full_time": (jobs.hours_category // 2 == 0).astype(np.float64),
        "asks_no_skill": (jobs.n_required == 0).astype(np.float64),
        "employer_hire_rate": rate,
        "employer_known": known.astype(np.float64),
    }
    for group in MAJOR_GROUPS:
        features[f"occupation_major_{group}"] = (major == group).astype(np.float64)
    features["occupation_unknown"] = (jobs.occupation < 0).astype(np.float64)
    return features


def pair_features(
    components: Mapping[Component, np.ndarray], rule_score: np.ndarray, distance: np.ndarray,
    residents: ResidentIndex, jobs: JobIndex,
) -> Iterator[tuple[str, np.ndarray]]:
    """The pair features of a block, one (n, m) array (or broadcastable) at a time, in PAIR_FEATURES order."""
    for component in Component:
        yield f"component_{component.value}", components[component]
    yield "rule_score", rule_score
    known = ~np.isnan(distance)
    yield from _bands(np.where(known, distance, -1.0), DISTANCE_BANDS)
    yield "distance_unknown", (~known).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = jobs.monthly_wage[None, :] / residents.min_wage[:, None]
    wage_known = np.isfinite(ratio)
    yield "wage_ratio", np.where(wage_known, np.minimum(ratio, WAGE_RATIO_CAP), 1.0)
    yield "wage_unknown", (~wage_known).astype(np.float64)


def block_probabilities(
    model: LearnedModel, components: Mapping[Component, np.ndarray], rule_score: np.ndarray,
    distance: np.ndarray, residents: ResidentIndex, jobs: JobIndex,
) -> tuple[np.ndarray, np.ndarray | None]:
    """(p_hire, p_retention) of every pair of a block: the resident-only and posting-only parts of each logit
    once per row, the pair parts per pair."""
    heads = [model.hire] + ([model.retention] if model.retention is not None else [])
    index = {name: i for i, name in enumerate(FEATURES)}
    shape = (len(residents), len(jobs))
    resident_part = resident_features(residents)
    job_part = job_features(jobs, model.employers)
    results = []
    for head in heads:
        weights = head.weights
        logit = np.full(shape, head.bias)
        row = sum(weights[index[name]] * values for name, values in resident_part.items())
        column = sum(weights[index[name]] * values for name, values in job_part.items())
        logit += np.asarray(row)[:, None]
        logit += np.asarray(column)[None, :]
        results.append(logit)
    for name, values in pair_features(components, rule_score, distance, residents, jobs):
        for head, logit in zip(heads, results, strict=True):
            weight = head.weights[index[name]]
            if weight:
                logit += weight * values
    probabilities = [_sigmoid(logit) for logit in results]
    return probabilities[0], (probabilities[1] if len(probabilities) > 1 else None)


def _sigmoid(logit: np.ndarray) -> np.ndarray:
    np.negative(logit, out=logit)
    np.exp(logit, out=logit)
    logit += 1.0
    np.reciprocal(logit, out=logit)
    return logit


def diagonal_features(
    components: Mapping[Component, np.ndarray], rule_score: np.ndarray, distance: np.ndarray,
    residents: ResidentIndex, jobs: JobIndex, employers: EmployerRecord,
) -> np.ndarray:
    """(P, FEATURES) for aligned pairs: row i of `residents` with row i of `jobs`, from a square block of them
    evaluated whole (the diagonal is kept; see pairs.py)."""
    count = len(residents)
    matrix = np.empty((count, len(FEATURES)))
    column = 0
    for _name, values in pair_features(components, rule_score, distance, residents, jobs):
        matrix[:, column] = np.broadcast_to(values, (count, count)).diagonal()
        column += 1
    for values in (*resident_features(residents).values(), *job_features(jobs, employers).values()):
        matrix[:, column] = values
        column += 1
    return matrix
