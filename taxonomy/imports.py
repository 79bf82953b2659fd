"""Spreadsheet imports: an ImportJob's life (create, run, progress) and what every importer shares.

`import_job_create` checks the file (type, size, headers, row count) before anything is stored, so a
bad file is refused whole; the file is stored encrypted (it holds ID numbers and phones) and erased
when the import ends, finished or failed. `import_job_run` then imports it: one outer transaction,
holding the job row locked, with a savepoint per row, so a bad row is reported and skipped without
leaving half a change, while a crash imports nothing (and a run after the crash imports everything
exactly once). `import_jobs_recover` (a beat task) starts again the imports a dead worker left
behind, or fails them with a reason after a few attempts. What a row means is the business of a
`RowImporter` of the app that owns the rows (jobs, residents).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.stuck import running_grace_seconds, stuck_settings, unlocked
from config.tasks import coalesced, fire
from freshness.services import bumps_batched

from .models import ImportJob, Place
from .sealed import SealBroken, redact_identifiers, seal, unseal
from .spreadsheets import CellError, Column, Row, Sheet, SpreadsheetError, read_table

logger = logging.getLogger(__name__)

PROGRESS_TTL_SECONDS = 24 * 3600
# The task that runs each kind (fired by name: the apps that own the rows sit above taxonomy).
RUN_TASKS = {
    ImportJob.Kind.POSTINGS: "jobs.tasks.postings_import",
    ImportJob.Kind.RESIDENTS: "residents.tasks.residents_import",
    ImportJob.Kind.OUTCOMES: "matching.tasks.outcomes_import",
}


def max_file_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 20_000))


def progress_every() -> tuple[int, float]:
    """How often a running import tells its progress: every so many rows, or when so many seconds passed."""
    return (max(1, int(getattr(settings, "IMPORT_PROGRESS_EVERY_ROWS", 25))),
            float(getattr(settings, "IMPORT_PROGRESS_EVERY_SECONDS", 0.5)))


# --- messages


def file_problem(error: SpreadsheetError) -> str:
    """What is wrong with a file, for the person who uploaded it."""
    params = error.params
    messages = {
        "unsupported_type": lambda: _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        "xls": lambda: _("Old Excel files (.xls) cannot be read; save the file as .xlsx (Excel workbook) and "
                         "upload it again."),
        "unreadable": lambda: _("The file cannot be read as a spreadsheet; it may be damaged or not really an "
                                ".xlsx or .csv file."),
        "too_large_unpacked": lambda: _("The workbook is too large when unpacked."),
        "encoding": lambda: _("The CSV file's text encoding is not recognised; save it as UTF-8 or GBK."),
        "no_sheet": lambda: _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": params.get("sheet", "")},
        "empty": lambda: _("The file is empty."),
        "missing_headers": lambda: ngettext(
            "The header row lacks the required column %(columns)s.",
            "The header row lacks the required columns %(columns)s.",
            len(params.get("columns", [])),
        ) % {"columns": "、".join(params.get("columns", []))},
        "duplicate_header": lambda: _("The column “%(header)s” appears twice in the header row.")
        % {"header": params.get("header", "")},
        "no_rows": lambda: _("The file has a header row but no data rows."),
        "too_many_rows": lambda: _("The file has more than %(limit)s data rows; split it into smaller files.")
        % {"limit": params.get("limit")},
    }
    return messages.get(error.code, messages["unreadable"])()


def cell_problem(error: CellError) -> str:
    """What is wrong with a cell's value."""
    if error.code == "choice":
        return _("Choose one of: %(choices)s.") % {"choices": "、".join(error.params.get("choices", []))}
    messages = {
        "number": _("Enter a number."),
        "integer": _("Enter a whole number."),
        "date": _("Enter a date such as 2026-12-31, 2026/12/31 or 2026年12月31日."),
        "boolean": _("Enter 是 or 否."),
        "id_as_number": _("Excel stored this code as a number and lost its last digits; format the column as "
                          "text and type the code again."),
    }
    return messages.get(error.code, messages["number"])


