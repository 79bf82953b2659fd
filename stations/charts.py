"""PNG charts of a scope's monthly trend, for the report and the dashboard (Chinese labels).

matplotlib is imported by the first chart drawn, not when this module is: a web worker that never draws
one does not hold it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from freshness.cache import shared_cached

from .statistics import (
    STATISTICS_DOMAINS,
    Figure,
    Period,
    Scope,
    figure_records,
    scope_key,
    zero_employment_households,
)

# matplotlib's settings are global to the process: one chart is drawn at a time.
_drawing = threading.Lock()


@lru_cache(maxsize=1)
def chinese_font_family() -> str:
    """Register the Noto Sans CJK file shipped by the manimgx-fonts-cjk package; fall back to sans-serif."""
    from matplotlib import font_manager

    try:
        import manimgx_fonts_cjk
    except ImportError:  # pragma: no cover - the dependency is declared
        return "sans-serif"
    for path in Path(manimgx_fonts_cjk.__file__).parent.glob("*.tt[cf]"):
        font_manager.fontManager.addfont(str(path))
    # The shipped variable font registers one weight; matplotlib says so on every lookup.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    names = {f.name for f in font_manager.fontManager.ttflist}
    return "Noto Sans CJK SC" if "Noto Sans CJK SC" in names else "sans-serif"


@dataclass(frozen=True)
class MonthlyTrend:
    months: list[str]
    placements: list[int]
    residents_recommended: list[int]
    sessions_held: list[int]
    zero_employment_households: list[int]


def month_labels(months: list[str]) -> list[str]:
    """Axis labels as people read months: 2026年 under the first month and each January, then 2月, 3月 …"""
    labels = []
    for index, month in enumerate(months):
        year, number = month.split("-")
        label = f"{int(number)}月"
        labels.append(f"{label}\n{year}年" if index == 0 or number == "01" else label)
    return labels


def last_months(end: dt.date, count: int) -> list[Period]:
    periods = []
    year, month = end.year, end.month
    for _index in range(count):
        periods.append(Period.month(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(periods))


def monthly_trend(scope: Scope, end: dt.date, months: int = 12) -> MonthlyTrend:
    periods = last_months(end, months)
    return MonthlyTrend(
        months=[f"{p.start:%Y-%m}" for p in periods],
        placements=[figure_records(Figure.PLACEMENTS, scope, p).count() for p in periods],
        residents_recommended=[figure_records(Figure.RESIDENTS_RECOMMENDED, scope, p).count() for p in periods],
        sessions_held=[figure_records(Figure.SESSIONS_HELD, scope, p).count() for p in periods],
        zero_employment_households=[zero_employment_households(scope, min(p.end, end)).count() for p in periods],
    )


def trend_for(scope: Scope, end: dt.date) -> MonthlyTrend:
    """The monthly trend, kept in the shared cache until a version of the records moves."""
    return shared_cached("trend", domains=STATISTICS_DOMAINS, parts=(scope_key(scope), end),
                         build=lambda: monthly_trend(scope, end))


def _new_figure(width: float, height: float):
    """A figure outside pyplot (safe in threads), with a font that has Chinese glyphs."""
    from matplotlib.figure import Figure as MplFigure

    figure = MplFigure(figsize=(width, height))
    figure.set_layout_engine("tight")
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def with_chinese_font(function):
    """Draw inside an rc context whose font has Chinese glyphs (text takes its font when created)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        import matplotlib

        with _drawing, matplotlib.rc_context({"font.family": chinese_font_family()}):
            return function(*args, **kwargs)

    return wrapper


@with_chinese_font
def trend_chart(trend: MonthlyTrend, title: str) -> bytes:
    """Placements, residents recommended and sessions per month, as grouped bars."""
    from matplotlib.ticker import MaxNLocator

    figure = _new_figure(8, 3.6)
    axes = figure.subplots()
    positions = range(len(trend.months))
    width = 0.27
    series = [
        (trend.residents_recommended, _("residents recommended"), "#4e79a7"),
        (trend.placements, _("placements"), "#59a14f"),
        (trend.sessions_held, _("training sessions held"), "#f28e2b"),
    ]
    for offset, (values, label, colour) in zip((-width, 0, width), series, strict=True):
        axes.bar([p + offset for p in positions], values, width=width, label=label, color=colour)
    axes.set_xticks(list(positions), month_labels(trend.months), rotation=0, fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of people and sessions
    axes.set_title(title)
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


@with_chinese_font
def zero_employment_chart(trend: MonthlyTrend, title: str) -> bytes:
    """Zero-employment households at each month's end (the 动态清零 goal is zero)."""
    from matplotlib.ticker import MaxNLocator

    figure = _new_figure(8, 3)
    axes = figure.subplots()
    axes.plot(range(len(trend.months)), trend.zero_employment_households, marker="o", color="#e15759")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title)
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xticks(range(len(trend.months)), month_labels(trend.months))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
