"""Market days (赶集日) of Pingxi: Gregorian dates whose lunar day ends in 1 or 6."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from lunardate import LunarDate

MARKET_DAY_ENDINGS = (1, 6)


@dataclass(frozen=True)
class MarketDay:
    """A market day, with its lunar date for display (e.g. 十月十六)."""

    date: dt.date
    lunar_year: int
    lunar_month: int
    lunar_day: int
    leap_month: bool

    @property
    def lunar_label(self) -> str:
        months = "正二三四五六七八九十冬腊"
        month = ("闰" if self.leap_month else "") + months[self.lunar_month - 1] + "月"
        return month + lunar_day_label(self.lunar_day)


def lunar_day_label(day: int) -> str:
    digits = "一二三四五六七八九十"
    if day <= 10:
        return "初" + digits[day - 1]
    if day < 20:
        return "十" + digits[day - 11]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + digits[day - 21]
    return "三十"


def is_market_day(day: dt.date) -> bool:
    return LunarDate.from_solar_date(day.year, day.month, day.day).day % 10 in MARKET_DAY_ENDINGS


def market_days(start: dt.date, end: dt.date) -> Iterator[MarketDay]:
    """Every market day from start to end inclusive."""
    day = start
    while day <= end:
        lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
        if lunar.day % 10 in MARKET_DAY_ENDINGS:
            yield MarketDay(day, lunar.year, lunar.month, lunar.day, bool(lunar.is_leap_month))
        day += dt.timedelta(days=1)


def next_market_days(after: dt.date, count: int = 6) -> list[MarketDay]:
    """The next `count` market days on or after a date."""
    result: list[MarketDay] = []
    start = after
    while len(result) < count:
        end = start + dt.timedelta(days=31)
        result.extend(market_days(start, end))
        start = end + dt.timedelta(days=1)
    return result[:count]
