"""Fixtures of the receptions tests: a staff member and a deputy of the station, a market day, a posting."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stations.models import Deputy
from tests import factories as f
from tests.django_fixtures import cache_clear_own
from training.market_days import next_market_days


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles count in the cache: every test starts with none used."""
    cache_clear_own()
    yield
    cache_clear_own()


@pytest.fixture
def deputy(deputy_user) -> Deputy:
    return deputy_user.deputy


@pytest.fixture
def market_day():
    return next_market_days(timezone.localdate(), 1)[0].date


@pytest.fixture
def second_market_day():
    return next_market_days(timezone.localdate(), 2)[1].date


@pytest.fixture
def home_posting(db):
    employer = f.EmployerFactory(name="康华扶贫车间", place=f.place(f.KANGHUA_SITE), is_poverty_workshop=True)
    return f.PostingFactory(employer=employer, title="手工串珠", work_mode="home_based")
