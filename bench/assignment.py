"""Benchmark: batch assignment at scale, and the `matching` package's HospitalResident on growing instances.

Run from the repository root:  .venv/bin/python bench/assignment.py
Smaller runs:                  .venv/bin/python bench/assignment.py --residents 5000 --postings 500 --openings 2500
Skip the reference sweep:      .venv/bin/python bench/assignment.py --reference-sizes ''

1. A realistic instance (20,000 residents in ~6,000 households, 30% zero-employment, × 2,000
   postings with 10,000 openings, top-50 candidates each): both modes, time and peak memory
   (tracemalloc peak, and ru_maxrss of a fresh process per mode that holds only the problem),
   constraints checked, no blocking pair in the stable proposal; the optimal objective is checked
   against the HiGHS LP path.
2. The reference sweep: the `matching` package's HospitalResident (resident-optimal) and our
   stable solver on instances of growing size (postings = residents / 10, openings = residents
   / 2, top-k lists), until the reference takes longer than --reference-limit seconds or fails.
   The reference runs in a subprocess from .venv/reference (its package name clashes with our
   app; see scripts/setup.sh). The two must return the same pairs.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.report import MIB, max_rss_mib, table  # noqa: E402
from matching.engine.assignment import (  # noqa: E402
    AssignmentProblem,
    CandidateGraph,
    Households,
    Postings,
    Residents,
    assign,
    assign_optimal,
    blocking_pairs,
    ortools_available,
)
from tests.assignment.factories import realistic_problem  # noqa: E402
from tests.assignment.helpers import feasibility_problems  # noqa: E402
from tests.assignment.hospital_resident import (  # noqa: E402
    engine_pairs,
    preference_lists,
    reference_available,
    reference_solve,
)


def proc_status_mib(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident) of this process, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


def peak_rss_reset() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def problem_save(problem: AssignmentProblem, path: Path) -> None:
    graph = problem.graph
    np.savez(
        path,
        resident_ids=problem.residents.ids,
        household_of=problem.residents.household_ids,
        household_ids=problem.households.ids,
        zero_employment=problem.households.zero_employment,
        posting_ids=problem.postings.ids,
        openings=problem.postings.openings,
        rows=graph.resident_index,
        cols=graph.posting_index,
        scores=graph.score,
    )


def problem_load(path: Path) -> AssignmentProblem:
    with np.load(path) as data:
        return AssignmentProblem(
            Residents(data["resident_ids"], data["household_of"]),
            Households(data["household_ids"], data["zero_employment"]),
            Postings(data["posting_ids"], data["openings"]),
            CandidateGraph(
                data["rows"],
                data["cols"],
                data["scores"],
                n_residents=data["resident_ids"].size,
                n_postings=data["posting_ids"].size,
            ),
        )


def memory_child(mode: str, path: Path) -> None:
    """In a fresh process: load the problem, then measure one run (peak RSS) and one more (tracemalloc).

    ru_maxrss of a child carries its parent's high-water mark across fork and exec, so the
    peak is read from VmHWM instead, reset to the current RSS just before the run.
    """
    problem = problem_load(path)
    _ = problem.usable_edges, problem.resident_zero_employment
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed heap back, so the baseline is what is live
    reset = peak_rss_reset()
    before = proc_status_mib("VmRSS")
    assign(problem, mode=mode)
    peak = proc_status_mib("VmHWM")
    tracemalloc.start()
    assign(problem, mode=mode)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"before": before, "peak": peak, "reset": reset, "traced": traced / MIB}))


def memory_of(problem: AssignmentProblem, mode: str) -> dict[str, float]:
    """RSS before and at the peak of one run, and tracemalloc's peak, in MiB, measured in a fresh
    interpreter that holds only the problem."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "problem.npz"
        problem_save(problem, path)
        completed = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--memory-child", mode, "--problem-file", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def full_size(args) -> None:
    started = time.perf_counter()
    problem = realistic_problem(
        args.seed, residents=args.residents, postings=args.postings, openings=args.openings, k=args.k
    )
    build_seconds = time.perf_counter() - started
    households = problem.households
    table(
        "Instance",
        [
            ("residents", f"{problem.residents.ids.size:,}"),
            (
                "households",
                f"{households.ids.size:,} ({int(households.zero_employment.sum()):,} zero-employment)",
            ),
            (
                "postings",
                f"{problem.postings.ids.size:,} ({int((problem.postings.openings == 0).sum())} with none)",
            ),
            ("openings", f"{int(problem.postings.openings.sum()):,}"),
            ("candidate edges", f"{problem.graph.n_edges:,} (top-{args.k})"),
            ("usable edges", f"{problem.usable_edges.size:,}"),
            ("built in", f"{build_seconds:.2f} s"),
            ("ru_maxrss", f"{max_rss_mib():.0f} MiB"),
        ],
    )

    proposals = {}
    for mode in ("optimal", "stable"):
        proposal = assign(problem, mode=mode)
        proposals[mode] = proposal
        memory = memory_of(problem, mode)
        problems = feasibility_problems(proposal, problem)
        rows = [
            ("solver", proposal.stats.solver),
            ("time, whole call", f"{proposal.stats.seconds:.2f} s"),
            ("time, solver proper", f"{proposal.stats.solve_seconds:.2f} s"),
            ("tracemalloc peak", f"{memory['traced']:.0f} MiB (Python and numpy allocations)"),
            (
                "peak RSS of the run",
                f"+{memory['peak'] - memory['before']:.0f} MiB: {memory['before']:.0f} → {memory['peak']:.0f} MiB "
                "in a fresh process holding only the problem"
                + ("" if memory["reset"] else " (VmHWM not reset: the peak includes loading)"),
            ),
            ("assigned", f"{proposal.assigned:,} of {int(problem.postings.openings.sum()):,} openings"),
            ("total score", f"{proposal.total_score:.4f}"),
            ("mean score", f"{proposal.total_score / max(proposal.assigned, 1):.4f}"),
            (
                "zero-employment households",
                f"{proposal.zero_employment_households_covered:,} covered of "
                f"{proposal.zero_employment_households_coverable:,} coverable",
            ),
            ("constraints", "hold" if not problems else f"BROKEN: {problems[:3]}"),
        ]
        if mode == "stable":
            rows.append(("proposals made", f"{proposal.stats.proposals:,}"))
            started = time.perf_counter()
            blocking = blocking_pairs(proposal, problem)
            rows.append(
                ("blocking pairs", f"{len(blocking)} (checked in {time.perf_counter() - started:.2f} s)")
            )
        table(f"Mode {mode}", rows)

    optimal, stable = proposals["optimal"], proposals["stable"]
    started = time.perf_counter()
    by_score = assign_optimal(problem, priority_zero_employment=False)
    table(
        "Optimal against stable",
        [
            (
                "households covered",
                f"{optimal.zero_employment_households_covered - stable.zero_employment_households_covered:+,}",
            ),
            ("total score", f"{optimal.total_score - stable.total_score:+.4f}"),
            ("assigned", f"{optimal.assigned - stable.assigned:+,}"),
            ("blocking pairs of optimal", f"{len(blocking_pairs(optimal, problem)):,}"),
            (
                "optimal by score alone",
                f"score {by_score.total_score:.4f}, covers {by_score.zero_employment_households_covered:,} "
                f"households ({time.perf_counter() - started:.2f} s)",
            ),
            ("time ratio optimal / stable", f"{optimal.stats.seconds / stable.stats.seconds:.2f}"),
        ],
    )

    if args.highs:
        highs = assign_optimal(problem, solver="highs")
        same = highs.zero_employment_households_covered == optimal.zero_employment_households_covered and abs(
            highs.total_score - optimal.total_score
        ) <= 1e-6 * max(optimal.assigned, 1)
        table(
            "Optimal through HiGHS (scipy) instead of OR-Tools",
            [
                ("time, whole call", f"{highs.stats.seconds:.2f} s"),
                ("time ratio HiGHS / OR-Tools", f"{highs.stats.seconds / optimal.stats.seconds:.1f}"),
                ("same objective", "yes" if same else f"NO: {highs.total_score} vs {optimal.total_score}"),
            ],
        )


