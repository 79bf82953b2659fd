"""The station's reception and request figures: counted by station and room, opened into their records, in the
API, the workbook and the report sentence, and fresh after every write (RECEPTIONS domain)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from receptions import services as s
from stations.report import record_table, report_sentence, report_workbook
from stations.statistics import Figure, Period, Scope, figure_records, statistics_for
from tests import factories as f
from training.market_days import market_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(station, room1, room2, liaison_user, deputy, resident):
    """Two past market days: three people received (two of room 1, one of room 2), the deputy on duty both days
    and on one day without receptions; four requests in every state, an opinion and a suggestion."""
    today = timezone.localdate()
    past = [m.date for m in market_days(today - dt.timedelta(days=40), today - dt.timedelta(days=1))]
    first, second, idle = past[-3], past[-2], past[-1]
    neighbour = f.ResidentFactory(name="李大山", household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE)))
    for day in (first, second, idle):
        s.duty_shift_add(station=station, day=day, deputy=deputy)
    at = lambda day, hour=10: timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))  # noqa: E731
    s.reception_record(station=station, resident=resident, topic="job", received_by=liaison_user, day=first,
                       now=at(first))
    s.reception_record(station=station, resident=resident, topic="other", note="孩子转学", received_by=liaison_user,
                       day=second, now=at(second))
    s.reception_record(station=station, resident=neighbour, topic="training", received_by=liaison_user, day=second,
                       now=at(second))
    answered = s.request_submit(station=station, text="停水", channel="public", contact_name="赵",
                                phone="13912345678", now=at(first, 9))
    s.request_answer(request=answered, actor=liaison_user, reply="已修复", now=at(first, 19))  # 10 hours
    resolved = s.request_submit(station=station, text="路灯", channel="desk", contact_name="钱", now=at(first, 9))
    s.request_answer(request=resolved, actor=liaison_user, reply="已修", now=at(second, 9))  # 5 days = 120 hours
    s.request_resolve(request=resolved, actor=liaison_user, now=at(second, 12))
    opinion = s.request_submit(station=station, text="建议增设公交站", channel="desk", contact_name="孙",
                               kind="opinion", resident=neighbour, now=at(second))
    s.suggestion_raise(deputy=deputy, requests=[opinion, answered], title="关于增设公交站点的建议", body="建议",
                       actor=deputy.user, now=at(second, 15))
    return Period(today - dt.timedelta(days=60), today)


def test_the_station_counts_receptions_people_attendance_requests_and_suggestions(station, history):
    values = statistics_for(Scope.for_station(station), history).values
    assert values[Figure.RECEPTIONS] == 2
    assert values[Figure.PEOPLE_RECEIVED] == 3
    assert values[Figure.DEPUTY_ATTENDANCE] == 2  # not the idle day
    assert values[Figure.REQUESTS_RECEIVED] == 4  # three here and the one from the reception
    assert values[Figure.REQUESTS_ANSWERED] == 2
    assert values[Figure.REQUESTS_RESOLVED] == 1
    assert values[Figure.OPINIONS] == 1
    assert values[Figure.SUGGESTIONS] == 1
    assert values["median_hours_to_answer"] == 65  # median of 10 and 120


def test_rooms_count_their_residents(station, room1, room2, history):
    first = statistics_for(Scope.for_room(room1), history).values
    second = statistics_for(Scope.for_room(room2), history).values
    assert first[Figure.PEOPLE_RECEIVED] == 2
    assert second[Figure.PEOPLE_RECEIVED] == 1
    assert first[Figure.REQUESTS_RECEIVED] == 1  # the reception's request; anonymous ones belong to no room
    assert second[Figure.OPINIONS] == 1
    assert first[Figure.SUGGESTIONS] == 1  # the deputy's room


def test_figures_open_into_their_records(station, history):
    scope = Scope.for_station(station)
    head, rows = record_table(Figure.PEOPLE_RECEIVED, figure_records(Figure.PEOPLE_RECEIVED, scope, history))
    assert len(rows) == 3
    _head, days = record_table(Figure.RECEPTIONS, figure_records(Figure.RECEPTIONS, scope, history))
    assert sorted(row[2] for row in days) == [1, 2]
    _head, requests = record_table(Figure.REQUESTS_RECEIVED, figure_records(Figure.REQUESTS_RECEIVED, scope, history))
    assert "139****5678" in [row[3] for row in requests]
    assert "13912345678" not in str(requests)


def test_the_report_sentence_takes_the_station_s_form(station, history):
    sentence = report_sentence(statistics_for(Scope.for_station(station), history))
    assert "收集回复群众疑难问题2条" in sentence
    assert "开展接待和走访活动2次" in sentence
    assert "形成代表建议1件" in sentence


def test_the_workbook_has_a_sheet_per_new_figure(station, history):
    book = load_workbook(io.BytesIO(report_workbook(statistics_for(Scope.for_station(station), history))))
    assert "开展接待次数" in book.sheetnames
    assert book["接待群众人次"].max_row == 4  # head + 3


def test_the_api_and_the_dashboard_carry_them(api, deputy_user, station, history):
    query = f"period=range&start={history.start}&end={history.end}"
    body = api.as_user(deputy_user).get(f"/api/v1/statistics/?{query}").json()
    for key, value in {"receptions": 2, "people_received": 3, "requests_received": 4, "requests_answered": 2,
                       "requests_resolved": 1, "opinions": 1, "suggestions": 1}.items():
        assert body[key] == value, key
    records = api.as_user(deputy_user).get(f"/api/v1/statistics/records/?figure=people_received&{query}")
    assert records.json()["count"] == 3
    client = Client()
    client.force_login(deputy_user)
    page = client.get(f"/dashboard/figures/receptions/?period=custom&start={history.start}&end={history.end}")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="record"') == 2


def test_a_new_reception_is_counted_at_once_though_the_figures_are_cached(station, liaison_user, resident, history):
    scope = Scope.for_station(station)
    before = statistics_for(scope, history).values[Figure.PEOPLE_RECEIVED]
    s.reception_record(station=station, resident=resident, topic="training", received_by=liaison_user)
    assert statistics_for(scope, history).values[Figure.PEOPLE_RECEIVED] == before + 1
