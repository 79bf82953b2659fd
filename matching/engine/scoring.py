"""Soft score components for a block of residents × postings, each an array of values in [0, 1]."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .config import EngineConfig
from .contracts import JOB_WORK_TIMES, RESIDENT_WORK_TIMES, Component, ResidentProfile
from .occupations import GROUP_DEPTHS, group_prefixes

if TYPE_CHECKING:
    from .index import JobIndex, ResidentIndex


def priority_value(resident: ResidentProfile, config: EngineConfig) -> float:
    """Policy priority of a resident: the highest that applies, 0 when none does."""
    values = [0.0]
    if resident.zero_employment_household:
        values.append(config.priority_zero_employment)
    if resident.poverty_status == "monitored":
        values.append(config.priority_monitored)
    if resident.poverty_status == "lifted":
        values.append(config.priority_lifted)
    return max(values)


def hours_table(config: EngineConfig) -> np.ndarray:
    """(6, 6) hours fit by resident category (work time × care duties) and posting category
    (work time × home-based): the work-time preference fit times, for residents with care
    duties, a factor favouring home-based, then part-time/flexible work."""
    table = np.zeros((2 * len(RESIDENT_WORK_TIMES), 2 * len(JOB_WORK_TIMES)))
    for r, resident_time in enumerate(RESIDENT_WORK_TIMES):
        for j, job_time in enumerate(JOB_WORK_TIMES):
            fit = config.work_time_fit_of(resident_time, job_time)
            for home in (0, 1):
                if home:
                    care = config.care_fit_home_based
                elif job_time == "full":
                    care = config.care_fit_full_time
                else:
                    care = config.care_fit_part_time
                table[2 * r, 2 * j + home] = fit
                table[2 * r + 1, 2 * j + home] = fit * care
    return table


def occupation_table(residents: ResidentIndex, jobs: JobIndex) -> np.ndarray:
    """Fit of every wanted code (rows) against every posting code (columns).

    One extra column for postings without a code (neutral), and two extra rows: padding (0,
    so it never wins a max) and "wants nothing" (neutral everywhere).
    """
    config = residents.config
    values = (config.occupation_same_major, config.occupation_same_middle, config.occupation_same_minor)
    n_wanted, n_codes = len(residents.occupation_vocab), len(jobs.occupation_vocab)
    table = np.zeros((n_wanted + 2, n_codes + 1))
    if n_wanted and n_codes:
        wanted_prefixes = np.array(
            [
                [
                    jobs.occupation_prefix_ids.get((depth, prefix), -2) if prefix is not None else -3
                    for depth, prefix in enumerate(group_prefixes(code))
                ]
                for code in residents.occupation_vocab
            ],
            dtype=np.int64,
        ).reshape(n_wanted, GROUP_DEPTHS)
        fit = table[:n_wanted, :n_codes]
        for depth in range(GROUP_DEPTHS):
            same = wanted_prefixes[:, depth, None] == jobs.occupation_prefixes[None, :, depth]
            np.maximum(fit, np.where(same, values[depth], 0.0), out=fit)
        job_position = {code: i for i, code in enumerate(jobs.occupation_vocab)}
        for row, code in enumerate(residents.occupation_vocab):
            if code in job_position:
                fit[row, job_position[code]] = 1.0
    table[:n_wanted, n_codes] = config.neutral
    table[n_wanted + 1, :] = config.neutral
    return table


def occupation_fit(residents: ResidentIndex, jobs: JobIndex, table: np.ndarray) -> np.ndarray:
    """(n, m) best fit of a resident's wanted codes with each posting's code."""
    pad_row, nothing_row = table.shape[0] - 2, table.shape[0] - 1
    wanted = np.where(residents.wanted >= 0, residents.wanted, pad_row)
    wanted[residents.wanted[:, 0] < 0, 0] = nothing_row
    by_code = table[wanted[:, 0]]
    for slot in range(1, wanted.shape[1]):
        np.maximum(by_code, table[wanted[:, slot]], out=by_code)
    codes = np.where(jobs.occupation >= 0, jobs.occupation, table.shape[1] - 1)
    return np.take(by_code, codes, axis=1)


def skill_credits(
    residents: ResidentIndex, skill: np.ndarray, group: np.ndarray, level: np.ndarray
) -> np.ndarray:
    """(n, A) credit each resident earns towards each (skill, level) column.

    credit = max(min(1, own level / level), related_skill_credit × min(1, best level in the
    skill's group / level)); 0 when neither the skill nor a related one is held.
    """
    n = len(residents)
    if not len(skill):
        return np.zeros((n, 0))
    own = residents.levels[:, skill].toarray()
    np.divide(own, level, out=own)
    np.minimum(own, 1.0, out=own)
    grouped = group >= 0
    if residents.skills.n_groups and grouped.any():
        related = np.zeros_like(own)
        related[:, grouped] = residents.group_levels[:, group[grouped]].toarray()
        np.divide(related, level, out=related)
        np.minimum(related, 1.0, out=related)
        related *= residents.config.related_skill_credit
        np.maximum(own, related, out=own)
    return own


def skill_fit(residents: ResidentIndex, jobs: JobIndex) -> np.ndarray:
    """(n, m) skill component: mean required credit (neutral without required skills) plus
    preferred_bonus × mean preferred credit, capped at 1."""
    credits = skill_credits(residents, jobs.active_skill, jobs.active_group, jobs.active_level)
    fit = np.empty((len(residents), len(jobs)))
    if credits.shape[1]:
        np.add((jobs.skill_weights @ credits.T).T, jobs.skill_offset, out=fit)
    else:
        fit[:] = jobs.skill_offset
    np.minimum(fit, 1.0, out=fit)
    return fit


def commute_fit(distance: np.ndarray, config: EngineConfig, estimated: np.ndarray | None = None) -> np.ndarray:
    """(n, m) exp(-distance / scale) (home-based work has distance 0, so fits 1); neutral where
    the distance is unknown (NaN). Where `estimated` (the distance comes from coordinates estimated
    from a town), the fit counts `estimated_distance_share` of its difference from neutral."""
    fit = np.multiply(distance, -1.0 / config.commute_scale_km)
    np.exp(fit, out=fit)
    fit[np.isnan(fit)] = config.neutral
    if estimated is not None and estimated.any():
        shrunk = config.neutral + config.estimated_distance_share * (fit - config.neutral)
        np.copyto(fit, shrunk, where=estimated)
    return fit


def hours_fit(residents: ResidentIndex, jobs: JobIndex, table: np.ndarray) -> np.ndarray:
    """(n, m) lookup of the hours table by resident and posting category."""
    return table[residents.hours_category][:, jobs.hours_category]


def combine(components: dict[Component, np.ndarray], config: EngineConfig) -> np.ndarray:
    """Weighted mean of the components in component order: Σ weight·value / Σ weight."""
    total = config.total_weight
    shape = np.broadcast_shapes(*(c.shape for c in components.values()))
    score = np.zeros(shape)
    scratch = np.empty(shape)
    for name, weight in config.weights.items():
        values = components[name]
        if values.shape == shape:
            score += np.multiply(values, weight / total, out=scratch)
        else:
            score += values * (weight / total)
    return score