def required_problem() -> str:
    return _("This column is required; fill in the cell.")


# --- creating a job


def read_import_file(*, file_name: str, content: bytes, columns: Sequence[Column]) -> Sheet:
    """The table of an uploaded file, or a ValidationError on `file` naming what is wrong."""
    if len(content) > max_file_bytes():
        raise ValidationError({"file": [_("The file is larger than %(size)s MB.")
                                        % {"size": max_file_bytes() // (1024 * 1024)}]})
    try:
        return read_table(content, file_name, columns, max_rows=max_rows())
    except SpreadsheetError as exc:
        raise ValidationError({"file": [file_problem(exc)]}) from None


@dataclass
class ParsedRow:
    """A spreadsheet row's values as parsed; `problems` lists (column header, message) of what is wrong."""

    headers: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, name: str, message: str) -> None:
        self.problems.append((self.headers[name], str(message)))


@transaction.atomic
def import_job_create(
    *,
    kind: str,
    file_name: str,
    content: bytes,
    columns: Sequence[Column],
    created_by=None,
    place_scope: set[int] | None = None,
    language: str = "",
    submission_key: str = "",
) -> ImportJob:
    """Store a spreadsheet to import, after checking that it can be read: a bad file stores nothing.

    `submission_key` (the upload form's one-time key) makes a second submission of the same form store
    nothing and raise AlreadySubmitted with the import the first one stored, even when both arrive at once."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": [_("Choose what to import: job postings, residents or outcome history.")]})
    submission_key = (submission_key or "")[:64]
    earlier = import_job_of_submission(created_by=created_by, submission_key=submission_key)
    if earlier is not None:
        raise AlreadySubmitted(earlier)
    sheet = read_import_file(file_name=file_name, content=content, columns=columns)
    job = ImportJob(
        kind=kind, file_name=redact_identifiers(file_name or "")[-255:], content=seal(content),
        total_rows=len(sheet.rows), created_by=created_by,
        place_scope=sorted(place_scope) if place_scope is not None else None, language=language or "",
        queued_at=timezone.now(), submission_key=submission_key if created_by is not None else "",
    )
    # The constraints hold in the database; the one on the submission key is answered below, race and all.
    job.full_clean(exclude=["content"], validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # The same form's other submission stored its import between our look-up and our insert.
        earlier = import_job_of_submission(created_by=created_by, submission_key=job.submission_key)
        if earlier is None:
            raise
        raise AlreadySubmitted(earlier) from None
    return job


class AlreadySubmitted(Exception):
    """The upload form was submitted before: `job` is the import that submission stored (nothing new is)."""

    def __init__(self, job: ImportJob):
        super().__init__(job.pk)
        self.job = job


def import_job_of_submission(*, created_by, submission_key: str) -> ImportJob | None:
    """The import a user's earlier submission of the same upload form stored, if any."""
    if not submission_key or created_by is None:
        return None
    return ImportJob.objects.defer("content").filter(created_by=created_by, submission_key=submission_key).first()


def import_job_start(job: ImportJob) -> None:
    """Ask a worker to run the import once the transaction commits (kept in the outbox if the broker is down);
    with eager tasks, a request's import runs in the background thread, so its page can show the progress."""
    fire(RUN_TASKS[ImportJob.Kind(job.kind)], job.pk, long=True)


# --- progress


def progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far: from the cache while the job runs, all of them once it finished."""
    if job.status == ImportJob.Status.FINISHED:
        return job.total_rows
    if job.status == ImportJob.Status.RUNNING:
        return int(cache.get(progress_key(job.pk)) or 0)
    return 0


# --- rows


class RowOutcome(Enum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class DuplicateOf:
    """A row skipped as a duplicate, and the record it repeats: its kind ("posting", "resident",
    "recommendation") and id. The importing app names it when the report is read (`NamedDuplicate`)."""

    kind: str
    id: int


@dataclass(frozen=True)
class NamedDuplicate:
    """A skipped row as its report shows it: the record it repeats named for the reader, and the record to open
    (`kind` "posting" or "resident" with its `id`), or none when the reader may not see it."""

    row: int
    label: str
    kind: str = ""
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "label": self.label, "kind": self.kind, "id": self.id}


def duplicates_named(
    records: Sequence[dict], kind: str, name: Callable[[int, int], NamedDuplicate | None]
) -> list[NamedDuplicate]:
    """The report's duplicates: each record of `kind` named by `name(row, id)`, else as no longer kept."""
    named = []
    for record in records:
        found = name(record["row"], record["id"]) if record.get("kind") == kind else None
        named.append(found or NamedDuplicate(record["row"], _("a record no longer kept")))
    return named


@dataclass(frozen=True)
class RowError:
    """One problem of one row: its number as Excel shows it, the column's header, what is wrong."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class RowProblems(Exception):
    """Raised by an importer when a row cannot be imported: [(column header, message), …]."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


class RowImporter:
    """Turns the rows of one file into objects, through the services of the app that owns them.

    `prepare` sees every row first (parse cells, batch the look-ups); `import_row` imports one row
    inside its own savepoint and returns IMPORTED or DUPLICATE, or raises RowProblems or the services'
    ValidationError. Whatever it learns from a row (a new employer, a title seen) is kept by `stage`
    and kept for later rows only when the row's savepoint commits (`row_committed`).
    """

    # model field → the column header it is reported under
    field_headers: dict[str, str] = {}
    default_header = ""

    def __init__(self) -> None:
        self._staged: list[Callable[[], None]] = []

    def prepare(self, rows: list[Row]) -> None:
        """Parse and batch whatever the rows need before the first is imported."""

    def import_row(self, row: Row) -> RowOutcome | DuplicateOf:  # pragma: no cover - abstract
        raise NotImplementedError

    def stage(self, remember: Callable[[], None]) -> None:
        self._staged.append(remember)

    def row_committed(self) -> None:
        for remember in self._staged:
            remember()
        self._staged.clear()

    def row_rolled_back(self) -> None:
        self._staged.clear()

    def problems_of(self, exc: ValidationError) -> list[tuple[str, str]]:
        """A service's ValidationError as (column header, message) pairs."""
        if not hasattr(exc, "error_dict"):
            return [(self.default_header, message) for message in exc.messages]
        problems = []
        for name, messages in exc.message_dict.items():
            header = self.field_headers.get(name, "" if name == NON_FIELD_ERRORS else self.default_header)
            problems.extend((header, message) for message in messages)
        return problems


# --- running a job


UNFINISHED = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


def _mark_running(job_id: int) -> bool:
    """Mark the job running (visible to pollers at once); False if it has ended already or is gone.

    A job another worker is importing is locked: this waits for it, then finds it ended."""
    started = timezone.now()
    changed = (ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED)
               .update(status=ImportJob.Status.RUNNING, started_at=started, failure="",
                       attempts=F("attempts") + 1))
    if changed:
        cache.set(progress_key(job_id), 0, PROGRESS_TTL_SECONDS)
    return bool(changed)


def _mark_failed(job_id: int, message: str) -> None:
    """The import ended without importing anything: say why, and erase the file."""
    ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
        status=ImportJob.Status.FAILED, failure=redact_identifiers(message)[:2000], finished_at=timezone.now(),
        content=b"",
    )
    cache.delete(progress_key(job_id))


def _mark_waiting(job_id: int) -> None:
    """The database went away mid-import (nothing was imported): wait, file kept, for the task's retry."""
    try:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.PENDING, queued_at=timezone.now())
    except OperationalError:
        logger.warning("import %s: cannot mark it waiting; the recovery task will find it", job_id)
    cache.delete(progress_key(job_id))


