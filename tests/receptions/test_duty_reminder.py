"""The rota on the start pages: "you are on duty on the next market day (date, place)" for whoever is on the rota,
and who is on duty otherwise; nothing for those outside a station."""

from __future__ import annotations

import pytest
from django.test import Client

from receptions import services as s
from receptions.selectors import duty_reminder

pytestmark = pytest.mark.django_db


def _page(user, path: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_liaison_on_duty_is_told_the_day_and_the_place(liaison_user, station, market_day):
    station.address = "平溪街道黄岔安置点综合楼"
    station.save(update_fields=["address"])
    s.duty_shift_add(station=station, day=market_day, staff=liaison_user)
    html = _page(liaison_user, "/liaison/")
    assert 'data-testid="duty-mine"' in html
    assert f"{market_day.month}月{market_day.day}日" in html
    assert station.name in html
    assert "平溪街道黄岔安置点综合楼" in html


def test_otherwise_the_start_page_says_who_is_on_duty(liaison_user, deputy, station, market_day,
                                                      second_market_day):
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    s.duty_shift_add(station=station, day=second_market_day, staff=liaison_user)
    html = _page(liaison_user, "/liaison/")
    assert 'data-testid="duty-mine"' not in html
    assert 'data-testid="duty-person">杨代表<' in html
    assert 'data-testid="duty-my-next">' in html
    assert f"{second_market_day.month}月{second_market_day.day}日" in html


def test_the_deputy_on_duty_is_told_on_the_dashboard(deputy_user, deputy, station, market_day):
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    assert 'data-testid="duty-mine"' in _page(deputy_user, "/dashboard/")


def test_nobody_on_the_rota_yet_is_said(liaison_user, station):
    html = _page(liaison_user, "/liaison/")
    assert 'data-testid="duty-others"' in html
    assert 'data-testid="duty-person"' not in html


def test_a_bureau_clerk_without_a_station_gets_no_reminder(bureau_user, station, deputy, market_day):
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    assert 'data-testid="duty-reminder"' not in _page(bureau_user, "/bureau/postings/")
    assert duty_reminder(bureau_user, today=market_day) is None


def test_the_reminder_reads_the_rota(liaison_user, deputy_user, deputy, station, market_day, second_market_day):
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    mine = duty_reminder(deputy_user, today=market_day)
    assert mine.mine
    assert mine.day.market_day.date == market_day  # a market day today is the next one
    other = duty_reminder(liaison_user, today=market_day)
    assert not other.mine
    assert other.on_duty == ["杨代表"]
    assert other.my_next is None
    later = duty_reminder(deputy_user, today=second_market_day)
    assert later.day.market_day.date == second_market_day
    assert not later.mine
