"""Shared fixtures: named users per role, API clients, and the service markers.

Tests marked `postgres` or `broker` skip when the service is not there, unless REQUIRE_SERVICES=1
(as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _broker_reachable() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def pytest_runtest_setup(item):
    checks = {
        "postgres": lambda: (settings.USING_POSTGRES, "needs PostgreSQL (set DATABASE_URL)"),
        "broker": lambda: (_broker_reachable(), "needs a Celery broker (set CELERY_BROKER_URL to Redis)"),
    }
    for marker, check in checks.items():
        if item.get_closest_marker(marker):
            available, why = check()
            if not available:
                if REQUIRE_SERVICES:
                    pytest.fail(f"REQUIRE_SERVICES=1 but this test {why}", pytrace=False)
                pytest.skip(why)


# The fixtures need configured Django; pure tests (tests/engine, tests/assignment, tests/taxonomy_pure)
# can also run without it: `pytest -p no:django tests/engine`.
if apps.ready:
    from .django_fixtures import *  # noqa: F403
