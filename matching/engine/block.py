"""Evaluate one block of residents × postings: distances, hard-rule masks, components and scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .contracts import Component, ExclusionReason
from .geo import pairwise_km
from .index import JobIndex, ResidentIndex, check_compatible
from .learned import LearnedModel, block_probabilities
from .rules import any_excluded, county_translation, exclusion_masks
from .scoring import combine, commute_fit, hours_fit, hours_table, occupation_fit, occupation_table, skill_fit
from .wages import wage_fit


@dataclass(frozen=True, eq=False)
class PairContext:
    """Lookup tables that depend on both indexes' vocabularies; built once per ranking call and
    valid for any rows taken from the same two indexes."""

    county_map: np.ndarray
    occupation_table: np.ndarray
    hours_table: np.ndarray
    model: LearnedModel | None = None  # with one, blocks are scored by the expected-value score

    @classmethod
    def build(cls, residents: ResidentIndex, jobs: JobIndex, model: LearnedModel | None = None) -> PairContext:
        check_compatible(residents, jobs)
        return cls(
            county_map=county_translation(residents, jobs),
            occupation_table=occupation_table(residents, jobs),
            hours_table=hours_table(residents.config),
            model=model,
        )


@dataclass(frozen=True, eq=False)
class PairBlock:
    """Everything computed for a block; arrays are (n, m) except priority (n, 1). `score` is the rules' score,
    or with a learned model the expected-value score; `rule_score`, `hire` and `retention` are then kept too
    (else `rule_score` is `score` and the probabilities None)."""

    residents: ResidentIndex
    jobs: JobIndex
    components: dict[Component, np.ndarray]
    score: np.ndarray
    excluded: np.ndarray
    distance: np.ndarray  # km; 0 for home-based work, NaN where coordinates are missing
    estimated: np.ndarray | None  # (n, m) the distance rests on estimated coordinates; None: nowhere
    reasons: dict[ExclusionReason, np.ndarray | None]
    rule_score: np.ndarray
    hire: np.ndarray | None = None
    retention: np.ndarray | None = None


def pair_distances(residents: ResidentIndex, jobs: JobIndex) -> np.ndarray:
    """(n, m) km between resident and workplace; 0 for home-based work."""
    distance = pairwise_km(residents.xyz, jobs.xyz)
    if jobs.home_based.any():
        distance[:, jobs.home_based] = 0.0
    return distance


def estimated_distances(residents: ResidentIndex, jobs: JobIndex, distance: np.ndarray) -> np.ndarray | None:
    """(n, m) True where a known on-site distance rests on coordinates estimated from a town; None if
    no pair's does."""
    if not (residents.estimated.any() or jobs.estimated.any()):
        return None
    estimated = residents.estimated[:, None] | jobs.estimated[None, :]
    estimated &= ~jobs.home_based[None, :]
    estimated &= ~np.isnan(distance)
    return estimated if estimated.any() else None


def evaluate_block(
    residents: ResidentIndex, jobs: JobIndex, context: PairContext, *, today: date
) -> PairBlock:
    """Score every pair of the block and mark the pairs a hard rule excludes."""
    config = residents.config
    shape = (len(residents), len(jobs))
    distance = pair_distances(residents, jobs)
    estimated = estimated_distances(residents, jobs, distance)
    reasons = exclusion_masks(residents, jobs, distance=distance, estimated=estimated,
                              county_map=context.county_map, today=today)
    components = {
        Component.SKILLS: skill_fit(residents, jobs),
        Component.OCCUPATION: occupation_fit(residents, jobs, context.occupation_table),
        Component.WAGE: wage_fit(residents.min_wage, jobs.monthly_wage, config),
        Component.COMMUTE: commute_fit(distance, config, estimated),
        Component.HOURS: hours_fit(residents, jobs, context.hours_table),
        Component.PRIORITY: residents.priority[:, None],
    }
    rule_score = combine(components, config)
    score, hire, retention = rule_score, None, None
    if context.model is not None:
        hire, retention = block_probabilities(context.model, components, rule_score, distance, residents, jobs)
        score = context.model.combine(rule_score, hire, retention)
    return PairBlock(
        residents=residents,
        jobs=jobs,
        components=components,
        score=score,
        excluded=any_excluded(reasons, shape),
        distance=distance,
        estimated=estimated,
        reasons=reasons,
        rule_score=rule_score,
        hire=hire,
        retention=retention,
    )
