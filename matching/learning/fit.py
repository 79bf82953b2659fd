"""Fitting the hiring and retention models and the weights of the expected-value score, on a station's small
numbers.

Both models are L2-regularised logistic regressions over the engine's FEATURES (scikit-learn), their strength
chosen on the last fifth of the training window (by time: the model is always judged on what came after what
it learned from). The employer's own record enters as its hire rate shrunk toward the county's with
PRIOR_STRENGTH pseudo-recommendations, and leave-one-out on the rows it is fitted on (a row never sees its own
label through it). The score's weights are chosen on the same last fifth: the weights whose score best
separates recommendations that ended in a hire that lasted 90 days, among those that separate hires from
non-hires within 0.01 of AUC of the best; ties go to more weight on the rules (their reasons can be checked).

Cold start: below MIN_RESOLVED resolved recommendations (or MIN_HIRES hires, MIN_NON_HIRES others) nothing is
fitted and the rules rank alone; below MIN_RETENTION hires observed for 90 days there is no retention model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..engine import FEATURES, EmployerRecord, LearnedModel, LinearModel, score_pairs
from .dataset import Outcomes, placements_as_of, recommendations_known
from .metrics import auc

MIN_RESOLVED = 200
MIN_HIRES = 30
MIN_NON_HIRES = 30
MIN_RETENTION = 40
MIN_RETENTION_CLASS = 8
PRIOR_STRENGTH = 10.0
STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0)  # the regression's C: smaller is more regularised
VALIDATION_SHARE = 0.2
AUC_TOLERANCE = 0.01
RULE_WEIGHTS = tuple(round(0.1 * i, 1) for i in range(10))  # 0.0 … 0.9 (the models always weigh ≥ 0.1)
RETENTION_WEIGHTS = (0.0, 0.1, 0.2, 0.3)

_EMPLOYER_RATE = FEATURES.index("employer_hire_rate")
_EMPLOYER_KNOWN = FEATURES.index("employer_known")


@dataclass(frozen=True, eq=False)
class Table:
    """Outcomes with their feature rows (the employer columns are filled per fit) and rule scores."""

    outcomes: Outcomes
    features: np.ndarray
    rule_score: np.ndarray

    @classmethod
    def of(cls, outcomes: Outcomes, *, today: dt.date) -> Table:
        scored = score_pairs(outcomes.residents, outcomes.jobs, today=today, with_features=True)
        return cls(outcomes, scored.features, scored.rule_score)

    def take(self, mask: np.ndarray) -> Table:
        return Table(self.outcomes.take(mask), self.features[mask], self.rule_score[mask])

    def __len__(self) -> int:
        return len(self.rule_score)


@dataclass
class Fitted:
    """A fitted version: the engine's model and what the selection found."""

    model: LearnedModel
    hire_base_rate: float
    retention_base_rate: float | None
    strengths: dict[str, float]
    counts: dict[str, int]
    validation: dict[str, float] = field(default_factory=dict)


def employer_record(table: Table) -> EmployerRecord:
    """Each employer's hire rate among the table's recommendations, shrunk toward the table's own rate."""
    hired = table.outcomes.hired
    prior = float(hired.mean()) if len(hired) else 0.0
    ids, inverse = np.unique(table.outcomes.employer_ids, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(ids)).astype(float)
    hires = np.bincount(inverse, weights=hired, minlength=len(ids))
    rates = (hires + PRIOR_STRENGTH * prior) / (counts + PRIOR_STRENGTH)
    known = ids >= 0
    return EmployerRecord(ids=ids[known], rates=rates[known], prior=prior)


def _with_employers(features: np.ndarray, rate: np.ndarray, known: np.ndarray) -> np.ndarray:
    matrix = features.copy()
    matrix[:, _EMPLOYER_RATE] = rate
    matrix[:, _EMPLOYER_KNOWN] = known
    return matrix


