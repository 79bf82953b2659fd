"""Benchmark: the learned ranking's cost — a county ranking with the model against the rules alone (target: at
most 2×), and training a version on 100,000 outcomes.

    .venv/bin/python bench/learning.py [--residents 20000 --jobs 2000] [--outcomes 100000] [--database URL]

The ranking half is the pure engine on a random world (every posting open: every pair evaluated), timed
with and without a model in the same run. The training half needs PostgreSQL with the county-size demo
(`bench/pages.py --scale` seeds it into lianxin_scale); it writes `--outcomes` synthetic recommendations with
planted outcomes (and the hires' placements) inside a transaction, times `train`, and rolls everything back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.report import max_rss_mib, table  # noqa: E402


def ranking(args) -> float:
    from matching.engine import (
        FEATURES,
        EmployerRecord,
        JobIndex,
        LearnedModel,
        LinearModel,
        ResidentIndex,
        rank_all_arrays,
    )
    from tests.engine.factories import random_world

    world = random_world(args.seed, args.residents, args.jobs)
    rng = np.random.default_rng(args.seed)
    jobs = tuple(replace(j, status="open", valid_until=None, openings_remaining=max(1, j.openings_remaining),
                         employer_id=int(rng.integers(1, 200))) for j in world.jobs)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    postings = JobIndex.from_profiles(jobs, world.catalog)

    def head() -> LinearModel:
        return LinearModel(intercept=-1.0, coef=rng.normal(0, 0.5, len(FEATURES)), mean=np.zeros(len(FEATURES)),
                           scale=np.ones(len(FEATURES)))

    model = LearnedModel(hire=head(), retention=head(),
                         employers=EmployerRecord(ids=np.arange(1, 150), rates=rng.uniform(0, 1, 149), prior=0.3),
                         weight_rule=0.4, weight_hire=0.4, weight_retention=0.2)

    def run(with_model: bool) -> float:
        started = time.perf_counter()
        for _top in rank_all_arrays(residents, postings, k=10, today=world.today,
                                    model=model if with_model else None):
            pass
        return time.perf_counter() - started

    run(False)
    run(True)  # warm-up
    rules, learned = [], []
    for _ in range(args.repeat):
        rules.append(run(False))
        learned.append(run(True))
    rules_s, learned_s = statistics.median(rules), statistics.median(learned)
    pairs = args.residents * args.jobs
    table(f"County ranking, {args.residents:,} residents × {args.jobs:,} postings, top 10 (median of {args.repeat})", [
        ("rules alone", f"{rules_s:.2f} s ({pairs / rules_s / 1e6:.1f} M pairs/s)"),
        ("with the learned model", f"{learned_s:.2f} s ({pairs / learned_s / 1e6:.1f} M pairs/s)"),
        ("ratio (target ≤ 2.0)", f"{learned_s / rules_s:.2f}×"),
    ])
    return learned_s / rules_s


def training(args) -> float | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = args.database
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from jobs.models import JobPosting
    from matching.learning import fit
    from matching.models import Placement, Recommendation
    from residents.models import Resident

    residents = list(Resident.objects.values_list("pk", flat=True)[:50000])
    postings = list(JobPosting.objects.values_list("pk", "employer_id"))
    if len(residents) < 1000 or len(postings) < 100:
        print("The training half needs the county demo: run bench/pages.py --scale once.", file=sys.stderr)
        return None
    rng = np.random.default_rng(args.seed)
    employers = sorted({e for _, e in postings})
    hire_rate = dict(zip(employers, rng.beta(2, 5, len(employers)).tolist(), strict=True))
    today = timezone.localdate()
    user_id = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.first().pk

    class Rollback(Exception):
        pass

    timings = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            pairs = set()
            rows = []
            while len(rows) < args.outcomes:
                resident = residents[int(rng.integers(len(residents)))]
                posting, employer = postings[int(rng.integers(len(postings)))]
                if (resident, posting) in pairs:
                    continue
                pairs.add((resident, posting))
                day = today - dt.timedelta(days=int(rng.integers(30, 730)))
                hired = rng.random() < hire_rate[employer]
                rows.append(Recommendation(
                    resident_id=resident, posting_id=posting, score=0.5, explanation={}, recommended_by_id=user_id,
                    state="hired" if hired else str(rng.choice(["rejected", "declined", "no_answer"])),
                    recommended_on=day, decided_on=day + dt.timedelta(days=7), origin="import"))
            Recommendation.objects.bulk_create(rows, batch_size=5000)
            Placement.objects.bulk_create([
                Placement(resident_id=r.resident_id, posting_id=r.posting_id, recommendation=r, wage_unit="month",
                          start_date=r.decided_on, recorded_by_id=user_id,
                          status="ended" if (left := rng.random() < 0.3) else "active",
                          ended_on=r.decided_on + dt.timedelta(days=int(rng.integers(5, 80))) if left else None,
                          end_reason="quit" if left else "")
                for r in rows if r.state == "hired"], batch_size=5000)
            timings["write the outcomes"] = time.perf_counter() - started
            started = time.perf_counter()
            fitted = fit.train(today)
            timings["train (dataset, features, selection, fits)"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    table(f"Training on {args.outcomes:,} outcomes (PostgreSQL, rolled back)", [
        *((name, f"{seconds:.1f} s") for name, seconds in timings.items()),
        ("weights (rule, hire, retention)", f"{fitted.model.weight_rule}, {fitted.model.weight_hire}, "
                                            f"{fitted.model.weight_retention}" if fitted else "not fitted"),
        ("peak memory", f"{max_rss_mib():.0f} MiB"),
    ])
    return timings["train (dataset, features, selection, fits)"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20000)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--outcomes", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/lianxin_scale")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    ratio = ranking(args)
    if not args.skip_training:
        training(args)
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
