"""`manage.py expire_postings`: close the open postings whose last valid day has passed, now.

Celery beat does this every night (`jobs.tasks.postings_expire`); `scripts/run.sh` has no beat, so it runs this
once at start. Idempotent: a second run closes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jobs.services import postings_expire


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-06-01, not {value!r}.") from None


class Command(BaseCommand):
    help = "Close every open job posting whose valid-until date has passed (as the nightly task does)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, default=None,
                            help="the date to expire against (default: today's local date)")

    def handle(self, *args, **opts):
        closed = postings_expire(today=opts["today"])
        if opts["verbosity"] >= 1:
            self.stdout.write(f"Closed {closed} expired posting(s).")
        return None
