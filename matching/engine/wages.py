"""Turn a posting's wage (per month, day, hour or piece) into a monthly estimate, and score it."""

from __future__ import annotations

import numpy as np

from .config import EngineConfig
from .contracts import JobProfile


def monthly_wage_estimate(job: JobProfile, config: EngineConfig) -> float | None:
    """Monthly estimate in CNY from the midpoint of wage_min/wage_max (or whichever is given).

    day → × working days a month; hour → × hours a day (posting's, else the default) × working
    days; piece → the posting's own `piece_monthly_estimate` when given, else the rate ×
    `pieces_per_month` when that is configured, else None: a rate per piece says nothing about a
    month's earnings, so the wage component stays neutral. None when the posting gives no wage.
    """
    if job.wage_unit == "piece" and job.piece_monthly_estimate is not None:
        return float(job.piece_monthly_estimate)
    given = [float(w) for w in (job.wage_min, job.wage_max) if w is not None]
    if not given:
        return None
    wage = sum(given) / len(given)
    if job.wage_unit == "day":
        return wage * config.working_days_per_month
    if job.wage_unit == "hour":
        hours = job.hours_per_day if job.hours_per_day is not None else config.default_hours_per_day
        return wage * hours * config.working_days_per_month
    if job.wage_unit == "piece":
        return None if config.pieces_per_month is None else wage * config.pieces_per_month
    return wage


def wage_fit(minimum: np.ndarray, estimate: np.ndarray, config: EngineConfig) -> np.ndarray:
    """Fit of monthly estimates (m,) against residents' minimum wages (n,): an (n, m) array.

    1 at or above the minimum, exp(-(shortfall / minimum) / scale) below it, neutral where
    either side is unknown (NaN). A minimum ≤ 0 is met by any wage.
    """
    minimum = np.asarray(minimum, dtype=float)
    positive = minimum > 0
    inverse = np.divide(1.0, minimum, out=np.zeros_like(minimum), where=positive)
    shortfall = np.subtract(minimum[:, None], estimate[None, :])
    shortfall *= inverse[:, None]
    np.maximum(shortfall, 0.0, out=shortfall)
    shortfall *= -1.0 / config.wage_shortfall_scale
    fit = np.exp(shortfall, out=shortfall)
    fit[np.isnan(minimum), :] = config.neutral
    fit[:, np.isnan(estimate)] = config.neutral
    return fit
