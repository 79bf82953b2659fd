"""The demo's two years of receptions and requests: written through the services, in the station report's numbers,
and the same for the same seed."""

from __future__ import annotations

import datetime as dt

import pytest

from receptions.demo import create_receptions, reset
from receptions.models import DutyShift, Reception, Request, RequestEvent, Suggestion
from stations.statistics import Figure, Period, Scope, statistics_for
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # two runs of a fifth of the demo: about 8 s
TODAY = dt.date(2026, 12, 7)
# A fifth of the default demo's activity (its residents' share): the calendar's market days stay, fewer people
# come to each and fewer requests arrive; the report's numbers scale with it, the suggestions stay five a year.
SCALE = 0.2


@pytest.fixture
def people(station, room1, room2, liaison_user, deputy):
    for index in range(30):
        f.ResidentFactory(household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE if index % 2 else f.HUANGCHA_SITE)))


def _fingerprint():
    return (list(Reception.objects.order_by("day", "resident__name", "topic").values_list("day", "topic")),
            list(Request.objects.order_by("received_at", "text").values_list("received_at", "status", "category")))


def test_two_years_in_the_report_s_numbers_scaled_and_deterministic(station, people):
    made = create_receptions(station=station, today=TODAY, seed=3, scale=SCALE)
    year = statistics_for(Scope.for_station(station), Period(TODAY - dt.timedelta(days=364), TODAY)).values
    assert 50 <= year[Figure.RECEPTIONS] <= 70  # "开展接待和走访活动50余次": market days, whatever the scale
    assert year[Figure.REQUESTS_RESOLVED] >= 200 * SCALE  # "解决问题200多个"
    assert 35 * SCALE <= year[Figure.OPINIONS] <= 80 * SCALE  # "收集意见40余条"
    assert year[Figure.SUGGESTIONS] == 5  # "形成代表建议5件"
    assert year[Figure.DEPUTY_ATTENDANCE] >= year[Figure.RECEPTIONS]
    online = Request.objects.filter(channel__in=["public", "resident"], answered_at__date__gt=TODAY - dt.timedelta(days=365))
    assert online.count() >= 50 * SCALE  # "收集回复群众疑难问题50多条" (online)
    # Through the services: every request has its audit trail, and nothing answered lacks a reply.
    assert RequestEvent.objects.filter(action="received").count() == Request.objects.count()
    assert not Request.objects.filter(answered_at__isnull=False, reply="").exists()
    assert made.receptions == Reception.objects.count()
    first = _fingerprint()
    reset()
    assert [m.objects.exists() for m in (Reception, Request, Suggestion, DutyShift)] == [False] * 4
    create_receptions(station=station, today=TODAY, seed=3, scale=SCALE)
    assert _fingerprint() == first