RERANK_TASKS = ("matching.tasks.posting_rerank", "matching.tasks.resident_rerank")


def import_job_run(
    *, job_id: int, kind: str, columns: Sequence[Column], importer: Callable[[ImportJob], RowImporter]
) -> ImportJob | None:
    """Import a job's file, once: a finished job is left alone (so a task delivered twice is harmless).

    Everything happens in one transaction that also marks the job finished and erases its file; an
    error rolls all of it back and marks the job failed (file erased too). An OperationalError (the
    database went away) leaves the job waiting with its file and is raised again, for the task to
    retry; any other error is logged and ends here. A worker killed mid-import leaves the job
    "running" and unlocked, for `import_jobs_recover` to find. (Not one atomic block itself:
    "running" must be committed first, for those who poll.)
    """
    if not ImportJob.objects.filter(pk=job_id, kind=kind).exists():
        logger.warning("import %s: no %s import with this id", job_id, kind)
        return None
    if not _mark_running(job_id):
        return ImportJob.objects.filter(pk=job_id).defer("content").first()
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status not in UNFINISHED:  # another worker ended it while we waited
                return job
            # One county re-ranking after the import instead of one re-rank per posting or resident.
            with translation.override(job.language or settings.LANGUAGE_CODE), coalesced(
                RERANK_TASKS, into="matching.tasks.county_ranking"
            ), bumps_batched():
                _run_rows(job, columns, importer(job))
    except OperationalError:
        _mark_waiting(job_id)
        raise
    except Exception as exc:
        logger.exception("import %s failed", job_id)
        language = ImportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
        with translation.override(language or settings.LANGUAGE_CODE):
            _mark_failed(job_id, _("The import stopped because of an internal error (%(error)s); nothing was "
                                   "imported. Try again, or tell the administrator.")
                         % {"error": type(exc).__name__})
    return ImportJob.objects.defer("content").get(pk=job_id)


