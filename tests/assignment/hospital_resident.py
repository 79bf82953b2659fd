"""The `matching` package's HospitalResident solver, as an independent reference for stable mode.

Its top-level package is also called `matching`, like our Django app, so `scripts/setup.sh`
installs it off the import path, into `.venv/reference/`, and it runs here in a subprocess
whose path holds that folder and not the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from matching.engine.assignment import AssignmentProblem

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_PATH = ROOT / ".venv" / "reference"

Preferences = tuple[dict[int, list[int]], dict[int, list[int]], dict[int, int]]

# Reads a JSON list of [resident_prefs, posting_prefs, capacities] from stdin and writes, for
# each, {"pairs": [[resident, posting], ...], "build": s, "solve": s}. The game deep-copies its
# players, recursing through the whole preference graph (past the default limit from about
# 1,000 residents), so it runs on a thread with a deep stack.
_RUNNER = r"""
import json, sys, threading, time, warnings
import matching
assert matching.__file__.startswith(sys.argv[1]), matching.__file__
from matching.games import HospitalResident

def solve_all(instances, out):
    for resident_prefs, posting_prefs, capacities in instances:
        resident_prefs = {int(k): v for k, v in resident_prefs.items()}
        posting_prefs = {int(k): v for k, v in posting_prefs.items()}
        capacities = {int(k): v for k, v in capacities.items()}
        if not resident_prefs:
            out.append({"pairs": [], "build": 0.0, "solve": 0.0})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            started = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(resident_prefs, posting_prefs, capacities)
            built = time.perf_counter()
            result = game.solve(optimal="resident")
            solved = time.perf_counter()
        pairs = sorted([r.name, h.name] for h, held in result.items() for r in held)
        out.append({"pairs": pairs, "build": built - started, "solve": solved - built})

instances = json.load(sys.stdin)
out = []
sys.setrecursionlimit(5_000_000)
threading.stack_size(2 * 1024 ** 3)
worker = threading.Thread(target=solve_all, args=(instances, out))
worker.start()
worker.join()
if len(out) != len(instances):
    sys.exit("the reference solver failed")
json.dump(out, sys.stdout)
"""


def reference_available() -> bool:
    return (REFERENCE_PATH / "matching" / "games" / "hospital_resident.py").is_file()


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(REFERENCE_PATH)
    return env


def reference_solve(instances: list[Preferences], *, timeout: float | None = None) -> list[dict]:
    """Solve each instance with `matching`'s HospitalResident (resident-optimal), in one subprocess.

    Returns per instance {"pairs": sorted [(resident_id, posting_id)], "build": s, "solve": s}.
    Raises subprocess.TimeoutExpired past `timeout` (the child is killed) and RuntimeError if
    the child fails.
    """
    payload = json.dumps(
        [[{str(k): v for k, v in part.items()} for part in instance] for instance in instances]
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", _RUNNER, str(REFERENCE_PATH)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REFERENCE_PATH,
        env=_environment(),
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"reference solver failed: {completed.stderr.strip()[-2000:]}")
    results = json.loads(completed.stdout)
    for result in results:
        result["pairs"] = [tuple(pair) for pair in result["pairs"]]
    return results


def preference_lists(problem: AssignmentProblem, *, priority_zero_employment: bool) -> Preferences:
    """Resident and posting preference lists (ids, best first) and capacities, written out from
    the documented rule with plain sorting, independently of the engine's arrays."""
    graph = problem.graph
    resident_ids = problem.residents.ids.tolist()
    posting_ids = problem.postings.ids.tolist()
    openings = problem.postings.openings.tolist()
    zero = problem.resident_zero_employment.tolist()
    edges = [
        (r, p, s)
        for r, p, s in zip(
            graph.resident_index.tolist(), graph.posting_index.tolist(), graph.score.tolist(), strict=True
        )
        if openings[p] > 0
    ]
    resident_prefs: dict[int, list[int]] = {}
    for r, p, _s in sorted(edges, key=lambda e: (e[0], -e[2], posting_ids[e[1]])):
        resident_prefs.setdefault(resident_ids[r], []).append(posting_ids[p])

    def posting_key(edge):
        r, p, s = edge
        first = 0 if (zero[r] or not priority_zero_employment) else 1
        return (p, first, -s, resident_ids[r])

    posting_prefs: dict[int, list[int]] = {}
    for r, p, _s in sorted(edges, key=posting_key):
        posting_prefs.setdefault(posting_ids[p], []).append(resident_ids[r])
    opening_of = dict(zip(posting_ids, openings, strict=True))
    capacities = {posting: opening_of[posting] for posting in posting_prefs}
    return resident_prefs, posting_prefs, capacities


def engine_pairs(proposal) -> list[tuple[int, int]]:
    return sorted((pair.resident_id, pair.posting_id) for pair in proposal.pairs)