def fitting_rows(table: Table, record: EmployerRecord) -> np.ndarray:
    """The table's features with each row's employer rate left out of its own label (leave-one-out)."""
    outcomes = table.outcomes
    ids, inverse = np.unique(outcomes.employer_ids, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(ids)).astype(float)[inverse]
    hires = np.bincount(inverse, weights=outcomes.hired, minlength=len(ids))[inverse]
    others = counts - 1
    rate = (hires - outcomes.hired + PRIOR_STRENGTH * record.prior) / (others + PRIOR_STRENGTH)
    known = (outcomes.employer_ids >= 0) & (others > 0)
    return _with_employers(table.features, np.where(known, rate, record.prior), known.astype(float))


def scoring_rows(table: Table, record: EmployerRecord) -> np.ndarray:
    """The table's features with the employers' record as it stands (for pairs the record did not see)."""
    rate, known = record.lookup(table.outcomes.employer_ids)
    return _with_employers(table.features, rate, known.astype(float))


def fit_head(matrix: np.ndarray, labels: np.ndarray, strength: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression  # loaded when a model is trained, not by every worker

    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0
    # Newton steps are exact and quick on a station's thousands of rows; L-BFGS scales to a county's 100,000.
    solver = "newton-cholesky" if len(labels) < 20000 else "lbfgs"
    regression = LogisticRegression(C=strength, max_iter=2000, solver=solver)
    regression.fit((matrix - mean) / scale, labels)
    return LinearModel(intercept=float(regression.intercept_[0]), coef=regression.coef_[0], mean=mean, scale=scale)


def _probabilities(head: LinearModel, matrix: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-head.logits(matrix)))


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _split_by_time(days: np.ndarray) -> np.ndarray:
    """True for the rows of the last VALIDATION_SHARE, by day (rows of the dividing day go together)."""
    if not len(days):
        return np.zeros(0, dtype=bool)
    divide = np.quantile(days, 1 - VALIDATION_SHARE, method="higher")
    return days >= divide


def _choose_strength(train: Table, valid: Table, labels_train, labels_valid,
                     record: EmployerRecord | None = None) -> float:
    """The regularisation whose fit on `train` predicts `valid` best (log loss); ties go to the stronger.
    Without a `record`, the employers' record is `train`'s own, left out row by row."""
    if record is None:
        record = employer_record(train)
        fit_rows = fitting_rows(train, record)
    else:
        fit_rows = scoring_rows(train, record)
    valid_rows = scoring_rows(valid, record)
    losses = {c: _log_loss(_probabilities(fit_head(fit_rows, labels_train, c), valid_rows), labels_valid)
              for c in STRENGTHS}
    return min(losses, key=lambda c: (losses[c], -c))


def enough_outcomes(hired: np.ndarray) -> bool:
    return len(hired) >= MIN_RESOLVED and hired.sum() >= MIN_HIRES and (1 - hired).sum() >= MIN_NON_HIRES


def _enough_retention(retained: np.ndarray) -> bool:
    return len(retained) >= MIN_RETENTION and min(retained.sum(), (1 - retained).sum()) >= MIN_RETENTION_CLASS