@transaction.atomic
def import_jobs_recover(*, now=None) -> dict[str, int]:
    """Find the imports a dead worker left behind and start them again, or fail them with a reason.

    An import that a live worker runs holds its row locked; one marked running whose row is free (past
    a grace period) lost its worker: nothing of it was imported (its transaction rolled back), so it
    is queued again, up to the attempts allowed, then failed with its file erased. An import waiting
    longer than allowed (its message was lost) is queued again. Returns how many were resumed and failed.
    """
    now = now or timezone.now()
    limits = stuck_settings()
    grace = dt.timedelta(seconds=running_grace_seconds())
    resumed = failed = 0
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=now - grace)
    waiting = ImportJob.objects.filter(status=ImportJob.Status.PENDING,
                                       queued_at__lt=now - dt.timedelta(seconds=limits["PENDING_SECONDS"]))
    for job in ImportJob.objects.filter(pk__in=unlocked(stale) + unlocked(waiting)).defer("content"):
        if job.attempts >= limits["MAX_ATTEMPTS"]:
            with translation.override(job.language or settings.LANGUAGE_CODE):
                _mark_failed(job.pk, ngettext(
                    "The import was interrupted %(n)s time (the worker running it stopped) and has been "
                    "stopped; nothing was imported. Upload the file again, or tell the administrator.",
                    "The import was interrupted %(n)s times (the worker running it stopped) and has been "
                    "stopped; nothing was imported. Upload the file again, or tell the administrator.",
                    job.attempts) % {"n": job.attempts})
            failed += 1
            continue
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PENDING, queued_at=now)
        cache.delete(progress_key(job.pk))
        logger.warning("import %s: %s without a worker; queued again", job.pk, job.status)
        import_job_start(job)
        resumed += 1
    return {"resumed": resumed, "failed": failed}


