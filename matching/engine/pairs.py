"""Scores and features of given pairs (not every resident × every posting): row i of one index with row i of
another. The learning side reads the recommendations of the past this way, each with its own profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .block import PairContext, evaluate_block
from .index import JobIndex, ResidentIndex
from .learned import FEATURES, EmployerRecord, LearnedModel, diagonal_features

# Pairs evaluated per square block (whose diagonal is kept): 256² = 65,536 cells, the size the engine's
# blocks are fast at; the waste off the diagonal costs less than one numpy call per pair would.
PAIRS_PER_BLOCK = 256


@dataclass(frozen=True, eq=False)
class PairScores:
    """Per pair: the rules' score, the (expected-value) score, the probabilities with a model, whether a hard
    rule excludes the pair today, and optionally its FEATURES row."""

    rule_score: np.ndarray
    score: np.ndarray
    hire: np.ndarray | None
    retention: np.ndarray | None
    excluded: np.ndarray
    features: np.ndarray | None


def score_pairs(
    residents: ResidentIndex,
    jobs: JobIndex,
    *,
    today: date,
    model: LearnedModel | None = None,
    employers: EmployerRecord | None = None,
    with_features: bool = False,
    block: int = PAIRS_PER_BLOCK,
) -> PairScores:
    """Evaluate pair i = (residents row i, jobs row i) for every i; both indexes have the same length.
    `employers` (default: the model's record) gives the employer features."""
    if len(residents) != len(jobs):
        raise ValueError("score_pairs pairs row i with row i: the indexes must have the same length")
    count = len(residents)
    employers = employers or (model.employers if model is not None else EmployerRecord())
    rule, score, excluded = np.empty(count), np.empty(count), np.zeros(count, dtype=bool)
    hire = np.empty(count) if model is not None else None
    retention = np.empty(count) if model is not None and model.retention is not None else None
    features = np.empty((count, len(FEATURES))) if with_features else None
    for start in range(0, count, block):
        positions = np.arange(start, min(start + block, count))
        r, j = residents.take(positions), jobs.take(positions)
        evaluated = evaluate_block(r, j, PairContext.build(r, j, model), today=today)
        part = slice(start, start + len(positions))
        rule[part] = evaluated.rule_score.diagonal()
        score[part] = evaluated.score.diagonal()
        excluded[part] = evaluated.excluded.diagonal()
        if hire is not None:
            hire[part] = evaluated.hire.diagonal()
        if retention is not None:
            retention[part] = evaluated.retention.diagonal()
        if features is not None:
            features[part] = diagonal_features(evaluated.components, evaluated.rule_score, evaluated.distance,
                                               r, j, employers)
    return PairScores(rule_score=rule, score=score, hire=hire, retention=retention, excluded=excluded,
                      features=features)