def train(cutoff: dt.date, *, version: int = 0) -> Fitted | None:
    """Fit a version on what was known on `cutoff`; None below the cold-start minimums."""
    recommended = Table.of(recommendations_known(made_before=cutoff, known_by=cutoff), today=cutoff)
    labels = recommended.outcomes.hired
    if not enough_outcomes(labels):
        return None
    late = _split_by_time(recommended.outcomes.recommended_on)
    early_part, late_part = recommended.take(~late), recommended.take(late)
    hire_strength = _choose_strength(early_part, late_part, early_part.outcomes.hired, late_part.outcomes.hired)

    record = employer_record(recommended)
    hires = Table.of(placements_as_of(cutoff), today=cutoff)
    hires = hires.take(hires.outcomes.retained >= 0)
    retention_strength = None
    if _enough_retention(hires.outcomes.retained):
        later_hires = _split_by_time(hires.outcomes.recommended_on)
        earlier, later = hires.take(~later_hires), hires.take(later_hires)
        if _enough_retention(earlier.outcomes.retained) and len(later):
            retention_strength = _choose_strength(earlier, later, earlier.outcomes.retained,
                                                  later.outcomes.retained, record=record)
        else:
            retention_strength = 1.0

    weights, validation = _choose_weights(early_part, late_part, hires, hire_strength, retention_strength)

    hire_head = fit_head(fitting_rows(recommended, record), labels, hire_strength)
    retention_head = None
    if retention_strength is not None:
        retention_head = fit_head(scoring_rows(hires, record), hires.outcomes.retained, retention_strength)
    weight_rule, weight_retention = weights
    if retention_head is None:
        weight_retention = 0.0
    model = LearnedModel(hire=hire_head, retention=retention_head, employers=record, weight_rule=weight_rule,
                         weight_hire=round(1.0 - weight_rule - weight_retention, 10),
                         weight_retention=weight_retention, version=version)
    return Fitted(
        model=model,
        hire_base_rate=float(labels.mean()),
        retention_base_rate=float(hires.outcomes.retained.mean()) if len(hires) else None,
        strengths={"hire": hire_strength, "retention": retention_strength},
        counts={"recommendations": len(recommended), "hires": int(labels.sum()),
                "hires_observed_90_days": len(hires),
                "retained_90_days": int(hires.outcomes.retained.sum()) if len(hires) else 0},
        validation=validation,
    )


def _choose_weights(early: Table, late: Table, hires: Table, hire_strength: float,
                    retention_strength: float | None) -> tuple[tuple[float, float], dict[str, float]]:
    """(weight of the rules, weight of retention) judged on the late part, fitted on the early part."""
    record = employer_record(early)
    hire_head = fit_head(fitting_rows(early, record), early.outcomes.hired, hire_strength)
    late_rows = scoring_rows(late, record)
    p_hire = _probabilities(hire_head, late_rows)
    p_retention = None
    if retention_strength is not None:
        first_late_day = late.outcomes.recommended_on.min() if len(late) else 0
        earlier_hires = hires.take(hires.outcomes.recommended_on < first_late_day)
        if _enough_retention(earlier_hires.outcomes.retained):
            retention_head = fit_head(scoring_rows(earlier_hires, record), earlier_hires.outcomes.retained,
                                      retention_strength)
            p_retention = _probabilities(retention_head, late_rows)
    hired = late.outcomes.hired
    good = ((hired == 1) & (late.outcomes.retained == 1)).astype(int)
    observable = (hired == 0) | (late.outcomes.retained >= 0)
    results = {}
    for weight_rule in RULE_WEIGHTS:
        for weight_retention in RETENTION_WEIGHTS if p_retention is not None else (0.0,):
            weight_hire = 1.0 - weight_rule - weight_retention
            if weight_hire < 0.1 - 1e-9:
                continue
            log_score = weight_rule * np.log(np.maximum(late.rule_score, 1e-6))
            log_score += weight_hire * np.log(np.maximum(p_hire, 1e-6))
            if p_retention is not None:
                log_score += weight_retention * np.log(np.maximum(p_retention, 1e-6))
            hire_auc = auc(hired, log_score)
            good_auc = auc(good[observable], log_score[observable]) if good[observable].any() else hire_auc
            results[(weight_rule, weight_retention)] = (hire_auc, good_auc)
    best_hire = max(value[0] for value in results.values())
    eligible = {key: value for key, value in results.items() if value[0] >= best_hire - AUC_TOLERANCE}
    chosen = max(eligible, key=lambda key: (round(eligible[key][1], 4), key[0], -key[1]))
    return chosen, {"hire_auc": eligible[chosen][0], "good_outcome_auc": eligible[chosen][1],
                    "rules_hire_auc": auc(hired, late.rule_score)}