def _run_rows(job: ImportJob, columns: Sequence[Column], row_importer: RowImporter) -> None:
    try:
        sheet = read_table(unseal(job.content), job.file_name, columns, max_rows=max_rows())
    except (SpreadsheetError, SealBroken) as exc:
        job.status = ImportJob.Status.FAILED
        job.failure = file_problem(exc) if isinstance(exc, SpreadsheetError) else _(
            "The stored file can no longer be opened (the encryption keys changed); upload it again.")
        job.finished_at = timezone.now()
        job.content = b""
        job.save(update_fields=["status", "failure", "finished_at", "content"])
        return
    rows = sheet.rows
    row_importer.prepare(rows)
    errors: list[RowError] = []
    duplicate_rows: list[int] = []
    duplicate_records: list[dict[str, Any]] = []
    imported = 0
    key = progress_key(job.pk)
    every_rows, every_seconds = progress_every()
    last_report = time.monotonic()
    for done, row in enumerate(rows, start=1):
        problems: list[tuple[str, str]] = []
        try:
            with transaction.atomic():
                outcome = row_importer.import_row(row)
        except RowProblems as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = row_importer.problems_of(exc)
        except (IntegrityError, DataError):
            problems = [("", _("The row conflicts with data already stored or does not fit a column; it was "
                               "not imported."))]
        if problems:
            row_importer.row_rolled_back()
            errors.extend(RowError(row.number, header, redact_identifiers(str(message)))
                          for header, message in problems)
        else:
            row_importer.row_committed()
            if isinstance(outcome, DuplicateOf):
                duplicate_rows.append(row.number)
                duplicate_records.append({"row": row.number, "kind": outcome.kind, "id": outcome.id})
            elif outcome is RowOutcome.DUPLICATE:
                duplicate_rows.append(row.number)
            else:
                imported += 1
        if done % every_rows == 0 or time.monotonic() - last_report > every_seconds:
            cache.set(key, done, PROGRESS_TTL_SECONDS)
            last_report = time.monotonic()
    job.status = ImportJob.Status.FINISHED
    job.total_rows = len(rows)
    job.imported = imported
    job.duplicates = len(duplicate_rows)
    job.duplicate_rows = duplicate_rows
    job.duplicate_records = duplicate_records
    job.errors = [error.as_dict() for error in errors]
    job.finished_at = timezone.now()
    job.content = b""
    job.save(update_fields=["status", "total_rows", "imported", "duplicates", "duplicate_rows",
                            "duplicate_records", "errors", "finished_at", "content"])
    cache.set(key, len(rows), PROGRESS_TTL_SECONDS)


# --- places by name


class PlaceNames:
    """Places found by the name people write: the exact name, else the shortest name containing it.

    Among equal candidates the home county's place wins, then the lowest code. Built once per import
    from one query.
    """

    def __init__(self) -> None:
        home = getattr(settings, "HOME_COUNTY_CODE", "")
        rows = list(Place.objects.only("id", "code", "name", "level", "parent_id"))
        self._places = sorted(rows, key=lambda p: (len(p.name), not p.code.startswith(home), p.code))
        self._exact: dict[str, Place] = {}
        for place in self._places:
            self._exact.setdefault(place.name, place)
        self._found: dict[str, Place | None] = {}

    def find(self, name: str) -> Place | None:
        name = (name or "").strip()
        if not name:
            return None
        if name not in self._found:
            found = self._exact.get(name)
            if found is None:
                found = next((place for place in self._places if name in place.name), None)
            self._found[name] = found
        return self._found[name]

    def problem(self, name: str) -> str:
        return _("No place named “%(name)s” is known; use the name of a town, village, community or "
                 "resettlement site (for example 平溪街道 or 康华社区).") % {"name": name}


# --- batched resolving of free text


def skills_by_text(texts: Sequence[str]) -> dict[str, tuple[list, list[str]]]:
    """For each distinct text, what `skills_from_texts([text])` returns, resolved in one batch."""
    from .coding import resolve_skill_texts
    from .skill_resolver import split_skill_text

    distinct = list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))
    phrases_of = {text: split_skill_text(text) for text in distinct}
    phrases = list(dict.fromkeys(phrase for found in phrases_of.values() for phrase in found))
    resolved = dict(zip(phrases, resolve_skill_texts(phrases, split=False), strict=True)) if phrases else {}
    result: dict[str, tuple[list, list[str]]] = {}
    for text, found in phrases_of.items():
        skills: dict[int, Any] = {}
        unresolved: list[str] = []
        for phrase in found:
            item = resolved[phrase]
            if item.skill is None:
                unresolved.append(item.resolution.text)
            else:
                skills.setdefault(item.skill.pk, item.skill)
        result[text] = (list(skills.values()), unresolved)
    return result
