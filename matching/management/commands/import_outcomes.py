"""`manage.py import_outcomes FILE`: import a station's past recommendations and their outcomes.

The same code path as the upload page and `POST /api/v1/imports/` (kind `outcomes`): the file is checked,
stored as an import job and imported in one transaction, here at once rather than by a worker. Prints the
counts and every row error; exits with status 1 when the file is refused or the import failed.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matching.imports import outcomes_import_create, outcomes_import_run
from taxonomy.models import ImportJob


class Command(BaseCommand):
    help = ("Import past recommendations and their outcomes (推荐就业记录) from an .xlsx or .csv file with the "
            "template's headers. Re-importing the same file imports nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument("--user", default=None, help="the user the rows are recorded as made by (default: the "
                            "first active superuser)")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            job = outcomes_import_create(file_name=path.name, content=content, created_by=user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        job = outcomes_import_run(job_id=job.pk)
        out = self.stdout.write
        if job.status != ImportJob.Status.FINISHED:
            raise CommandError(f"import {job.pk} failed: {job.failure}")
        out(f"import {job.pk}: {job.total_rows} rows, {job.imported} imported, {job.duplicates} already there, "
            f"{len({e['row'] for e in job.errors})} with errors")
        for error in job.errors:
            out(f"  row {error['row']} {error['field']}: {error['message']}")

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"no active user named {username!r}")
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("no active superuser: create one (manage.py createsuperuser) or pass --user")
        return user
