"""The active ranking model, kept per process for the model version it was read at."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from freshness.models import Domain
from freshness.selectors import Stamp, may_cache, versions_get

from ..engine import EmployerRecord, LearnedModel, LinearModel
from ..models import MatchModel


@dataclass(frozen=True)
class ActiveModel:
    """The engine's model with what explanations word it by: the station's base rates."""

    version: int
    model: LearnedModel
    hire_base_rate: float
    retention_base_rate: float | None


def learned_model_of(row: MatchModel) -> LearnedModel:
    """The engine's model from a stored version's parameters (plain JSON numbers)."""
    parameters = row.parameters
    weights = parameters["weights"]
    return LearnedModel(
        hire=LinearModel.from_dict(parameters["hire"]),
        retention=LinearModel.from_dict(parameters["retention"]) if parameters.get("retention") else None,
        employers=EmployerRecord.from_dict(parameters["employers"]),
        weight_rule=weights["rule"], weight_hire=weights["hire"], weight_retention=weights["retention"],
        version=row.pk,
    )


class _ActiveModelCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._value: tuple[Stamp, ActiveModel | None] | None = None

    def get(self) -> ActiveModel | None:
        stamp = versions_get()[Domain.MODEL]
        with self._lock:
            if self._value is not None and self._value[0] == stamp:
                return self._value[1]
        row = MatchModel.objects.filter(status=MatchModel.Status.ACTIVE).first()
        active = None
        if row is not None and row.parameters:
            rates = row.parameters.get("base_rates", {})
            active = ActiveModel(row.pk, learned_model_of(row), rates.get("hire") or 0.0, rates.get("retention"))
        if may_cache():
            with self._lock:
                self._value = (stamp, active)
        return active

    def clear(self) -> None:
        with self._lock:
            self._value = None


active_model_cache = _ActiveModelCache()


def active_model() -> ActiveModel | None:
    """The active version (None: the rules rank alone)."""
    return active_model_cache.get()
