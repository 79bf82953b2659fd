"""An honest back-test: fit on what was known on a day, judge on the recommendations made after it.

The rules-only score and the learned score are judged on the same pairs in the same run: AUC of hired vs not
hired, hit@1 and hit@3 among each resident's recommended postings, and the Brier score of the probability of a
hire (the rules' score turned into one by a logistic map fitted on the training side, since a fit is not a
probability). The same figures by sex, age band and household type show any disparity; sex is read for that
and for nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field

import numpy as np
from django.utils import timezone

from ..engine import LearnedModel
from .dataset import recommendations_known
from .fit import Fitted, Table, scoring_rows, train
from .metrics import auc, brier, calibration, hit_at, platt

GROUPS = (("sex", "sex"), ("age band", "age_band"), ("household", "household"))


@dataclass
class Figures:
    pairs: int
    hires: int
    auc: float
    hit_at_1: float
    hit_at_3: float
    brier: float

    def as_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in asdict(self).items()}


@dataclass
class Backtest:
    cutoff: dt.date
    judged_on: dt.date
    trained_pairs: int
    model_fitted: bool
    rules: Figures
    learned: Figures
    groups: dict[str, dict[str, dict[str, Figures]]] = field(default_factory=dict)
    calibration: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)

    @property
    def auc_gain(self) -> float:
        return self.learned.auc - self.rules.auc

    def as_dict(self) -> dict:
        return {
            "cutoff": self.cutoff.isoformat(), "judged_on": self.judged_on.isoformat(),
            "trained_pairs": self.trained_pairs, "model_fitted": self.model_fitted,
            "rules": self.rules.as_dict(), "learned": self.learned.as_dict(),
            "groups": {dim: {value: {kind: figures.as_dict() for kind, figures in pair.items()}
                             for value, pair in values.items()} for dim, values in self.groups.items()},
            "calibration": self.calibration,
        }


def _figures(table: Table, score: np.ndarray, probability: np.ndarray) -> Figures:
    hired = table.outcomes.hired
    residents = table.outcomes.resident_ids
    return Figures(pairs=len(hired), hires=int(hired.sum()), auc=auc(hired, score),
                   hit_at_1=hit_at(residents, score, hired, 1), hit_at_3=hit_at(residents, score, hired, 3),
                   brier=brier(hired, probability))


def learned_scores(model: LearnedModel, table: Table) -> tuple[np.ndarray, np.ndarray]:
    """(expected-value score, p_hire) of a table's pairs under a model."""
    rows = scoring_rows(table, model.employers)
    p_hire = 1.0 / (1.0 + np.exp(-model.hire.logits(rows)))
    p_retention = 1.0 / (1.0 + np.exp(-model.retention.logits(rows))) if model.retention is not None else None
    return model.combine(table.rule_score, p_hire, p_retention), p_hire


def backtest(cutoff: dt.date, *, judged_on: dt.date | None = None, fitted: Fitted | None = None,
             test: Table | None = None) -> Backtest:
    """Fit on what was known on `cutoff` (unless given `fitted`), judge on what came after, up to `judged_on`."""
    judged_on = judged_on or timezone.localdate()
    training = Table.of(recommendations_known(made_before=cutoff, known_by=cutoff), today=cutoff)
    fitted = fitted if fitted is not None else train(cutoff)
    if test is None:
        test = Table.of(recommendations_known(made_from=cutoff, made_before=judged_on + dt.timedelta(days=1),
                                              known_by=judged_on), today=judged_on)
    if len(training.outcomes.hired) and 0 < training.outcomes.hired.sum() < len(training.outcomes.hired):
        rule_probability = platt(training.rule_score, training.outcomes.hired)(test.rule_score) if len(test) \
            else np.zeros(0)
    else:
        rule_probability = np.full(len(test), training.outcomes.hired.mean() if len(training) else 0.0)
    if fitted is not None:
        learned, p_hire = learned_scores(fitted.model, test)
    else:  # cold start: the rules rank alone
        learned, p_hire = test.rule_score, rule_probability
    report = Backtest(
        cutoff=cutoff, judged_on=judged_on, trained_pairs=len(training), model_fitted=fitted is not None,
        rules=_figures(test, test.rule_score, rule_probability), learned=_figures(test, learned, p_hire),
        calibration={"rules": calibration(test.outcomes.hired, rule_probability),
                     "learned": calibration(test.outcomes.hired, p_hire)},
    )
    for label, attribute in GROUPS:
        values = getattr(test.outcomes, attribute)
        report.groups[label] = {}
        for value in sorted(set(values.tolist())):
            mine = values == value
            part = test.take(mine)
            report.groups[label][str(value)] = {
                "rules": _figures(part, test.rule_score[mine], rule_probability[mine]),
                "learned": _figures(part, learned[mine], p_hire[mine]),
            }
    return report


def model_figures(model: LearnedModel, test: Table) -> Figures:
    """A stored version judged on a test table (to compare a candidate with the active version)."""
    learned, p_hire = learned_scores(model, test)
    return _figures(test, learned, p_hire)
