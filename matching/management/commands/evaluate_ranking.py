"""`manage.py evaluate_ranking --until DATE`: train on what was known on DATE, judge on what came after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from matching.learning.backtest import backtest


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until must be a date like 2026-06-01, not {value!r}.") from None


class Command(BaseCommand):
    help = ("Back-test the ranking: fit the models on the outcomes of recommendations made before --until (and "
            "known by then), score the recommendations made after it, and print AUC (hired vs not hired), hit@1 "
            "and hit@3 among each resident's recommended postings and the Brier score, for the rules alone and "
            "for the learned score, overall and by sex, age band and household type.")

    def add_arguments(self, parser):
        parser.add_argument("--until", type=_date, required=True, help="the cutoff day")
        parser.add_argument("--png", type=Path, default=None, help="also draw a calibration plot to this file")

    def handle(self, *args, **options):
        cutoff = options["until"]
        if cutoff >= timezone.localdate():
            raise CommandError("--until must be in the past: the recommendations after it are what is judged.")
        report = backtest(cutoff)
        out = self.stdout.write
        out(f"Trained on {report.trained_pairs} recommendations made before {cutoff} (outcomes known by then); "
            f"judged on {report.learned.pairs} made since ({report.learned.hires} hires), as known on "
            f"{report.judged_on}.")
        if not report.model_fitted:
            out("Too few outcomes before the cutoff to fit a model: the learned score is the rules' score.")
        out(f"{'':<24}{'pairs':>7}{'hires':>7}{'AUC':>8}{'hit@1':>8}{'hit@3':>8}{'Brier':>8}")
        self._row("overall, rules", report.rules)
        self._row("overall, learned", report.learned)
        for dimension, values in report.groups.items():
            for value, figures in values.items():
                self._row(f"{dimension} {value}, rules", figures["rules"])
                self._row(f"{dimension} {value}, learned", figures["learned"])
        out(f"AUC gain of the learned score: {report.auc_gain:+.3f}")
        if options["png"]:
            _calibration_png(report, options["png"])
            out(f"Calibration plot: {options['png']}")

    def _row(self, label: str, figures) -> None:
        def cell(value):
            return f"{'–':>8}" if value != value else f"{value:>8.3f}"

        self.stdout.write(f"{label:<24}{figures.pairs:>7}{figures.hires:>7}{cell(figures.auc)}"
                          f"{cell(figures.hit_at_1)}{cell(figures.hit_at_3)}{cell(figures.brier)}")


def _calibration_png(report, path: Path) -> None:
    from matplotlib.figure import Figure

    from stations.charts import chinese_font_family

    figure = Figure(figsize=(5, 5))
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1)
    for kind, colour in (("rules", "#4e79a7"), ("learned", "#e15759")):
        rows = report.calibration[kind]
        axes.plot([r[0] for r in rows], [r[1] for r in rows], marker="o", color=colour, label=kind)
    axes.set_xlabel("predicted probability of a hire", fontfamily=chinese_font_family())
    axes.set_ylabel("observed share hired")
    axes.set_title(f"Calibration, recommendations after {report.cutoff}")
    axes.legend()
    figure.savefig(path, dpi=110)
