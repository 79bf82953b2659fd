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


def test_a_never_hiring_employer_sinks_once_a_version_earns_activation(history, tmp_path):
    """The command trains and back-tests a version; it activates because it beats the rules; rankings then
    push the employer that hires nobody down; staff can roll back to an earlier version; the back-test command
    prints every figure and draws its calibration plot."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("train_match_model", stdout=out)
    assert "auc" in out.getvalue()
    first = MatchModel.objects.get()
    assert first.status == MatchModel.Status.ACTIVE, first.decision
    assert first.backtest["learned"]["auc"] > first.backtest["rules"]["auc"]
    assert {"recommendations", "hires"} <= set(first.counts)
    rates = dict(zip(first.parameters["employers"]["ids"], first.parameters["employers"]["rates"], strict=True))
    assert rates[history.never_hires.pk] < 0.05 < min(r for e, r in rates.items() if e != history.never_hires.pk)

    ranked = matches_for_resident(history.residents[0], limit=30)
    never = [i for i, m in enumerate(ranked) if m["posting"]["employer"] == history.never_hires.name]
    rest = [i for i, m in enumerate(ranked) if m["posting"]["employer"] != history.never_hires.name]
    assert never
    assert max(rest[: len(rest) // 2]) < min(never)
    assert all(m["hire_probability"] is not None for m in ranked)

    model_version = versions_get()[Domain.MODEL]
    second = match_model_train(until=history.today)
    assert second.pk != first.pk
    match_model_activate(model=first)  # roll back (or stay) to the first
    first.refresh_from_db()
    assert first.status == MatchModel.Status.ACTIVE
    assert MatchModel.objects.filter(status=MatchModel.Status.ACTIVE).count() == 1
    assert versions_get()[Domain.MODEL].version > model_version.version
    assert active_model().version == first.pk

    out = StringIO()
    png = tmp_path / "calibration.png"
    call_command("evaluate_ranking", "--until", (START + dt.timedelta(days=480)).isoformat(), "--png", str(png),
                 stdout=out)
    printed = out.getvalue()
    for row in ("overall, rules", "overall, learned", "sex ", "age band ", "household "):
        assert row in printed
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_back_test_beats_the_rules_and_training_sees_neither_the_future_nor_sex(history):
    cutoff = START + dt.timedelta(days=480)
    report = backtest(cutoff, judged_on=history.today)
    assert report.model_fitted
    assert report.learned.pairs > 50
    assert report.learned.auc > report.rules.auc + 0.05
    assert report.learned.hit_at_3 >= report.rules.hit_at_3
    assert report.learned.brier < report.rules.brier + 0.01
    assert set(report.groups) == {"sex", "age band", "household"}

    # Flip every outcome decided after an earlier cutoff, and every later leaving: the fit is the same.
    early = START + dt.timedelta(days=400)
    before = _parameters(train(early))
    later = Recommendation.objects.filter(decided_on__gt=early)
    assert later.exists()
    for recommendation in later:
        flipped = (Recommendation.State.REJECTED if recommendation.state == Recommendation.State.HIRED
                   else Recommendation.State.HIRED)
        Recommendation.objects.filter(pk=recommendation.pk).update(state=flipped)
    Placement.objects.filter(ended_on__gt=early).update(ended_on=None, status=Placement.Status.ACTIVE)
    Placement.objects.filter(start_date__gt=early).delete()
    assert np.allclose(before, _parameters(train(early)))

    # Sex and ethnicity are read by nothing that is fitted.
    Resident.objects.update(sex="F", ethnicity="侗族")
    assert np.allclose(before, _parameters(train(early)))


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
