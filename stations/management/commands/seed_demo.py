"""`manage.py seed_demo`: build the Pingxi demo (station, residents, employers, jobs, training, logins)."""

from __future__ import annotations

import datetime as dt
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from receptions import demo as reception_demo
from stations.demo import DemoError, DemoOptions, content_digest, seed_demo, station_exists
from stations.demo.vocabulary import DEMO_PASSWORD
from stations.models import LiaisonStation

DEFAULTS = DemoOptions()


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2025-06-01, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Seed a realistic, deterministic demo of 平溪街道 (Pingxi Street): the liaison station with three rooms "
        "and 16 deputies, households and residents, employers and postings, courses and sessions, and one "
        "login per role. The same --seed and --today give exactly the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=DEFAULTS.households)
        parser.add_argument("--residents", type=int, default=DEFAULTS.residents)
        parser.add_argument("--employers", type=int, default=DEFAULTS.employers)
        parser.add_argument("--postings", type=int, default=DEFAULTS.postings)
        parser.add_argument("--past-postings", type=int, default=None,
                            help="postings of the two years before the recent ones (default: 3.3 × --postings)")
        parser.add_argument("--sessions", type=int, default=DEFAULTS.sessions, help="training sessions")
        parser.add_argument("--no-history", action="store_true",
                            help="today's demo without a past: no recommendations, outcomes, placements or enrolments")
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed, help="random seed (default %(default)s)")
        parser.add_argument("--today", type=_date, default=None,
                            help="the date the demo is built around (default: today's local date)")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="password of the new demo logins")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--if-empty", action="store_true", help="do nothing if a liaison station exists")
        group.add_argument("--reset", action="store_true",
                           help="delete stations, residents, jobs, training and the demo logins first")
        parser.add_argument("--digest", action="store_true", help="print a digest of the content at the end")

    def handle(self, *args, **opts):
        if opts["if_empty"] and station_exists():
            self.stdout.write("A liaison station exists already; nothing seeded (--if-empty).")
            return
        options = DemoOptions(
            households=opts["households"], residents=opts["residents"], employers=opts["employers"],
            postings=opts["postings"], past_postings=opts["past_postings"], history=not opts["no_history"],
            sessions=opts["sessions"], seed=opts["seed"], today=opts["today"],
            password=opts["password"],
        )
        show_bar = opts["verbosity"] >= 1

        def progress(total: int, desc: str):
            return tqdm(total=total, desc=desc, file=sys.stderr, disable=not show_bar, unit="", leave=False,
                        dynamic_ncols=True)

        try:
            if opts["reset"]:
                reception_demo.reset()  # its rows point at the residents and the station the reset deletes
            report = seed_demo(options, progress=progress, reset=opts["reset"])
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self._print(report, options, opts)
        if not options.history:
            return  # --no-history: no receptions or requests either
        # Two years of receptions, rotas, requests and suggestions, through their services.
        station = LiaisonStation.objects.get(name=report.station)
        made = reception_demo.create_receptions(station=station, today=report.today, seed=options.seed,
                                                 scale=options.scale)
        self.stdout.write(f"  {made.shifts} duty shifts, {made.receptions} people received, {made.requests} requests, "
                          f"{made.suggestions} deputy suggestions")

    def _print(self, report, options: DemoOptions, opts) -> None:
        out = self.stdout.write
        people, jobs = report.people, report.employment
        out(self.style.SUCCESS(f"Seeded {report.station} in {report.seconds:.1f} s "
                               f"(seed {options.seed}, today {report.today:%Y-%m-%d})."))
        for name, places in report.rooms:
            out(f"  {name}: {'、'.join(places)}")
        out(f"  {report.deputies} deputies; {people.households} households, {people.residents} residents "
            f"({people.skills} skills; {people.zero_employment_households} households with nobody in work)")
        statuses = ", ".join(f"{k} {n}" for k, n in sorted((jobs.by_status or {}).items()))
        out(f"  {jobs.employers} employers ({jobs.workshops} poverty-alleviation workshops), "
            f"{jobs.postings} postings ({statuses}; {jobs.piece_rate} piece-rate, {jobs.piece_estimates} of them "
            f"with a monthly estimate)")
        out(f"  {report.training.courses} courses, {report.training.sessions} sessions")
        if report.history is not None:
            h = report.history
            out(f"  history: {h.recommendations} recommendations ({h.hires} hires, {h.leavings} left), "
                f"{h.follow_ups_answered} follow-ups answered and {h.follow_ups_due} due; {h.sessions_held} sessions "
                f"held with {h.enrolments} enrolments and {h.completions} passed")
        if opts["digest"]:
            out(f"  content digest: {content_digest()}")
        out("")
        port = os.environ.get("PORT") or "8000"
        out(f"Logins (http://127.0.0.1:{port}/ — admin at /admin/, API docs at /api/docs/):")
        for username, role in report.logins.items():
            note = f" — {report.resident_login_name}, 黄岔安置点" if username == "resident" else ""
            password = options.password if username in report.new_logins else "(existing user: password unchanged)"
            out(f"  {username:<9} {role:<10} {password}{note}")
