"""Bumping domain versions: every service that changes what a cached read depends on calls this in its
own transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from django.db import connection, transaction

from .models import NO_RECORD, Change, Domain, DomainVersion
from .selectors import forget_request_versions, mark_versions_written

Changes = Mapping[str, Iterable[int] | None]

_batch = threading.local()


def _merge(into: dict[str, set[int] | None], changes: Changes) -> None:
    for domain, ids in changes.items():
        domain = str(Domain(domain))
        if ids is None or (domain in into and into[domain] is None):
            into[domain] = None
        else:
            into[domain] = into.get(domain, set()) | {int(i) for i in ids}


@contextmanager
def bumps_batched() -> Iterator[None]:
    """Inside the block (which must be inside one transaction), bumps only collect what changed; one bump
    per domain is made at the end. A spreadsheet import of thousands of rows is one version, not thousands."""
    if getattr(_batch, "changes", None) is not None:  # nested: the outer block bumps
        yield
        return
    _batch.changes = {}
    try:
        yield
        changes = _batch.changes
    finally:
        _batch.changes = None
    if changes:
        versions_bump(changes=changes)



@transaction.atomic
def versions_bump(*, changes: Changes) -> dict[str, int]:
    """Raise the version of each domain in `changes` by one and log what changed: the ids of the records
    whose rows an index must read again (an empty list: none), or None: anything may have changed.
    Returns the new versions.

    The counter rows stay locked until the caller's transaction ends, so versions follow commit order: a
    reader that sees version v sees every write of versions ≤ v. Domains are locked in sorted order, so two
    writers that bump several domains cannot deadlock on them.
    """
    batch = getattr(_batch, "changes", None)
    if batch is not None:
        _merge(batch, changes)
        mark_versions_written()  # nothing read meanwhile may be cached: the bump comes at the end
        return {}
    wanted: dict[str, set[int] | None] = {}
    _merge(wanted, changes)
    versions: dict[str, int] = {}
    log: list[Change] = []
    for domain in sorted(wanted):
        version = _increment(domain)
        if version is None:  # the first bump of a domain (or after a test flushed the table)
            DomainVersion.objects.bulk_create([DomainVersion(domain=domain)], ignore_conflicts=True)
            version = _increment(domain)
        versions[domain] = version
        ids = wanted[domain]
        object_ids = [None] if ids is None else (sorted(ids) or [NO_RECORD])
        log.extend(Change(domain=domain, version=version, object_id=object_id) for object_id in object_ids)
    Change.objects.bulk_create(log, batch_size=5000)
    forget_request_versions()
    mark_versions_written()
    return versions


def _increment(domain: str) -> int | None:
    """One statement: add one to the domain's counter (locking its row) and read the new value back."""
    table = connection.ops.quote_name(DomainVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET version = version + 1 WHERE domain = %s RETURNING version",  # noqa: S608
                       [domain])
        row = cursor.fetchone()
    return row[0] if row else None


def version_bump(domain: str, *ids: int) -> int | None:
    """Shorthand for one domain: `version_bump(Domain.POSTINGS, posting.pk)`; without ids, a change that
    touched no record an index holds. Returns the new version (None inside `bumps_batched`)."""
    return versions_bump(changes={domain: ids}).get(str(Domain(domain)))


@transaction.atomic
def changes_prune(*, keep_last: int = 20000) -> int:
    """Forget all but the last `keep_last` versions' change rows of each domain (a reader whose cache is
    older than that rebuilds it instead of patching). Returns the rows deleted."""
    deleted = 0
    for domain, version in DomainVersion.objects.values_list("domain", "version"):
        deleted += Change.objects.filter(domain=domain, version__lte=version - keep_last).delete()[0]
    return deleted
