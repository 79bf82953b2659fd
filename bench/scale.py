"""County scale on the read path: the pages and endpoints at 100,000 residents, through gunicorn -w 4 on
PostgreSQL, as users reach them (over HTTP, signed in), with the targets of issue 10.

    .venv/bin/python bench/pages.py --scale [--repeat 15] [--database postgres://…/lianxin_scale]

It seeds the county-size demo (30,000 households, 100,000 residents, 10,000 postings, 800 employers) into
the database once (about 5 minutes; later runs reuse it) and starts `gunicorn -w 4` on it with eager tasks
(no broker: the README's default) and the shared cache on Redis when one answers. Then, for each read:
the first request of a fresh server (cold), then the median and p90 once every worker is warm; the
candidates API under 8 concurrent clients (p95); writes (publish, close, hire) and a read in another
worker right after each. Ratios are printed against baselines measured in the same run: the noise floor
(the login page) and the first version's candidates read (reload the scope's profiles and rebuild the
index on every request), timed in this process on the same data.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/lianxin_scale"
COUNTY = {"households": 30000, "residents": 100000, "postings": 10000, "employers": 800}
PASSWORD = "lianxin-demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    except OSError:
        return None


def _prepare(database: str) -> None:
    """Migrate the database and seed the county once (a station existing means it was seeded)."""
    env = {**os.environ, "DATABASE_URL": database}
    env.pop("CELERY_BROKER_URL", None)
    python = str(ROOT / ".venv/bin/python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo", "--if-empty", "--no-history", "-v", "0",
                    *[f"--{name}={value}" for name, value in COUNTY.items()]], cwd=ROOT, env=env, check=True)


class Session:
    """A user's HTTP session: the page login (cookies and CSRF) and an API token."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = None

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self) -> Session:
        page = self.opener.open(self.base + "/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": self.username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"})
        self.opener.open(request).read()
        body = json.dumps({"username": self.username, "password": PASSWORD}).encode()
        request = urllib.request.Request(self.base + "/api/v1/auth/token/", data=body,
                                         headers={"Content-Type": "application/json"})
        self.token = json.loads(urllib.request.urlopen(request).read())["token"]
        return self

    def get(self, path: str, *, api: bool = False) -> tuple[float, int, bytes]:
        headers = {"Authorization": f"Token {self.token}"} if api else {}
        opener = urllib.request.build_opener() if api else self.opener
        started = time.perf_counter()
        try:
            response = opener.open(urllib.request.Request(self.base + path, headers=headers))
            body, status = response.read(), response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        return (time.perf_counter() - started) * 1000, status, body

    def send(self, method: str, path: str, payload: dict) -> tuple[float, int, dict]:
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(), method=method,
                                         headers={"Authorization": f"Token {self.token}",
                                                  "Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            response = urllib.request.urlopen(request)
            body, status = response.read(), response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, status, json.loads(body or b"{}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _records(database: str) -> dict:
    """Ids to read, from the seeded data (in this process, through Django)."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import F

    from jobs.models import JobPosting
    from residents.models import Resident
    from stations.models import LiaisonStation

    today = django.utils.timezone.localdate()
    open_postings = JobPosting.objects.filter(status="open", valid_until__gte=today, filled__lt=F("openings"))
    return {
        "posting": open_postings.order_by("id").values_list("id", flat=True).first(),
        "postings": list(open_postings.order_by("-id").values_list("id", flat=True)[:8]),
        "drafts": list(JobPosting.objects.filter(status="draft", valid_until__gte=today)
                       .order_by("id").values_list("id", flat=True)[:3]),
        "resident": Resident.objects.filter(employment_status="seeking").order_by("id").values_list("id", flat=True)
        .first(),
        "seekers": list(Resident.objects.filter(employment_status="seeking").order_by("-id")
                        .values_list("id", flat=True)[:3]),
        "station": LiaisonStation.objects.values_list("id", flat=True).first(),
    }


def _first_version_candidates(posting_id: int) -> float:
    """The first version's candidates read, in this process: reload every seeking resident of the scope,
    build the index, rank (ms)."""
    from django.utils import timezone

    from jobs.models import JobPosting
    from matching.engine import ResidentIndex, rank_residents_for_job
    from matching.profiles import (
        course_catalog,
        engine_config,
        job_profiles,
        resident_profiles,
        skill_catalog,
    )
    from residents.models import Resident

    started = time.perf_counter()
    today = timezone.localdate()
    catalog, courses, config = skill_catalog(), course_catalog(), engine_config()
    job = job_profiles(JobPosting.objects.filter(pk=posting_id))[0]
    seeking = Resident.objects.filter(employment_status=Resident.EmploymentStatus.SEEKING)
    index = ResidentIndex.from_profiles(resident_profiles(seeking, today=today), catalog, config)
    rank_residents_for_job(job, index, k=50, today=today, courses=courses)
    return (time.perf_counter() - started) * 1000


def run(repeat: int, database: str) -> int:
    print(f"Preparing {database} (seeding the county once: about 5 minutes) …", file=sys.stderr)
    _prepare(database)
    ids = _records(database)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database, "LIANXIN_ENV": "development", "DEBUG": "0"}
    env.pop("CELERY_BROKER_URL", None)  # eager tasks: the README's default
    redis = _redis_url()
    if redis:
        env["REDIS_URL"] = redis
        subprocess.run(["redis-cli", "-n", redis.rsplit("/", 1)[-1], "flushdb"], check=False,
                       capture_output=True)
    else:
        env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "300",
         "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        return _measure(base, ids, repeat, server.pid, shared_cache=bool(redis))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _worker_rss(master_pid: int) -> list[int]:
    """RSS (MiB) of the gunicorn workers (children of the master)."""
    rss = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        rss.append(int(status.split("VmRSS:")[1].split()[0]) // 1024)
    return rss


def _measure(base: str, ids: dict, repeat: int, master_pid: int, *, shared_cache: bool) -> int:
    idle_rss = _worker_rss(master_pid)
    users = {name: Session(base, name).login() for name in ("liaison", "bureau", "deputy")}
    posting, resident = ids["posting"], ids["resident"]
    reads = [
        # (label, user, path, api, target ms or None)
        ("login page (noise floor)", "liaison", "/login/", False, None),
        ("candidates API (station)", "liaison", f"/api/v1/jobs/{posting}/candidates/", True, 300),
        ("candidates API (county)", "bureau", f"/api/v1/jobs/{posting}/candidates/", True, 300),
        ("posting page with candidates", "liaison", f"/liaison/postings/{posting}/", False, 300),
        ("resident page with matches", "liaison", f"/liaison/residents/{resident}/", False, 300),
        ("matches API", "liaison", f"/api/v1/residents/{resident}/matches/", True, 100),
        ("station dashboard, month", "deputy", "/dashboard/", False, 300),
        ("station dashboard, year", "deputy", "/dashboard/?period=year", False, 300),
        ("county dashboard, year", "bureau", "/dashboard/?scope=county&period=year", False, 300),
        ("dashboard records", "deputy", "/dashboard/figures/working_age_residents/", False, 300),
        ("report.csv", "deputy", "/dashboard/report.csv", False, 300),
    ]
    cold_targets = {"station dashboard, month": 2000, "station dashboard, year": 2000,
                    "county dashboard, year": 2000, "dashboard records": 2000, "report.csv": 2000}
    rows, failures = [], []
    for label, who, path, api, target in reads:
        session = users[who]
        cold, status, _body = session.get(path, api=api)
        with ThreadPoolExecutor(8) as pool:  # every worker serves it once: all are warm
            list(pool.map(lambda _n, s=session, p=path, a=api: s.get(p, api=a), range(8)))
        timings = [session.get(path, api=api)[0] for _ in range(repeat)]
        median, p90 = statistics.median(timings), _percentile(timings, 0.9)
        rows.append((label, status, cold, median, p90, target))
        if target is not None and median > target:
            failures.append(f"{label}: median {median:.0f} ms > {target} ms")
        if label in cold_targets and cold > cold_targets[label]:
            failures.append(f"{label}: cold {cold:.0f} ms > {cold_targets[label]} ms")
        if status != 200:
            failures.append(f"{label}: status {status}")

    # 8 concurrent clients on the candidates API, each reading a different open posting.
    def client(n: int) -> list[float]:
        session = Session(base, "liaison").login() if n else users["liaison"]
        chosen = ids["postings"][n % len(ids["postings"])]
        return [session.get(f"/api/v1/jobs/{chosen}/candidates/", api=True)[0] for _ in range(max(repeat, 10))]

    with ThreadPoolExecutor(8) as pool:
        concurrent = [t for series in pool.map(client, range(8)) for t in series]
    p95 = _percentile(concurrent, 0.95)
    if p95 > 1000:
        failures.append(f"candidates at 8 concurrent clients: p95 {p95:.0f} ms > 1000 ms")

    # Writes, each followed by reads on fresh connections (any of the 4 workers) that must see it.
    bureau, liaison = users["bureau"], users["liaison"]
    writes = []
    stale = 0
    for draft in ids["drafts"]:
        elapsed, status, _ = bureau.send("POST", f"/api/v1/jobs/{draft}/publish/", {})
        writes.append(("publish", elapsed, status))
        elapsed, status, _ = bureau.send("POST", f"/api/v1/jobs/{draft}/close/", {})
        writes.append(("close", elapsed, status))
        for _ in range(8):
            matches = json.loads(liaison.get(f"/api/v1/residents/{ids['resident']}/matches/?limit=200", api=True)[2])
            stale += draft in [m["job_id"] for m in matches["results"]]
    target = ids["postings"][-1]
    for seeker in ids["seekers"]:
        elapsed, status, body = liaison.send("POST", "/api/v1/placements/", {"resident": seeker, "posting": target})
        writes.append(("hire", elapsed, status))
    filled = json.loads(bureau.get(f"/api/v1/jobs/{target}/", api=True)[2])
    if filled.get("status") == "filled":
        for _ in range(8):
            matches = json.loads(liaison.get(f"/api/v1/residents/{ids['resident']}/matches/?limit=200", api=True)[2])
            stale += target in [m["job_id"] for m in matches["results"]]
    for kind, elapsed, status in writes:
        if status >= 300:
            failures.append(f"{kind}: status {status}")
        elif elapsed > 300:
            failures.append(f"{kind}: {elapsed:.0f} ms > 300 ms")
    if stale:
        failures.append(f"{stale} reads in other workers served a closed or filled posting")
    busy_rss = _worker_rss(master_pid)

    baseline = _first_version_candidates(posting)
    floor = next(r[3] for r in rows if r[0].startswith("login"))
    print(f"\nCounty scale through gunicorn -w 4 ({'Redis' if shared_cache else 'per-worker'} cache), "
          f"{repeat} requests per read after warming every worker")
    print(f"{'read':<32} {'status':>6} {'cold ms':>9} {'median ms':>10} {'p90 ms':>8} {'target':>7} "
          f"{'x floor':>8}")
    print("-" * 86)
    for label, status, cold, median, p90, target in rows:
        print(f"{label:<32} {status:>6} {cold:>9.0f} {median:>10.1f} {p90:>8.1f} "
              f"{(str(target) + ' ms') if target else '':>7} {median / floor:>8.1f}")
    candidates = next(r[3] for r in rows if r[0] == "candidates API (station)")
    print(f"\ncandidates API at 8 concurrent clients: p95 {p95:.0f} ms (target < 1000 ms), "
          f"median {statistics.median(concurrent):.0f} ms over {len(concurrent)} requests")
    print(f"first version's candidates read (reload + rebuild, in-process baseline): {baseline:.0f} ms; "
          f"now {candidates:.0f} ms over HTTP: {baseline / candidates:.0f}× faster")
    print("writes with eager tasks: " + ", ".join(f"{kind} {elapsed:.0f} ms" for kind, elapsed, _ in writes))
    print(f"reads in other workers after a close or a fill that still served it: {stale}")
    print(f"gunicorn worker RSS: idle {idle_rss} MiB, after the run {busy_rss} MiB")
    print("\n" + ("All targets met." if not failures else "Missed:\n  " + "\n  ".join(failures)))
    return 1 if failures else 0
