"""Learning from outcomes: it recovers a planted effect, keeps the rules below the minimum, cannot see what came
after its cutoff, never reads sex or ethnicity, and versions activate only when their back-test earns it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from freshness.models import Domain
from freshness.selectors import versions_get
from matching.learning.backtest import backtest
from matching.learning.fit import train
from matching.learning.selectors import active_model
from matching.learning.services import match_model_activate, match_model_train
from matching.models import MatchModel, Placement, Recommendation
from matching.selectors import matches_for_resident
from residents.models import Resident

from .history import START, plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db):
    return plant(seed=1)


def _parameters(fitted) -> list[float]:
    model = fitted.model
    values = [model.hire.intercept, *model.hire.coef, *model.hire.mean, *model.employers.rates,
              model.weight_rule, model.weight_hire, model.weight_retention]
    if model.retention is not None:
        values += [model.retention.intercept, *model.retention.coef]
    return values


def test_an_employer_that_never_hires_drops(history):
    fitted = train(history.today)
    assert fitted is not None
    rates = dict(zip(fitted.model.employers.ids.tolist(), fitted.model.employers.rates.tolist(), strict=True))
    others = [rate for employer, rate in rates.items() if employer != history.never_hires.pk]
    assert rates[history.never_hires.pk] < 0.05 < min(others)
    version = match_model_train(until=history.today)
    assert version.status == MatchModel.Status.ACTIVE, version.decision
    person = history.residents[0]
    ranked = matches_for_resident(person, limit=30)
    never = [i for i, m in enumerate(ranked) if m["posting"]["employer"] == history.never_hires.name]
    rest = [i for i, m in enumerate(ranked) if m["posting"]["employer"] != history.never_hires.name]
    assert never
    assert max(rest[: len(rest) // 2]) < min(never)  # the never-hiring employer's postings sink
    assert all(m["hire_probability"] is not None for m in ranked)


def test_the_learned_score_separates_later_hires_better_than_the_rules(history):
    cutoff = START + dt.timedelta(days=480)
    report = backtest(cutoff, judged_on=history.today)
    assert report.model_fitted
    assert report.learned.pairs > 50
    assert report.learned.auc > report.rules.auc + 0.05
    assert report.learned.hit_at_3 >= report.rules.hit_at_3
    assert report.learned.brier < report.rules.brier + 0.01
    assert set(report.groups) == {"sex", "age band", "household"}


def test_below_the_minimum_the_rules_rank_alone(db):
    history = plant(seed=2, residents=15, per_resident=4)
    assert history.recommendations < 200
    assert train(history.today) is None
    version = match_model_train(until=history.today)
    assert version.status == MatchModel.Status.CANDIDATE
    assert "too few outcomes" in version.decision
    assert active_model() is None
    match = matches_for_resident(history.residents[0], limit=5)[0]
    assert match["hire_probability"] is None
    assert match["score"] == match["rule_score"]


def test_nothing_after_the_cutoff_reaches_training(history):
    """Flip every outcome decided after the cutoff and every hire's later leaving: the fit is the same."""
    cutoff = START + dt.timedelta(days=400)
    before = _parameters(train(cutoff))
    later = Recommendation.objects.filter(decided_on__gt=cutoff)
    assert later.exists()
    for recommendation in later:
        flipped = (Recommendation.State.REJECTED if recommendation.state == Recommendation.State.HIRED
                   else Recommendation.State.HIRED)
        Recommendation.objects.filter(pk=recommendation.pk).update(state=flipped)
    Placement.objects.filter(ended_on__gt=cutoff).update(ended_on=None, status=Placement.Status.ACTIVE)
    Placement.objects.filter(start_date__gt=cutoff).delete()
    after = _parameters(train(cutoff))
    assert np.allclose(before, after)


def test_sex_and_ethnicity_change_nothing(history):
    before = _parameters(train(history.today))
    Resident.objects.update(sex="F", ethnicity="侗族")
    after = _parameters(train(history.today))
    assert np.allclose(before, after)


def test_a_version_activates_only_when_its_back_test_earns_it_and_staff_can_roll_back(history):
    first = match_model_train(until=history.today)
    assert first.status == MatchModel.Status.ACTIVE, first.decision
    assert first.backtest["learned"]["auc"] > first.backtest["rules"]["auc"]
    assert {"recommendations", "hires"} <= set(first.counts)
    assert first.parameters["hire"]["coef"]
    model_version = versions_get()[Domain.MODEL]
    second = match_model_train(until=history.today)
    # The same data: the new version does no better than the active one on the same pairs, so it waits…
    assert second.status in (MatchModel.Status.ACTIVE, MatchModel.Status.CANDIDATE)
    # …and staff can always go back to the first.
    match_model_activate(model=first)
    first.refresh_from_db()
    assert first.status == MatchModel.Status.ACTIVE
    assert MatchModel.objects.filter(status=MatchModel.Status.ACTIVE).count() == 1
    assert versions_get()[Domain.MODEL].version > model_version.version
    assert active_model().version == first.pk
