"""Market days from the lunar calendar, checked against known dates (no database)."""

import datetime as dt

from training.market_days import is_market_day, market_days, next_market_days


def test_february_2026_around_spring_festival():
    # Spring Festival 2026 (正月初一) fell on 17 February; 腊月初一 on 19 January 2026.
    days = [m.date.day for m in market_days(dt.date(2026, 2, 1), dt.date(2026, 2, 28))]
    assert days == [3, 8, 13, 17, 22, 27]
    spring = next(m for m in market_days(dt.date(2026, 2, 17), dt.date(2026, 2, 17)))
    assert (spring.lunar_month, spring.lunar_day, spring.lunar_label) == (1, 1, "正月初一")


def test_mid_autumn_2026_is_the_day_before_a_market_day():
    # Mid-Autumn Festival (八月十五) 2026 was on 25 September, so the 26th is 八月十六.
    assert not is_market_day(dt.date(2026, 9, 25))
    assert is_market_day(dt.date(2026, 9, 26))


def test_next_market_days_are_five_days_apart_within_a_lunar_month():
    days = next_market_days(dt.date(2026, 2, 17), count=6)
    assert [d.date for d in days] == [
        dt.date(2026, 2, 17), dt.date(2026, 2, 22), dt.date(2026, 2, 27),
        dt.date(2026, 3, 4), dt.date(2026, 3, 9), dt.date(2026, 3, 14),
    ]
    assert [d.lunar_label for d in days] == ["正月初一", "正月初六", "正月十一", "正月十六", "正月廿一", "正月廿六"]
