"""Training, storing and activating versions of the ranking models.

`match_model_train` back-tests first — fits on what was known at a cutoff that leaves the last quarter of the
station's resolved recommendations out, and judges rules and learned score on that quarter — then fits the
version on everything known now and stores it with its training window, counts, features and figures. It
becomes active only if its back-test beats the rules by MIN_AUC_GAIN and the active version on the same pairs;
otherwise it is kept, with the reason, for staff to read. Staff can activate any stored version (roll back).
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
from django.db import transaction
from django.utils import timezone

from freshness.models import Domain
from freshness.services import version_bump

from ..engine import FEATURES
from ..models import MatchModel, Recommendation
from .backtest import backtest, model_figures
from .fit import enough_outcomes, train
from .selectors import learned_model_of

logger = logging.getLogger(__name__)

BACKTEST_SHARE = 0.25
MIN_AUC_GAIN = 0.01


def backtest_cutoff(until: dt.date) -> dt.date | None:
    """The day that leaves the last BACKTEST_SHARE of the resolved recommendations known on `until` for the test."""
    days = sorted(Recommendation.objects.filter(
        state__in=Recommendation.OUTCOME_STATES, recommended_on__lte=until).values_list("recommended_on", flat=True))
    if not days:
        return None
    return days[min(len(days) - 1, int(len(days) * (1 - BACKTEST_SHARE)))]


def match_model_train(*, until: dt.date | None = None, activate: bool = True, created_by=None) -> MatchModel:
    """Back-test, fit and store a new version on the outcomes known on `until` (today); activate it when it
    earns it (and `activate`). Below the cold-start minimums the version is stored without parameters and the
    rules keep ranking alone."""
    until = until or timezone.localdate()
    cutoff = backtest_cutoff(until)
    report = backtest(cutoff, judged_on=until) if cutoff is not None else None
    fitted = train(until)
    active = MatchModel.objects.filter(status=MatchModel.Status.ACTIVE).first()
    comparison = {}
    reasons = []
    if fitted is None:
        reasons.append("too few outcomes to learn from (the rules rank alone)")
    elif report is None or not report.model_fitted:
        reasons.append("too few outcomes before the back-test's cutoff to judge a model")
    else:
        gain = report.auc_gain
        if not np.isfinite(gain) or gain < MIN_AUC_GAIN:
            reasons.append(f"its back-test AUC gain over the rules is {gain:.3f}, below {MIN_AUC_GAIN}")
        if active is not None and active.parameters:
            from .backtest import Table
            from .dataset import recommendations_known

            test = Table.of(recommendations_known(made_from=cutoff, made_before=until + dt.timedelta(days=1),
                                                  known_by=until), today=until)
            active_figures = model_figures(learned_model_of(active), test)
            comparison = {"active_version": active.pk, "active_auc": active_figures.as_dict()["auc"]}
            if active_figures.auc > report.learned.auc:
                reasons.append(f"the active version v{active.pk} does better on the same pairs "
                               f"(AUC {active_figures.auc:.3f} against {report.learned.auc:.3f})")
    earned = not reasons
    version = MatchModel(
        status=MatchModel.Status.CANDIDATE,
        trained_from=Recommendation.objects.order_by("recommended_on").values_list("recommended_on", flat=True).first(),
        trained_until=until,
        counts=fitted.counts if fitted else _counts(until),
        features=list(FEATURES),
        parameters=_parameters(fitted) if fitted else {},
        backtest={**(report.as_dict() if report else {}), **comparison},
        decision=("activated: " if earned and activate else "not activated: ")
        + ("; ".join(reasons) if reasons else "it beats the rules and the active version in the back-test"),
        created_by=created_by,
    )
    with transaction.atomic():
        version.save()
        if earned and activate:
            version = match_model_activate(model=version)
    logger.info("ranking model v%s: %s", version.pk, version.decision)
    return version


def _counts(until: dt.date) -> dict:
    resolved = Recommendation.objects.filter(state__in=Recommendation.OUTCOME_STATES, recommended_on__lt=until)
    hired = resolved.filter(state=Recommendation.State.HIRED).count()
    total = resolved.count()
    return {"recommendations": total, "hires": hired,
            "enough": enough_outcomes(np.array([1] * hired + [0] * (total - hired)))}


def _parameters(fitted) -> dict:
    model = fitted.model
    return {
        "hire": model.hire.to_dict(),
        "retention": model.retention.to_dict() if model.retention is not None else None,
        "employers": model.employers.to_dict(),
        "weights": {"rule": model.weight_rule, "hire": model.weight_hire, "retention": model.weight_retention},
        "base_rates": {"hire": fitted.hire_base_rate, "retention": fitted.retention_base_rate},
        "strengths": fitted.strengths,
        "validation": fitted.validation,
    }


@transaction.atomic
def match_model_activate(*, model: MatchModel) -> MatchModel:
    """Make `model` the active version (the previous one retires); also how staff roll back."""
    model = MatchModel.objects.select_for_update().get(pk=model.pk)
    if not model.parameters:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"status": [_("This version has no fitted model (too few outcomes): it cannot be "
                                             "activated.")]})
    MatchModel.objects.filter(status=MatchModel.Status.ACTIVE).exclude(pk=model.pk).update(
        status=MatchModel.Status.RETIRED)
    model.status = MatchModel.Status.ACTIVE
    model.activated_at = timezone.now()
    model.save(update_fields=["status", "activated_at"])
    version_bump(Domain.MODEL, model.pk)
    return model


@transaction.atomic
def match_model_retire(*, model: MatchModel) -> MatchModel:
    """Stop using a version: with none active, the rules rank alone."""
    MatchModel.objects.filter(pk=model.pk).update(status=MatchModel.Status.RETIRED)
    version_bump(Domain.MODEL, model.pk)
    model.refresh_from_db()
    return model
