"""Hard rules: boolean masks of resident × posting pairs that must not be matched, one per reason."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from .contracts import ExclusionReason

if TYPE_CHECKING:
    from .index import JobIndex, ResidentIndex


def county_translation(residents: ResidentIndex, jobs: JobIndex) -> np.ndarray:
    """Map resident county positions onto the postings' county vocabulary.

    Index with `residents.county` (the last entry serves -1): -1 stays unknown, a county no
    posting is in becomes -2 (differs from every posting's county).
    """
    position = {code: i for i, code in enumerate(jobs.county_vocab)}
    return np.array([position.get(code, -2) for code in residents.county_vocab] + [-1], dtype=np.int64)


def mandatory_unmet(residents: ResidentIndex, jobs: JobIndex) -> np.ndarray | None:
    """(n, m) True where the resident lacks (or is below the level of) a mandatory skill; None if
    no posting has a mandatory skill."""
    if not jobs.mandatory.nnz:
        return None
    held = residents.levels[:, jobs.mandatory_skill].toarray() >= jobs.mandatory_level
    met = (jobs.mandatory @ held.T.astype(np.float64)).T
    return met < jobs.n_mandatory


def _pairwise(compare, resident_values: np.ndarray, job_values: np.ndarray) -> np.ndarray | None:
    """compare(resident, posting) over all pairs; None when either side has no finite value."""
    if not (np.isfinite(resident_values).any() and np.isfinite(job_values).any()):
        return None
    return compare(resident_values[:, None], job_values[None, :])


def exclusion_masks(
    residents: ResidentIndex,
    jobs: JobIndex,
    *,
    distance: np.ndarray,
    county_map: np.ndarray,
    today: date,
    estimated: np.ndarray | None = None,
) -> dict[ExclusionReason, np.ndarray | None]:
    """Every rule's mask, broadcastable to (n, m); None for a rule that cannot apply here.

    Unknown facts never exclude: no age → no age rule; no coordinates (distance NaN) → no
    distance rule; no county on either side → no county rule. Home-based work has distance 0
    and is never outside the county. A distance from estimated coordinates (`estimated`) excludes
    only beyond the limit plus `estimated_distance_margin_km`.
    """
    r = ExclusionReason
    masks: dict[ExclusionReason, np.ndarray | None] = {
        r.POSTING_NOT_OPEN: ~jobs.is_open[None, :],
        r.POSTING_EXPIRED: (jobs.valid_until < today.toordinal())[None, :],
        r.POSTING_FULL: (jobs.openings_remaining <= 0)[None, :],
        r.NOT_SEEKING_WORK: ~residents.seeking_work[:, None],
        r.TOO_YOUNG: _pairwise(np.less, residents.age, jobs.age_min),
        r.TOO_OLD: _pairwise(np.greater, residents.age, jobs.age_max),
        r.TOO_FAR: _too_far(residents, distance, estimated) if np.isfinite(residents.max_commute_km).any() else None,
        r.HOME_BASED_NOT_ACCEPTED: ~residents.accepts_home_based[:, None] & jobs.home_based[None, :],
        r.MANDATORY_SKILL_MISSING: mandatory_unmet(residents, jobs),
    }
    resident_county = county_map[residents.county]
    checks_county = (resident_county != -1) & ~residents.accepts_outside_county
    posting_county = (jobs.county != -1) & ~jobs.home_based
    if checks_county.any() and posting_county.any():
        outside = resident_county[:, None] != jobs.county[None, :]
        outside &= checks_county[:, None]
        outside &= posting_county[None, :]
        masks[r.OUTSIDE_COUNTY_NOT_ACCEPTED] = outside
    else:
        masks[r.OUTSIDE_COUNTY_NOT_ACCEPTED] = None
    return {reason: masks[reason] for reason in ExclusionReason}


def _too_far(residents: ResidentIndex, distance: np.ndarray, estimated: np.ndarray | None) -> np.ndarray:
    limit = residents.max_commute_km[:, None]
    if estimated is None:
        return distance > limit
    margin = np.where(estimated, residents.config.estimated_distance_margin_km, 0.0)
    return distance > limit + margin


def any_excluded(masks: dict[ExclusionReason, np.ndarray | None], shape: tuple[int, int]) -> np.ndarray:
    """(n, m) True where at least one rule applies."""
    excluded = np.zeros(shape, dtype=bool)
    for mask in masks.values():
        if mask is not None and mask.any():
            excluded |= mask
    return excluded
