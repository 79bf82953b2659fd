"""Time every web page for its role on the Pingxi demo: median and p90 of repeated requests, and queries.

    .venv/bin/python bench/pages.py [--repeat 15] [--households 600] [--json out.json]
    .venv/bin/python bench/pages.py --scale [--database postgres://…/lianxin_scale]   # county scale, see scale.py

Without DATABASE_URL it seeds the demo into a throwaway SQLite file; with DATABASE_URL it migrates that
database and seeds the demo only if it has no liaison station yet (so point it at a throwaway database).
Each page is requested twice to warm up (the first request's time is shown too: it fills the caches),
then `--repeat` times through Django's test Client, signed in as the role's demo login. The target is a
median under 300 ms for every page.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300


def _setup(households: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="lianxin-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        print(f"Seeding the demo into {folder}/bench.sqlite3 …", file=sys.stderr)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", households=households, if_empty=True, verbosity=0, stdout=io.StringIO())


def _pages() -> list[tuple[str, str, str]]:
    """(page, role, address) for every page, with demo records to show."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from jobs.models import Employer, JobPosting
    from residents.models import Resident
    from stations.selectors import residents_visible_to
    from training.models import Course, TrainingSession

    liaison = get_user_model().objects.get(username="liaison")
    visible = residents_visible_to(liaison)
    person = visible.filter(employment_status=Resident.EmploymentStatus.SEEKING).order_by("id").first()
    posting = JobPosting.objects.filter(status=JobPosting.Status.OPEN).order_by("id").first()
    course = Course.objects.order_by("id").first()
    session = TrainingSession.objects.order_by("-start_date").first()
    roster = TrainingSession.objects.filter(enrollments__resident__in=visible).order_by("-start_date").first() or session
    employer = Employer.objects.order_by("id").first()
    url = reverse
    return [
        ("login", "anonymous", url("web:login")),
        ("liaison: search page", "liaison", url("web:liaison-search")),
        ("liaison: search (initials, htmx)", "liaison", url("web:liaison-search") + f"?q={person.name_initials[:2]}"),
        ("liaison: search (household no.)", "liaison", url("web:liaison-search") + f"?q={person.household.number}"),
        ("liaison: resident", "liaison", url("web:liaison-resident", args=[person.pk])),
        ("liaison: history (htmx)", "liaison", url("web:liaison-history", args=[person.pk])),
        ("liaison: register a resident", "liaison", url("web:liaison-resident-new")),
        ("liaison: edit a profile", "liaison", url("web:liaison-resident-edit", args=[person.pk])),
        ("liaison: open jobs", "liaison", url("web:liaison-postings")),
        ("liaison: posting + candidates", "liaison", url("web:liaison-posting", args=[posting.pk])),
        ("liaison: follow-ups", "liaison", url("web:liaison-followups")),
        ("liaison: batch assignment", "liaison", url("web:liaison-assignments")),
        ("liaison: training sessions", "liaison", url("web:liaison-sessions")),
        ("liaison: session roster", "liaison", url("web:liaison-session", args=[roster.pk])),
        ("liaison: import residents", "liaison", url("web:liaison-imports")),
        ("bureau: postings", "bureau", url("web:bureau-postings")),
        ("bureau: postings filtered", "bureau", url("web:bureau-postings") + f"?status=open&employer={employer.pk}"),
        ("bureau: new posting", "bureau", url("web:bureau-posting-new")),
        ("bureau: posting", "bureau", url("web:bureau-posting", args=[posting.pk])),
        ("bureau: edit posting", "bureau", url("web:bureau-posting-edit", args=[posting.pk])),
        ("bureau: employers", "bureau", url("web:bureau-employers")),
        ("bureau: new employer", "bureau", url("web:bureau-employer-new")),
        ("bureau: edit employer", "bureau", url("web:bureau-employer-edit", args=[employer.pk])),
        ("bureau: courses", "bureau", url("web:bureau-courses")),
        ("bureau: course", "bureau", url("web:bureau-course", args=[course.pk])),
        ("bureau: new session", "bureau", url("web:bureau-session-new", args=[course.pk])),
        ("bureau: edit session", "bureau", url("web:bureau-session-edit", args=[session.pk])),
        ("resident: me", "resident", url("web:resident-home")),
        ("resident: preferences", "resident", url("web:resident-preferences")),
        ("resident: jobs", "resident", url("web:resident-jobs")),
        ("resident: training", "resident", url("web:resident-training")),
        ("resident: enrolments", "resident", url("web:resident-enrolments")),
        ("dashboard: station month", "deputy", url("web:dashboard")),
        ("dashboard: station year", "deputy", url("web:dashboard") + "?period=year"),
        ("dashboard: county year", "bureau", url("web:dashboard") + "?scope=county&period=year"),
        ("dashboard: trend chart", "deputy", url("web:dashboard-chart", args=["trend"])),
        ("dashboard: zero chart", "deputy", url("web:dashboard-chart", args=["zero"])),
        ("dashboard: records", "deputy", url("web:dashboard-figure", args=["working_age_residents"])),
        ("dashboard: report.xlsx", "deputy", url("web:dashboard-xlsx")),
        ("dashboard: report.csv", "deputy", url("web:dashboard-csv")),
        ("dashboard: liaison", "liaison", url("web:dashboard")),
    ]


