"""Domain versions: bumped in the writer's transaction, read once per request, and the log of what changed."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from freshness.models import Change, Domain, DomainVersion
from freshness.selectors import (
    Stamp,
    changes_since,
    end_request_versions_scope,
    may_cache,
    request_versions_scope,
    versions_get,
    versions_key,
)
from freshness.services import bumps_batched, changes_prune, version_bump, versions_bump

pytestmark = pytest.mark.django_db


def stamp(domain: str) -> Stamp:
    return versions_get()[domain]


def test_a_bump_raises_the_version_and_logs_the_records():
    before = stamp(Domain.POSTINGS)
    versions_bump(changes={Domain.POSTINGS: [7, 3, 7], Domain.OUTCOMES: []})
    after = stamp(Domain.POSTINGS)
    assert after.version == before.version + 1
    assert after.epoch == before.epoch
    assert changes_since(Domain.POSTINGS, before, after) == {3, 7}
    # A change that touched no record an index holds still moves the version, with nothing to patch.
    outcomes = stamp(Domain.OUTCOMES)
    assert outcomes.version >= 1
    assert changes_since(Domain.OUTCOMES, Stamp(outcomes.version - 1, outcomes.epoch), outcomes) == frozenset()


def test_changes_of_anything_a_pruned_log_or_another_epoch_ask_for_a_rebuild():
    start = stamp(Domain.RESIDENTS)
    version_bump(Domain.RESIDENTS, 1)
    versions_bump(changes={Domain.RESIDENTS: None})
    assert changes_since(Domain.RESIDENTS, start, stamp(Domain.RESIDENTS)) is None
    middle = stamp(Domain.RESIDENTS)
    version_bump(Domain.RESIDENTS, 2)
    version_bump(Domain.RESIDENTS, 3)
    assert changes_since(Domain.RESIDENTS, middle, stamp(Domain.RESIDENTS)) == {2, 3}
    changes_prune(keep_last=1)
    assert changes_since(Domain.RESIDENTS, middle, stamp(Domain.RESIDENTS)) is None
    other_epoch = Stamp(middle.version, "another-epoch")
    assert changes_since(Domain.RESIDENTS, other_epoch, stamp(Domain.RESIDENTS)) is None
    assert changes_since(Domain.RESIDENTS, stamp(Domain.RESIDENTS), stamp(Domain.RESIDENTS)) == frozenset()


def test_a_flushed_table_starts_a_new_epoch():
    old = stamp(Domain.TRAINING)
    DomainVersion.objects.all().delete()
    new = stamp(Domain.TRAINING)
    assert new.epoch != old.epoch
    assert versions_key([Domain.TRAINING]) != f"training{old}"


def _bump_and_fail(record: int) -> None:
    with transaction.atomic():
        version_bump(Domain.POSTINGS, record)
        raise RuntimeError


def test_a_rolled_back_write_leaves_the_version_as_it_was():
    before = stamp(Domain.POSTINGS)
    with pytest.raises(RuntimeError):
        _bump_and_fail(1)
    assert stamp(Domain.POSTINGS) == before
    assert not Change.objects.filter(domain=Domain.POSTINGS, version=before.version + 1).exists()


def test_batched_bumps_are_one_version_with_every_record():
    before = stamp(Domain.POSTINGS)
    with transaction.atomic(), bumps_batched():
        for posting_id in (5, 6, 7):
            version_bump(Domain.POSTINGS, posting_id)
        versions_bump(changes={Domain.RESIDENTS: [9]})
    after = stamp(Domain.POSTINGS)
    assert after.version == before.version + 1
    assert changes_since(Domain.POSTINGS, before, after) == {5, 6, 7}


def test_versions_are_read_once_per_request_and_again_after_a_bump():
    tokens = request_versions_scope()
    try:
        with CaptureQueriesContext(connection) as queries:
            first = versions_get()
            versions_get()
            versions_key([Domain.POSTINGS, Domain.RESIDENTS])
        assert len(queries.captured_queries) == 1
        version_bump(Domain.POSTINGS, 1)
        assert versions_get()[Domain.POSTINGS].version == first[Domain.POSTINGS].version + 1
    finally:
        end_request_versions_scope(tokens)


def test_nothing_read_inside_an_uncommitted_writing_transaction_may_be_cached():
    assert may_cache()
    with transaction.atomic():
        version_bump(Domain.POSTINGS, 1)
        assert not may_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_or_rollback_caching_is_allowed_again():
    with transaction.atomic():
        version_bump(Domain.POSTINGS, 1)
        assert not may_cache()
    assert may_cache()
    with pytest.raises(RuntimeError):
        _bump_and_fail(2)
    assert may_cache()
