"""Stable mode: deferred acceptance with capacities, checked for blocking pairs and against the
`matching` package's HospitalResident solver."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine.assignment import assign_optimal, assign_stable, blocking_pairs
from matching.engine.assignment.contracts import SolverStats, proposal_build

from .factories import problem_from_arrays, random_small_problem, realistic_problem
from .helpers import assert_feasible, naive_blocking_pairs
from .hospital_resident import engine_pairs, preference_lists, reference_available, reference_solve

SEEDS = range(15)
PRIORITY = [True, False]
# (priority, seed, ties) of the random instances compared with the reference solver. Without
# ties the preferences are strict by score; with ties they are made strict by ids. Either way
# the resident-optimal stable matching is unique, so the pairs must be identical.
REFERENCE_CASES = [
    (priority, seed, ties) for priority in PRIORITY for seed in SEEDS for ties in (False, True)
]
REALISTIC_CASES = [(priority, "realistic", False) for priority in PRIORITY]


def reference_problem(seed, ties):
    if seed == "realistic":
        return realistic_problem(3, residents=300, postings=30, openings=150, k=10)
    return random_small_problem(seed, ties=ties, residents=(6, 30), postings=(2, 8))


@pytest.fixture(scope="module")
def reference_pairs():
    """The reference solver's pairs for every case, computed in one subprocess."""
    if not reference_available():
        pytest.skip("the `matching` reference solver is not installed in .venv/reference (scripts/setup.sh)")
    cases = REFERENCE_CASES + REALISTIC_CASES
    instances = [
        preference_lists(reference_problem(seed, ties), priority_zero_employment=priority)
        for priority, seed, ties in cases
    ]
    return dict(zip(cases, (result["pairs"] for result in reference_solve(instances)), strict=True))


@pytest.mark.parametrize("priority", PRIORITY)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ties", [False, True])
def test_no_blocking_pair(priority, seed, ties):
    problem = random_small_problem(seed, ties=ties, residents=(6, 25), postings=(2, 8))
    proposal = assign_stable(problem, priority_zero_employment=priority)
    assert_feasible(proposal, problem)
    assert proposal.mode == "stable"
    assert proposal.stats.priority_zero_employment is priority
    assert blocking_pairs(proposal, problem) == []
    assert naive_blocking_pairs(proposal, problem, priority_zero_employment=priority) == []


@pytest.mark.parametrize("case", REFERENCE_CASES + REALISTIC_CASES, ids=str)
def test_same_matching_as_the_matching_package(case, reference_pairs):
    priority, seed, ties = case
    problem = reference_problem(seed, ties)
    proposal = assign_stable(problem, priority_zero_employment=priority)
    assert engine_pairs(proposal) == reference_pairs[case]
    assert blocking_pairs(proposal, problem) == []


def random_feasible_edges(problem, rng) -> np.ndarray:
    """A random assignment respecting both capacities (not stable in general)."""
    graph = problem.graph
    left = problem.postings.openings.copy()
    taken: set[int] = set()
    chosen = []
    for edge in rng.permutation(graph.n_edges).tolist():
        resident, posting = int(graph.resident_index[edge]), int(graph.posting_index[edge])
        if resident not in taken and left[posting] > 0 and rng.random() < 0.6:
            taken.add(resident)
            left[posting] -= 1
            chosen.append(edge)
    return np.array(chosen, dtype=np.int64)


@pytest.mark.parametrize("priority", PRIORITY)
@pytest.mark.parametrize("seed", SEEDS)
def test_blocking_pairs_match_the_textbook_definition(priority, seed):
    problem = random_small_problem(seed, ties=seed % 2 == 0, residents=(6, 20))
    rng = np.random.default_rng(seed)
    stats = SolverStats(
        solver="test",
        seconds=0.0,
        solve_seconds=0.0,
        residents=0,
        postings=0,
        edges=0,
        priority_zero_employment=priority,
    )
    proposals = [
        proposal_build(problem, random_feasible_edges(problem, rng), mode="stable", stats=stats),
        proposal_build(problem, np.zeros(0, dtype=np.int64), mode="stable", stats=stats),
        assign_optimal(problem, priority_zero_employment=priority),
    ]
    for proposal in proposals:
        expected = naive_blocking_pairs(proposal, problem, priority_zero_employment=priority)
        assert blocking_pairs(proposal, problem, priority_zero_employment=priority) == expected


def test_the_optimal_proposal_may_be_unstable():
    # Resident 10 prefers posting 1 (0.9); the optimal run sends it to posting 2 so that
    # resident 20 can also work. Posting 1 holds 20 at 0.5 and would rather have 10.
    problem = problem_from_arrays(
        [0, 1],
        [False, False],
        [1, 1],
        [(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.5)],
        resident_ids=[10, 20],
        posting_ids=[1, 2],
    )
    optimal = assign_optimal(problem)
    assert engine_pairs(optimal) == [(10, 2), (20, 1)]
    assert blocking_pairs(optimal, problem) == [(10, 1)]
    stable = assign_stable(problem)
    assert engine_pairs(stable) == [(10, 1)]
    assert blocking_pairs(stable, problem) == []


@pytest.mark.parametrize(("priority", "winner"), [(True, 20), (False, 10)])
def test_posting_priority_for_zero_employment_households(priority, winner):
    # One opening; resident 10 scores higher, resident 20 lives in a zero-employment household.
    problem = problem_from_arrays(
        [0, 1], [False, True], [1], [(0, 0, 0.9), (1, 0, 0.1)], resident_ids=[10, 20], posting_ids=[5]
    )
    proposal = assign_stable(problem, priority_zero_employment=priority)
    assert engine_pairs(proposal) == [(winner, 5)]
    assert proposal.zero_employment_households_covered == int(winner == 20)
    assert blocking_pairs(proposal, problem) == []
    # Judged under the other rule, the same proposal has the loser and the posting blocking it.
    loser = 30 - winner
    assert blocking_pairs(proposal, problem, priority_zero_employment=not priority) == [(loser, 5)]


def test_ties_go_to_the_lower_posting_id_and_the_lower_resident_id():
    # Resident 30 scores 0.5 at postings 8 and 4: it proposes to 4 first. Posting 4 has one
    # opening and residents 30 and 10 tie at 0.5: it keeps 10; 30 moves on to 8.
    problem = problem_from_arrays(
        [0, 1],
        [False, False],
        [1, 1],
        [(0, 0, 0.5), (0, 1, 0.5), (1, 1, 0.5)],
        resident_ids=[30, 10],
        posting_ids=[8, 4],
    )
    assert engine_pairs(assign_stable(problem)) == [(10, 4), (30, 8)]


def test_a_proposal_for_another_problem_is_refused():
    problem = problem_from_arrays([0], [False], [1], [(0, 0, 0.5)])
    other = problem_from_arrays([0], [False], [1, 1], [(0, 0, 0.5)])
    with pytest.raises(ValueError, match="different problem"):
        blocking_pairs(assign_stable(other), problem)
