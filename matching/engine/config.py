"""Weights and tunable constants of the engine, as one frozen dataclass with sensible defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .contracts import JOB_WORK_TIMES, RESIDENT_WORK_TIMES, Component

# Scores that agree to this many decimals rank as ties (broken by meaning: see ranking.py). Ranking
# on a rounded key keeps the vectorised engine and the per-pair reference in the same order even
# where the two sum the same terms in a different order (last-bit differences).
RANK_DECIMALS = 9
RANK_SCALE = 10.0**RANK_DECIMALS

DEFAULT_WORK_TIME_FIT: tuple[tuple[str, str, float], ...] = (
    # (resident preference, posting work time, fit)
    ("any", "full", 1.0),
    ("any", "part", 1.0),
    ("any", "flexible", 1.0),
    ("full", "full", 1.0),
    ("full", "flexible", 0.7),
    ("full", "part", 0.4),
    ("part", "part", 1.0),
    ("part", "flexible", 1.0),
    ("part", "full", 0.3),
)


@dataclass(frozen=True, kw_only=True)
class EngineConfig:
    """Everything a deployment may tune. The Django side builds one from settings.

    Component weights need not sum to 1: the score is Σ weight·value / Σ weight.
    """

    weight_skills: float = 0.35
    weight_occupation: float = 0.15
    weight_wage: float = 0.15
    weight_commute: float = 0.15
    weight_hours: float = 0.10
    weight_priority: float = 0.10

    # Value of a component that cannot be judged (posting without skills or occupation, no
    # wage on either side, no coordinates): neither a reward nor a penalty.
    neutral: float = 0.5

    # Skills: a skill of the same group earns this share of the credit the skill itself would.
    related_skill_credit: float = 0.5
    # Preferred skills add bonus × (mean preferred credit); the component is capped at 1.
    preferred_bonus: float = 0.2

    # Occupation codes (national classification 2022, "4-10-01-06"): same code scores 1.
    occupation_same_minor: float = 0.7
    occupation_same_middle: float = 0.4
    occupation_same_major: float = 0.15

    # Wages: conversion to a monthly estimate.
    working_days_per_month: float = 22.0
    default_hours_per_day: float = 8.0
    # A piece-rate posting's wage_min/max are per piece. Its monthly estimate is the posting's own
    # piece_monthly_estimate when given; else, when this is a number, the rate × this many pieces a
    # month; else unknown (the wage component is neutral).
    pieces_per_month: float | None = None
    # Below the resident's minimum the fit is exp(-shortfall_share / scale).
    wage_shortfall_scale: float = 0.25

    # Commute: fit exp(-distance_km / scale); home-based work fits 1.
    commute_scale_km: float = 10.0
    # A distance from estimated coordinates (a village placed near its town) counts this share of a
    # surveyed one: its fit is pulled toward neutral, neutral + share × (fit − neutral).
    estimated_distance_share: float = 0.5
    # …and rules a resident out only when it exceeds their limit by more than this margin.
    estimated_distance_margin_km: float = 3.0

    # Hours: work-time preference table times a care-duties factor.
    work_time_fit: tuple[tuple[str, str, float], ...] = DEFAULT_WORK_TIME_FIT
    care_fit_home_based: float = 1.0
    care_fit_part_time: float = 0.8  # on-site part-time or flexible
    care_fit_full_time: float = 0.3  # on-site full-time

    # Policy priority (max of what applies; otherwise 0).
    priority_zero_employment: float = 1.0
    priority_monitored: float = 0.7
    priority_lifted: float = 0.6

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.startswith("weight_") and value < 0:
                raise ValueError(f"{f.name} must be ≥ 0")
        if self.total_weight <= 0:
            raise ValueError("at least one component weight must be > 0")
        unit_interval = (
            "neutral",
            "related_skill_credit",
            "preferred_bonus",
            "occupation_same_minor",
            "occupation_same_middle",
            "occupation_same_major",
            "care_fit_home_based",
            "care_fit_part_time",
            "care_fit_full_time",
            "priority_zero_employment",
            "priority_monitored",
            "priority_lifted",
            "estimated_distance_share",
        )
        for name in unit_interval:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        positive = (
            "working_days_per_month",
            "default_hours_per_day",
            "wage_shortfall_scale",
            "commute_scale_km",
        )
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0")
        if self.estimated_distance_margin_km < 0:
            raise ValueError("estimated_distance_margin_km must be ≥ 0")
        if self.pieces_per_month is not None and self.pieces_per_month <= 0:
            raise ValueError("pieces_per_month must be > 0 or None")
        table = {(r, j): fit for r, j, fit in self.work_time_fit}
        wanted = {(r, j) for r in RESIDENT_WORK_TIMES for j in JOB_WORK_TIMES}
        if set(table) != wanted or len(table) != len(self.work_time_fit):
            raise ValueError("work_time_fit must list every (resident, posting) work-time pair once")
        if not all(0.0 <= fit <= 1.0 for fit in table.values()):
            raise ValueError("work_time_fit values must be in [0, 1]")

    @classmethod
    def from_settings(cls, matching: Mapping[str, Any]) -> EngineConfig:
        """Build from a settings mapping such as Django's settings.MATCHING.

        "WEIGHTS" maps component names ("skills", "occupation", …) to weights; any other key
        naming a field in upper case (e.g. "COMMUTE_SCALE_KM") sets that field. Keys that are not
        engine fields (e.g. "DEFAULT_MAX_COMMUTE_KM", used when building profiles) are ignored;
        an unknown component name in "WEIGHTS" is an error.
        """
        names = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for component, weight in (matching.get("WEIGHTS") or {}).items():
            name = f"weight_{Component(component).value}"
            values[name] = float(weight)
        for key, value in matching.items():
            name = key.lower()
            if key != "WEIGHTS" and name in names and not name.startswith("weight_"):
                values[name] = tuple(tuple(row) for row in value) if name == "work_time_fit" else value
        return cls(**values)

    @property
    def weights(self) -> dict[Component, float]:
        return {
            Component.SKILLS: self.weight_skills,
            Component.OCCUPATION: self.weight_occupation,
            Component.WAGE: self.weight_wage,
            Component.COMMUTE: self.weight_commute,
            Component.HOURS: self.weight_hours,
            Component.PRIORITY: self.weight_priority,
        }

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values())

    def work_time_fit_of(self, resident_work_time: str, job_work_time: str) -> float:
        for r, j, fit in self.work_time_fit:
            if r == resident_work_time and j == job_work_time:
                return fit
        raise KeyError((resident_work_time, job_work_time))


DEFAULT_CONFIG = EngineConfig()
