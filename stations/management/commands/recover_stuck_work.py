"""`manage.py recover_stuck_work`: start again (or fail with a reason) the imports, ranking runs, assignment runs
and acceptances that a dead worker left behind, now — what the recovery beat tasks do every minute.

`scripts/run.sh` has no worker and no beat: its tasks run in the server's own process, so a server that was
stopped mid-import left the import `running` for good. It runs this with `--at-start` before the server
starts: no task of the embedded run can be alive then, so everything marked running or waiting counts as
abandoned at once, with no grace period. `--at-start` is refused where tasks go to a broker (a live worker
may hold them). Each job is resumed idempotently, up to the attempts allowed (`STUCK_WORK`).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.celery import app
from config.stuck import running_grace_seconds, stuck_settings
from matching.services import assignment_acceptances_recover, assignment_runs_recover, ranking_runs_recover
from taxonomy.imports import import_jobs_recover


class Command(BaseCommand):
    help = "Resume or fail the background work that a dead worker left behind (as the recovery beat tasks do)."

    def add_arguments(self, parser):
        parser.add_argument("--at-start", action="store_true",
                            help="no worker is alive (the embedded run starting): take every running job as "
                                 "abandoned at once")

    def handle(self, *args, **opts):
        now = timezone.now()
        if opts["at_start"]:
            if not app.conf.task_always_eager:
                raise CommandError("--at-start is only for the embedded run (no broker): a worker may be alive.")
            limits = stuck_settings()
            now += dt.timedelta(seconds=1 + max(running_grace_seconds(), limits["IDLE_SECONDS"],
                                                limits["PENDING_SECONDS"]))
        found = {
            "imports": import_jobs_recover(now=now),
            "ranking runs": ranking_runs_recover(now=now),
            "assignment runs": assignment_runs_recover(now=now),
            "acceptances": assignment_acceptances_recover(now=now),
        }
        if opts["verbosity"] >= 1:
            self.stdout.write("; ".join(f"{name}: {counts.get('resumed', 0)} resumed, {counts.get('failed', 0)} "
                                        f"failed" for name, counts in found.items()))
