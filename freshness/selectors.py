"""Reading domain versions (once per request) and what changed between two of them."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction

from .models import NO_RECORD, Change, Domain, DomainVersion


@dataclass(frozen=True)
class Stamp:
    """A domain's version and the epoch of its counter (versions of two epochs are not comparable)."""

    version: int
    epoch: str

    def __str__(self) -> str:
        return f"{self.epoch[:8]}.{self.version}"


NEVER = Stamp(0, "")

# The versions read by the current request (None outside a request, or after a bump).
_request_versions: ContextVar[dict[str, Stamp] | None] = ContextVar("lianxin_request_versions", default=None)
_in_request: ContextVar[bool] = ContextVar("lianxin_in_request", default=False)


def _read() -> dict[str, Stamp]:
    rows = DomainVersion.objects.values_list("domain", "version", "epoch")
    stamps = {domain: Stamp(version, epoch.hex) for domain, version, epoch in rows}
    if len(stamps) < len(Domain.values):  # rows come with the migration; a flushed table gets new ones
        DomainVersion.objects.bulk_create([DomainVersion(domain=d) for d in Domain.values if d not in stamps],
                                          ignore_conflicts=True)
        stamps = {domain: Stamp(version, epoch.hex) for domain, version, epoch in rows.all()}
    return stamps


def versions_get() -> dict[str, Stamp]:
    """Every domain's current stamp, read once per request (a bump in the request reads them again)."""
    if not _in_request.get():
        return _read()
    stamps = _request_versions.get()
    if stamps is None:
        stamps = _read()
        _request_versions.set(stamps)
    return stamps


def versions_key(domains: Iterable[str]) -> str:
    """A cache-key fragment naming the current versions of `domains`."""
    stamps = versions_get()
    return "-".join(f"{d}{stamps[str(Domain(d))]}" for d in sorted(str(Domain(d)) for d in domains))


def forget_request_versions() -> None:
    _request_versions.set(None)


def request_versions_scope():
    """Mark the start of a request (the middleware); returns tokens for `end_request_versions_scope`."""
    return _in_request.set(True), _request_versions.set(None)


def end_request_versions_scope(tokens) -> None:
    in_request, versions = tokens
    _request_versions.reset(versions)
    _in_request.reset(in_request)


def changes_since(domain: str, since: Stamp, upto: Stamp) -> frozenset[int] | None:
    """The records of `domain` changed after version `since` up to `upto`, or None when only a rebuild will
    do: another epoch, a change of anything, or a log already pruned."""
    if since.epoch != upto.epoch or since.version > upto.version:
        return None
    if since.version == upto.version:
        return frozenset()
    rows = list(Change.objects.filter(domain=domain, version__gt=since.version, version__lte=upto.version)
                .values_list("version", "object_id"))
    if len({version for version, _ in rows}) != upto.version - since.version:
        return None  # pruned, or a version without its log
    ids = {object_id for _, object_id in rows}
    return None if None in ids else frozenset(ids - {NO_RECORD})


def mark_versions_written() -> None:
    """Note that this connection's open transaction has bumped versions (see `may_cache`)."""
    if connection.in_atomic_block:
        connection.lianxin_versions_written_in = connection.atomic_blocks[0]
        transaction.on_commit(_written_committed)


def _written_committed() -> None:
    connection.lianxin_versions_written_in = None


def may_cache() -> bool:
    """Whether what this connection reads now may be kept in a cache under the versions it reads.

    Not inside a transaction that bumped versions and has not committed: it reads its own writes under
    versions that a rollback would hand to someone else's writes. The mark belongs to the outermost
    atomic block that was open: once that block is gone (committed or rolled back), it no longer counts."""
    written_in = getattr(connection, "lianxin_versions_written_in", None)
    if written_in is None:
        return True
    if connection.in_atomic_block and connection.atomic_blocks and connection.atomic_blocks[0] is written_in:
        return False
    connection.lianxin_versions_written_in = None
    return True
