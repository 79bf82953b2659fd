"""How well a score separates what happened: AUC, hits among a resident's recommendations, Brier, calibration."""

from __future__ import annotations

import numpy as np


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (ties count half); NaN when only one class is present."""
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    positives, negatives = labels.sum(), (~labels).sum()
    if not positives or not negatives:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # Average ranks over ties.
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(scores)]])
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        ranks[order[start:end]] = (start + end + 1) / 2
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def hit_at(groups: np.ndarray, scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Among groups (residents) with a positive and at least two rows: the share whose positive (a hire) is
    among their k best-scored rows (ties counted against the score)."""
    groups, scores, labels = np.asarray(groups), np.asarray(scores, dtype=float), np.asarray(labels).astype(bool)
    hits, counted = 0, 0
    for group in np.unique(groups[labels]):
        mine = groups == group
        if mine.sum() < 2:
            continue
        counted += 1
        best_positive = scores[mine & labels].max()
        ahead = (scores[mine & ~labels] >= best_positive).sum()  # a tie is not a win
        hits += ahead < k
    return float(hits / counted) if counted else float("nan")


def brier(labels: np.ndarray, probabilities: np.ndarray) -> float:
    labels = np.asarray(labels, dtype=float)
    return float(np.mean((np.asarray(probabilities, dtype=float) - labels) ** 2)) if len(labels) else float("nan")


def calibration(labels: np.ndarray, probabilities: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean predicted, observed rate, count) per equal-width bin of the predictions, empty bins left out."""
    labels, probabilities = np.asarray(labels, dtype=float), np.asarray(probabilities, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probabilities, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mine = which == b
        if mine.any():
            rows.append((float(probabilities[mine].mean()), float(labels[mine].mean()), int(mine.sum())))
    return rows


def platt(train_scores: np.ndarray, train_labels: np.ndarray):
    """A 1-D logistic map fitted on training scores: turns the rules' score into a probability for its Brier
    (the rules score fit, not probability)."""
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(C=1e6, max_iter=1000)
    regression.fit(np.asarray(train_scores).reshape(-1, 1), np.asarray(train_labels))
    return lambda scores: regression.predict_proba(np.asarray(scores).reshape(-1, 1))[:, 1]
