"""`manage.py train_match_model`: back-test, fit and store a new version of the ranking models."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from matching.learning.services import match_model_train


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until must be a date like 2026-06-01, not {value!r}.") from None


class Command(BaseCommand):
    help = ("Train a new version of the hiring and retention models on the station's outcomes, back-test it, "
            "store it, and activate it if its back-test beats the rules and the active version.")

    def add_arguments(self, parser):
        parser.add_argument("--until", type=_date, default=None, help="learn from what was known on this day "
                            "(default: today)")
        parser.add_argument("--no-activate", action="store_true", help="store the version but do not activate it")

    def handle(self, *args, **options):
        version = match_model_train(until=options["until"], activate=not options["no_activate"])
        out = self.stdout.write
        out(f"version v{version.pk}: {version.get_status_display()}")
        out(f"  trained on outcomes until {version.trained_until}: {version.counts}")
        test = version.backtest
        if test.get("rules"):
            out(f"  back-test from {test['cutoff']}: {test['learned']['pairs']} later recommendations, "
                f"{test['learned']['hires']} hires")
            for name in ("auc", "hit_at_1", "hit_at_3", "brier"):
                rules, learned = test["rules"][name], test["learned"][name]
                out(f"    {name:<9} rules {_f(rules)}   learned {_f(learned)}")
        out(f"  {version.decision}")


def _f(value) -> str:
    return "   –  " if value is None else f"{value:.3f}"
