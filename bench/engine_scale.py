"""Benchmark: engine at scale — one resident against 100,000 postings, and 100,000 × 10,000 top-10.

Run from the repository root:  .venv/bin/python bench/engine_scale.py
Smaller runs:                  .venv/bin/python bench/engine_scale.py --residents 10000 --jobs 2000 --query-jobs 20000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.report import MIB, max_rss_mib, table  # noqa: E402
from matching.engine import (  # noqa: E402
    JobIndex,
    ResidentIndex,
    rank_all,
    rank_all_arrays,
    rank_jobs_for_resident,
    rank_residents_for_job,
)
from tests.engine.factories import random_world  # noqa: E402


def make_world(seed: int, n_residents: int, n_jobs: int, *, as_generated: bool):
    """A random world; unless `as_generated`, every posting is open, unexpired and has an opening,
    so that every pair is evaluated (the worst case for the engine)."""
    world = random_world(seed, n_residents, n_jobs)
    if as_generated:
        return world
    jobs = tuple(
        replace(j, status="open", valid_until=None, openings_remaining=max(1, j.openings_remaining))
        for j in world.jobs
    )
    return replace(world, jobs=jobs)


def one_resident_many_postings(args) -> None:
    t0 = time.perf_counter()
    world = make_world(args.seed, args.queries, args.query_jobs, as_generated=args.as_generated)
    t_world = time.perf_counter() - t0
    t0 = time.perf_counter()
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    t_build = time.perf_counter() - t0
    rank_jobs_for_resident(
        world.residents[0], jobs, k=20, today=world.today, courses=world.courses
    )  # warm-up
    timings = []
    for resident in world.residents:
        t0 = time.perf_counter()
        results = rank_jobs_for_resident(resident, jobs, k=20, today=world.today, courses=world.courses)
        timings.append(time.perf_counter() - t0)
        assert len(results) <= 20
    open_count = int(jobs.available(world.today).sum())
    median = statistics.median(timings) * 1e3
    table(
        f"(a) one resident against {args.query_jobs:,} postings (k=20, with explanations)",
        [
            ("postings (available today)", f"{args.query_jobs:,} ({open_count:,})"),
            ("generate profiles", f"{t_world:.1f} s"),
            ("JobIndex.from_profiles", f"{t_build:.2f} s (once)"),
            ("rank_jobs_for_resident, runs", f"{len(timings)}"),
            (
                "  median / min / max",
                f"{median:.1f} / {min(timings) * 1e3:.1f} / {max(timings) * 1e3:.1f} ms",
            ),
            ("  target < 100 ms", "met" if median < 100 else "NOT met"),
        ],
    )


def all_residents_all_postings(args) -> None:
    t0 = time.perf_counter()
    world = make_world(args.seed + 1, args.residents, args.jobs, as_generated=args.as_generated)
    t_world = time.perf_counter() - t0
    rss_profiles = max_rss_mib()
    t0 = time.perf_counter()
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    t_build = time.perf_counter() - t0
    rss_indexes = max_rss_mib()
    available = int(jobs.available(world.today).sum())

    tracemalloc.start()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    ranked = 0
    chunks = 0
    best = np.empty(0)
    for chunk in rank_all_arrays(residents, jobs, k=args.k, today=world.today, chunk_size=args.chunk_size):
        ranked += len(chunk.resident_ids)
        chunks += 1
        best = np.concatenate((best, chunk.scores[:, 0]))
    t_rank = time.perf_counter() - t0
    cpu_rank = time.process_time() - cpu0
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = max_rss_mib()
    assert ranked == args.residents

    rows = [
        (
            "residents × postings",
            f"{args.residents:,} × {args.jobs:,} = {args.residents * args.jobs:,} pairs",
        ),
        ("postings available today", f"{available:,}"),
        ("generate profiles", f"{t_world:.1f} s"),
        ("build ResidentIndex + JobIndex", f"{t_build:.2f} s"),
        (
            "rank_all_arrays (top-10 ids + scores)",
            f"{t_rank:.1f} s wall, {cpu_rank:.1f} s CPU, {chunks} chunks",
        ),
        ("  per pair", f"{t_rank / (args.residents * args.jobs) * 1e9:.1f} ns"),
        ("  residents with ≥ 1 eligible posting", f"{int(np.sum(~np.isnan(best))):,}"),
        ("  target < 5 min", "met" if t_rank < 300 else "NOT met"),
        (
            "peak traced memory while ranking",
            f"{traced_peak / MIB:.0f} MiB (tracemalloc, numpy buffers included)",
        ),
        (
            "max RSS: after profiles / indexes / ranking",
            f"{rss_profiles:.0f} / {rss_indexes:.0f} / {rss_after:.0f} MiB",
        ),
    ]

    if args.objects:
        t0 = time.perf_counter()
        results = 0
        for _, matches in rank_all(
            residents, jobs, k=args.k, today=world.today, courses=world.courses, chunk_size=args.chunk_size
        ):
            results += len(matches)
        t_objects = time.perf_counter() - t0
        rows.append(("rank_all (explained MatchResults)", f"{t_objects:.1f} s for {results:,} results"))
        rows.append(("max RSS after rank_all", f"{max_rss_mib():.0f} MiB"))

    posting = next(
        p for p in world.jobs if p.status == "open" and p.openings_remaining > 0 and p.valid_until is None
    )
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        rank_residents_for_job(posting, residents, k=50, today=world.today, courses=world.courses)
        timings.append(time.perf_counter() - t0)
    rows.append(
        (
            f"rank_residents_for_job (1 posting vs {args.residents:,})",
            f"median {statistics.median(timings) * 1e3:.0f} ms",
        )
    )
    table(f"(b) all residents × all postings, top-{args.k} each", rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--query-jobs", type=int, default=100_000, help="postings for part (a)")
    parser.add_argument("--queries", type=int, default=25, help="residents timed in part (a)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument(
        "--chunk-size", type=int, default=None, help="residents per chunk (default: automatic)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--objects", action="store_true", help="also time rank_all building MatchResults")
    parser.add_argument(
        "--as-generated",
        action="store_true",
        help="keep the random posting statuses (some closed, expired or full) instead of opening all postings",
    )
    parser.add_argument("--skip-a", action="store_true")
    parser.add_argument("--skip-b", action="store_true")
    args = parser.parse_args()
    # (b) first, so that its max-RSS figures are not inflated by part (a)'s 100,000 postings.
    if not args.skip_b:
        all_residents_all_postings(args)
    if not args.skip_a:
        one_resident_many_postings(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
