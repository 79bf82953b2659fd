"""The notifications badge: new interests, follow-ups come due and imports finished since the staff member last
looked; opening the notifications clears it, for that user only, within their station's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.services import interest_express
from stations.notifications import notifications_for
from stations.services import notifications_mark_seen
from taxonomy.models import ImportJob
from tests import factories as f

pytestmark = pytest.mark.django_db


def _badge(client) -> str | None:
    html = client.get(reverse("web:liaison-postings")).content.decode()
    marker = 'data-testid="nav-badge">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else None


def _finished_import(user, *, at=None):
    return ImportJob.objects.create(kind=ImportJob.Kind.RESIDENTS, file_name="名单.xlsx", created_by=user,
                                    status=ImportJob.Status.FINISHED, finished_at=at or timezone.now())


def test_counts_appear_and_clear_when_looked_at(world, resident, liaison_user, clients):
    # Never looked: the follow-up due counts; then a resident's interest and an import finished.
    assert notifications_for(liaison_user).followups_due == 1
    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    _finished_import(liaison_user)
    counts = notifications_for(liaison_user)
    assert (counts.interests, counts.followups_due, counts.imports_finished) == (1, 1, 1)
    assert _badge(clients["liaison"]) == "3"
    page = clients["liaison"].get(reverse("web:notifications"))
    html = page.content.decode()
    assert resident.name in html
    assert world.posting.title in html
    assert "名单.xlsx" in html
    assert notifications_for(liaison_user).total == 0
    assert _badge(clients["liaison"]) is None


def test_only_what_comes_after_counts(world, resident, liaison_user):
    notifications_mark_seen(user=liaison_user, at=timezone.now() - dt.timedelta(hours=1))
    _finished_import(liaison_user, at=timezone.now() - dt.timedelta(hours=2))  # before: not new
    assert notifications_for(liaison_user).imports_finished == 0
    assert notifications_for(liaison_user).followups_due == 0  # came due days before the last look
    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    assert notifications_for(liaison_user).interests == 1  # the cached count moved with the version


def test_per_user_and_per_station(world, resident, liaison_user, other_liaison_user, bureau_user, station, clients):
    colleague = f.liaison_user_for(station, station.rooms.first(), username="liaison-colleague")
    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    _finished_import(liaison_user)
    clients["liaison"].get(reverse("web:notifications"))
    assert notifications_for(liaison_user).total == 0
    # A colleague of the same station still has the interest and the follow-up, not the other's import.
    assert notifications_for(colleague).interests == 1
    assert notifications_for(colleague).followups_due == 1
    assert notifications_for(colleague).imports_finished == 0
    # Another station sees none of it; the bureau only its own imports.
    assert notifications_for(other_liaison_user).total == 0
    _finished_import(bureau_user)
    assert notifications_for(bureau_user).total == 1
    assert "名单.xlsx" in clients["bureau"].get(reverse("web:notifications")).content.decode()
    assert notifications_for(bureau_user).total == 0
    for who in ("resident", "deputy"):
        assert clients[who].get(reverse("web:notifications")).status_code == 403
    assert clients["anonymous"].get(reverse("web:notifications")).status_code == 302


def test_a_worker_moved_to_another_station_counts_its_residents_at_once(world, resident, liaison_user,
                                                                       other_station):
    """The cached counts hold the places the worker sees in their key: no stale count after a move."""
    from django.db import connection

    from stations.models import StaffMembership

    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    # As after a commit: the test's transaction wrote versions, and nothing read inside it is ever cached.
    connection.lianxin_versions_written_in = None
    assert notifications_for(liaison_user).interests == 1  # now cached
    assert notifications_for(liaison_user).interests == 1  # and read from the cache
    StaffMembership.objects.filter(user=liaison_user).update(station=other_station,
                                                             room=other_station.rooms.first())
    assert notifications_for(liaison_user).interests == 0
    assert notifications_for(liaison_user).followups_due == 0


def test_a_cache_miss_reads_the_workers_places_once(world, resident, liaison_user):
    """The places the worker sees are read once, for the key and for the counts alike; a hit reads only them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.django_fixtures import cache_clear_own

    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    connection.lianxin_versions_written_in = None
    cache_clear_own()  # this process's keys only: a flush would wipe the other workers' throttle counts

    def membership_reads() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            assert notifications_for(liaison_user).interests == 1
        return sum("stations_staffmembership" in q["sql"] for q in queries.captured_queries), len(queries)

    missed, hit = membership_reads(), membership_reads()
    assert missed[0] == 1
    assert hit[0] == 1
    assert hit[1] < missed[1]  # the counts themselves came from the cache