def reference_sweep(args) -> None:
    if not reference_available():
        print("\nReference sweep skipped: `matching` is not installed in .venv/reference (scripts/setup.sh)")
        return
    print(
        f"\nReference sweep: matching.HospitalResident vs our stable mode (limit {args.reference_limit:.0f} s)"
    )
    print("  ours = the whole assign() call; reference = its game built from preference dicts (input")
    print("  checks and deep copy included) + solve, in a subprocess; ratio = reference total / ours")
    print("-" * 100)
    header = (
        "residents",
        "postings",
        "edges",
        "ours s",
        "ref build s",
        "ref solve s",
        "ref total s",
        "ratio",
    )
    print("  " + " ".join(f"{name:>11}" for name in header) + "  agree")
    largest = None
    for size in args.reference_sizes:
        postings = max(1, size // 10)
        problem = realistic_problem(
            args.seed, residents=size, postings=postings, openings=max(1, size // 2), k=min(args.k, postings)
        )
        ours = assign(problem, mode="stable")
        prefs = preference_lists(problem, priority_zero_employment=True)
        cells = [f"{size:,}", f"{postings:,}", f"{problem.graph.n_edges:,}", f"{ours.stats.seconds:.3f}"]
        try:
            (result,) = reference_solve([prefs], timeout=args.reference_limit)
        except subprocess.TimeoutExpired:
            limit = args.reference_limit
            cells += ["", "", f"> {limit:.0f}", f"> {limit / ours.stats.seconds:.0f}"]
            print("  " + " ".join(f"{cell:>11}" for cell in cells) + "  -  (stopped at the limit)")
            break
        except RuntimeError as error:
            cells += ["", "", "failed", ""]
            print("  " + " ".join(f"{cell:>11}" for cell in cells) + f"  -  {str(error)[-200:]}")
            break
        total = result["build"] + result["solve"]
        cells += [
            f"{result['build']:.2f}",
            f"{result['solve']:.2f}",
            f"{total:.2f}",
            f"{total / ours.stats.seconds:.0f}",
        ]
        agree = "yes" if result["pairs"] == engine_pairs(ours) else "NO"
        print("  " + " ".join(f"{cell:>11}" for cell in cells) + f"  {agree}")
        sys.stdout.flush()
        largest = size
    print(f"  largest instance the reference solved: {f'{largest:,} residents' if largest else 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--postings", type=int, default=2_000)
    parser.add_argument("--openings", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=50, help="candidate postings per resident")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-highs", dest="highs", action="store_false", help="skip the HiGHS cross-check")
    parser.add_argument(
        "--reference-sizes",
        type=lambda text: [int(part) for part in text.split(",") if part.strip()],
        default=[500, 1_000, 2_000, 5_000, 10_000, 20_000],
        help="comma-separated resident counts for the reference sweep ('' to skip)",
    )
    parser.add_argument("--reference-limit", type=float, default=60.0, help="seconds")
    parser.add_argument("--memory-child", choices=["optimal", "stable"], help=argparse.SUPPRESS)
    parser.add_argument("--problem-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.problem_file)
        return
    print(
        f"OR-Tools installed: {ortools_available()}; CPUs: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}"
    )
    full_size(args)
    reference_sweep(args)
    print(f"\nru_maxrss of this benchmark process: {max_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
