"""Fixtures of the Django tests: named users per role, stations and rooms, an API client."""

from __future__ import annotations

import os
import uuid

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from config.roles import Role
from stations.models import Deputy, StaffMembership

from . import factories as f

__all__ = [
    "_coder_fitted_once", "_eager_celery", "_fast_password_hasher", "_long_tasks_after_response", "_versions_of_their_own", "admin_user", "api", "bureau_user", "deputy_user", "liaison_user",
    "other_liaison_user", "other_station", "resident", "resident_user", "room1", "room2", "station",
]


def cache_clear_own(pattern: str = "*") -> None:
    """Empty this process's part of the cache (the keys matching `pattern`). On Redis only the keys under this
    process's prefix go: a flush would also wipe the throttle counts of tests running in parallel processes."""
    from django.core.cache import cache

    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        cache.clear()
        return
    redis = client(None, write=True)
    keys = list(redis.scan_iter(match=f"{cache.make_key('')}{pattern}"))
    if keys:
        redis.delete(*keys)


@pytest.fixture(scope="session", autouse=True)
def _coder_fitted_once(tmp_path_factory, django_db_setup, django_db_blocker):
    """The title coder fitted once for the whole run and saved where every test process loads it (its tag is a
    digest of what it learns from, so a test that adds a correction still gets a coder fitted with it). The
    first xdist worker fits it under a file lock; the others wait and load the file."""
    import fcntl

    from django.conf import settings

    from taxonomy.coding import fit_occupation_coder, save_occupation_coder

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # common to this run's workers
    path = shared / "occupation_coder.npz"
    with (shared / "occupation_coder.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            with django_db_blocker.unblock():
                save_occupation_coder(fit_occupation_coder(), path)
        fcntl.flock(lock, fcntl.LOCK_UN)
    settings.OCCUPATION_CODER_PATH = path
    os.environ["OCCUPATION_CODER_PATH"] = str(path)  # and the workers and servers the tests start
    return path


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test asks for the real broker (`celery_worker_queue`)."""
    from celery._state import _set_task_join_will_block

    from config.celery import app

    # Eager tasks run in several threads at once (the race tests) can leave Celery's process-wide
    # "inside a task" flag set, which would make a later test's `result.get()` refuse to wait.
    _set_task_join_will_block(False)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _versions_of_their_own(request):
    """Every test that uses the database starts a new epoch of the domain versions. A test's writes roll back
    with it, versions and all, so the next test would count the same versions over other data and could read
    what the last one cached (the shared cache is Redis in CI, across tests and workers). A flushed table
    (transactional tests) gets new epochs by itself."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if transactional or "transactional_db" in request.fixturenames:
        # A serialized rollback brings the version rows back with their old epoch: a new one here, so that
        # what this process cached in an earlier transactional test is not taken for this test's data.
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        yield
        return
    from freshness.models import DomainVersion

    DomainVersion.objects.update(epoch=uuid.uuid4())
    yield


@pytest.fixture(autouse=True)
def _long_tasks_after_response(settings):
    """An import a page starts runs after the response, in the test's own transaction; tests of the background
    thread (which needs committed data) turn `EAGER_LONG_TASKS_IN_THREAD` on."""
    settings.EAGER_LONG_TASKS_IN_THREAD = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def station(db):
    return f.StationFactory(name="平溪街道人大代表联络站")


@pytest.fixture
def room1(station):
    return f.RoomFactory(station=station, name="第一联络室", places=[f.place(f.HUANGCHA_SITE), f.place(f.ANPING)])


@pytest.fixture
def room2(station):
    return f.RoomFactory(station=station, name="第二联络室", places=[f.place(f.KANGHUA_SITE), f.place(f.QILITANG)])


@pytest.fixture
def other_station(db):
    """A station of another town (皂角坪街道) with its own room and place."""
    other = f.StationFactory(name="皂角坪街道人大代表联络站", place=f.place("520622001000"))
    f.RoomFactory(station=other, name="皂角坪第一联络室", places=[f.place("520622001001")])
    return other


@pytest.fixture
def bureau_user(db):
    return f.UserFactory(username="clerk", role=Role.BUREAU)


@pytest.fixture
def liaison_user(station, room1, room2):
    return f.liaison_user_for(station, room1, username="liaison1")


@pytest.fixture
def other_liaison_user(other_station):
    return f.liaison_user_for(other_station, other_station.rooms.first(), username="liaison-other")


@pytest.fixture
def deputy_user(station, room1):
    user = f.UserFactory(username="deputy1", role=Role.DEPUTY)
    StaffMembership.objects.create(user=user, station=station, room=room1, role=StaffMembership.Role.DEPUTY)
    Deputy.objects.create(name="杨代表", level=Deputy.Level.COUNTY, station=station, room=room1, user=user)
    return user


@pytest.fixture
def admin_user(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", "root@example.com", "pass-word-123")


@pytest.fixture
def resident(room1):
    """A resident at 黄岔安置点 (room 1) with a login."""
    user = f.UserFactory(username="resident1", role=Role.RESIDENT)
    return f.ResidentFactory(name="王小芳", user=user)


@pytest.fixture
def resident_user(resident):
    return resident.user


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates it with a token of that user (one per user and client)."""

    class Client(APIClient):
        keys: dict

        def as_user(self, user):
            keys = self.__dict__.setdefault("keys", {})
            if user.pk not in keys:
                _instance, keys[user.pk] = AuthToken.objects.create(user=user)
            self.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.pk]}")
            return self

    return Client()