def _client(role: str):
    from django.test import Client

    client = Client()
    if role != "anonymous":
        from stations.demo.vocabulary import DEMO_PASSWORD

        assert client.login(username=role, password=DEMO_PASSWORD), f"cannot log in as {role}"
    return client


def _time(client, address: str, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in address else {}
    start = time.perf_counter()
    client.get(address, **headers)  # the first request fills the caches (posting index, charts, report)
    first_ms = (time.perf_counter() - start) * 1000
    client.get(address, **headers)
    timings = []
    status = None
    reset_queries()  # the log is capped (9000): a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, **headers)
    for _run in range(repeat):
        start = time.perf_counter()
        response = client.get(address, **headers)
        timings.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    timings.sort()
    return {
        "first_ms": round(first_ms, 1),
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(timings[min(len(timings) - 1, int(round(0.9 * (len(timings) - 1))))], 1),
        "status": status,
        "queries": len(queries.captured_queries),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--households", type=int, default=600)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--scale", action="store_true",
                        help="county scale (100,000 residents) on PostgreSQL through gunicorn -w 4: see bench/scale.py")
    parser.add_argument("--database", default=None, help="with --scale: the PostgreSQL database to seed or reuse")
    args = parser.parse_args()
    if args.scale:
        sys.path.insert(0, str(ROOT))
        from bench import scale

        return scale.run(args.repeat, args.database or os.environ.get("DATABASE_URL") or scale.DEFAULT_DATABASE)
    _setup(args.households)

    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client needs it (and records templates); DEBUG stays as configured
    clients: dict[str, object] = {}
    rows = []
    for page, role, address in _pages():
        client = clients.setdefault(role, _client(role))
        result = _time(client, address, args.repeat)
        rows.append({"page": page, "role": role, "address": address, **result})
        print(f"  {page:<36} {result['median_ms']:>8.1f} ms", file=sys.stderr)

    print()
    print(f"{'page':<36} {'role':<10} {'median ms':>10} {'p90 ms':>9} {'status':>7} {'queries':>8} {'first ms':>9}")
    print("-" * 94)
    for row in rows:
        flag = "  SLOW" if row["median_ms"] > TARGET_MS else ""
        print(f"{row['page']:<36} {row['role']:<10} {row['median_ms']:>10.1f} {row['p90_ms']:>9.1f} "
              f"{row['status']:>7} {row['queries']:>8} {row['first_ms']:>9.1f}{flag}")
    slow = [row for row in rows if row["median_ms"] > TARGET_MS]
    print(f"\n{len(rows)} pages, {args.repeat} requests each after 2 warm-ups; "
          f"{len(slow)} with a median over {TARGET_MS} ms.")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
