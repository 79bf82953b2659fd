"""Benchmark: the vectorised engine against the per-pair reference loop, with identical top-k lists.

Run from the repository root:  .venv/bin/python bench/engine_vs_loop.py [--residents 2000 --jobs 2000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matching.engine import (  # noqa: E402
    JobIndex,
    ResidentIndex,
    rank_all,
    rank_all_arrays,
    reference,  # noqa: E402
)
from tests.engine.factories import random_world  # noqa: E402

REFERENCE_BUDGET_S = 180.0


def timed(run, *args, **kwargs):
    """(run(*args, **kwargs), wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def median_pair(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def build_indexes(world):
    return ResidentIndex.from_profiles(world.residents, world.catalog), JobIndex.from_profiles(
        world.jobs, world.catalog
    )


def engine_top_k(residents, jobs, world, k):
    return dict(rank_all(residents, jobs, k=k, today=world.today, courses=world.courses))


def engine_top_k_arrays(residents, jobs, world, k):
    return list(rank_all_arrays(residents, jobs, k=k, today=world.today))


def reference_top_k(world, residents, k):
    return {
        rid: results
        for rid, results in reference.rank_all(
            residents, world.jobs, k=k, today=world.today, catalog=world.catalog, courses=world.courses
        )
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="engine runs (the median is reported)")
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="time the reference on this many residents only (default: all, unless the estimate exceeds 3 min)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    world = random_world(args.seed, args.residents, args.jobs)
    print(
        f"world: {args.residents:,} residents × {args.jobs:,} postings, "
        f"{len(world.catalog.groups)} skills, generated in {time.perf_counter() - started:.1f} s"
    )

    # Engine: index build + full ranking with explained MatchResults. Cheap enough to repeat:
    # the median of a few runs keeps a busy machine from deciding the ratio.
    build_runs, rank_runs, array_runs = [], [], []
    for _ in range(args.repeat):
        (residents, jobs), wall, cpu = timed(build_indexes, world)
        build_runs.append((wall, cpu))
        engine, wall, cpu = timed(engine_top_k, residents, jobs, world, args.k)
        rank_runs.append((wall, cpu))
        _, wall, cpu = timed(engine_top_k_arrays, residents, jobs, world, args.k)
        array_runs.append((wall, cpu))
    t_build, c_build = median_pair(build_runs)
    t_rank, c_rank = median_pair(rank_runs)
    t_arrays, c_arrays = median_pair(array_runs)
    engine_total, engine_cpu = t_build + t_rank, c_build + c_rank

    # Reference: decide on the sample from a pilot of 20 residents.
    sample = args.sample
    if sample is None:
        pilot = world.residents[:20]
        t0 = time.perf_counter()
        reference_top_k(world, pilot, args.k)
        estimate = (time.perf_counter() - t0) / len(pilot) * len(world.residents)
        sample = len(world.residents) if estimate <= REFERENCE_BUDGET_S else 200
        print(
            f"reference pilot: estimated {estimate:.0f} s for all residents"
            + ("" if sample == len(world.residents) else f" > {REFERENCE_BUDGET_S:.0f} s, sampling {sample}")
        )
    sample = min(sample, len(world.residents))
    chosen = (
        world.residents
        if sample == len(world.residents)
        else world.residents[:: max(1, len(world.residents) // sample)][:sample]
    )
    baseline, t_reference, c_reference = timed(reference_top_k, world, chosen, args.k)

    # Identity: same ids in the same order, scores within 1e-9.
    mismatched = [
        rid
        for rid, results in baseline.items()
        if [r.job_id for r in results] != [r.job_id for r in engine[rid]]
    ]
    worst = max(
        (
            abs(a.score - b.score)
            for rid, results in baseline.items()
            for a, b in zip(results, engine[rid], strict=False)
        ),
        default=0.0,
    )
    pairs_checked = len(baseline) * len(world.jobs)
    scale = len(world.residents) / len(baseline)
    reference_full, reference_cpu = t_reference * scale, c_reference * scale
    per_resident_ref = t_reference / len(baseline) * 1e3
    per_resident_engine = engine_total / len(world.residents) * 1e3

    rows = [
        ("pairs", f"{len(world.residents) * len(world.jobs):,}"),
        (f"engine: index build (median of {args.repeat})", f"{t_build:.3f} s wall, {c_build:.3f} s CPU"),
        ("engine: rank_all (explained MatchResults)", f"{t_rank:.3f} s wall, {c_rank:.3f} s CPU"),
        ("engine: rank_all_arrays (ids/scores only)", f"{t_arrays:.3f} s wall, {c_arrays:.3f} s CPU"),
        ("engine: build + rank_all", f"{engine_total:.3f} s wall ({per_resident_engine:.3f} ms/resident)"),
        (
            "reference loop (score all, explain top-k)",
            f"{t_reference:.2f} s wall, {c_reference:.2f} s CPU for {len(baseline):,} residents "
            f"({per_resident_ref:.2f} ms/resident)"
            + (
                ""
                if len(baseline) == len(world.residents)
                else f", {reference_full:.0f} s extrapolated to all"
            ),
        ),
        (
            "speed-up, build + rank_all",
            f"{reference_full / engine_total:.0f}× wall, {reference_cpu / engine_cpu:.0f}× CPU",
        ),
        (
            "speed-up, build + rank_all_arrays",
            f"{reference_full / (t_build + t_arrays):.0f}× wall, {reference_cpu / (c_build + c_arrays):.0f}× CPU",
        ),
        ("top-k lists compared", f"{len(baseline):,} residents ({pairs_checked:,} pairs scored by both)"),
        ("top-k lists differing", f"{len(mismatched)}"),
        ("max |score difference|", f"{worst:.2e}"),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    if len(baseline) != len(world.residents):
        print(
            f"\n  note: the reference was timed and checked on a sample of {len(baseline)} residents "
            "against all postings; its full time is extrapolated per resident."
        )

    ok = not mismatched and worst <= 1e-9 and not math.isnan(worst)
    speedup = reference_full / engine_total
    print(
        f"\n  identical top-{args.k}: {'yes' if not mismatched else 'NO'}; "
        f"target ≥ 50× (wall, build + rank_all with explanations): {'met' if speedup >= 50 else 'NOT met'}"
    )
    assert ok, f"engine and reference disagree for residents {mismatched[:10]} (max score diff {worst})"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
