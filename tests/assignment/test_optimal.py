"""Optimal mode: most zero-employment households covered, then the best total score, checked against
scipy's Hungarian method and a two-stage integer program."""

from __future__ import annotations

import pytest

from matching.engine.assignment import assign, assign_optimal, assign_stable, ortools_available

from .factories import problem_from_arrays, random_small_problem, realistic_problem
from .helpers import SCORE_TOLERANCE, assert_feasible, linear_sum_assignment_total, milp_lexicographic

SOLVERS = [
    pytest.param(
        "ortools", marks=pytest.mark.skipif(not ortools_available(), reason="OR-Tools is not installed")
    ),
    "highs",
]
SEEDS = range(12)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ties", [False, True])
def test_total_is_the_hungarian_optimum_when_no_household_is_zero_employment(solver, seed, ties):
    problem = random_small_problem(seed, zero_share=0.0, ties=ties)
    proposal = assign_optimal(problem, solver=solver)
    assert_feasible(proposal, problem)
    assert proposal.mode == "optimal"
    assert proposal.zero_employment_households_covered == 0
    assert proposal.total_score == pytest.approx(linear_sum_assignment_total(problem), abs=SCORE_TOLERANCE)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", SEEDS)
def test_without_priority_the_flags_are_ignored(solver, seed):
    problem = random_small_problem(seed, zero_share=0.5)
    proposal = assign_optimal(problem, solver=solver, priority_zero_employment=False)
    assert_feasible(proposal, problem)
    assert not proposal.stats.priority_zero_employment
    assert proposal.total_score == pytest.approx(linear_sum_assignment_total(problem), abs=SCORE_TOLERANCE)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ties", [False, True])
def test_households_first_then_score_as_the_integer_program(solver, seed, ties):
    # Few openings and many candidates: the household priority changes the answer in most seeds.
    problem = random_small_problem(
        seed, zero_share=0.5, ties=ties, density=0.5, openings=(0, 2), residents=(8, 14), postings=(3, 6)
    )
    proposal = assign_optimal(problem, solver=solver)
    assert_feasible(proposal, problem)
    covered, total = milp_lexicographic(problem)
    assert proposal.zero_employment_households_covered == covered
    assert proposal.total_score == pytest.approx(total, abs=SCORE_TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_optimal_is_no_worse_than_stable_on_what_it_optimises(seed):
    problem = random_small_problem(seed, zero_share=0.4, residents=(10, 20), postings=(3, 8))
    with_priority = assign_optimal(problem)
    assert (
        with_priority.zero_employment_households_covered
        >= assign_stable(problem).zero_employment_households_covered
    )
    by_score = assign_optimal(problem, priority_zero_employment=False)
    stable = assign_stable(problem, priority_zero_employment=False)
    assert by_score.total_score >= stable.total_score - SCORE_TOLERANCE


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_new_household_beats_a_higher_score_in_a_covered_one(solver):
    # Households 0 and 1 have no one in work. Residents 0 and 1 (household 0) could take both
    # postings for 0.9 + 0.8; placing resident 2 (household 1) instead covers both households.
    problem = problem_from_arrays(
        [0, 0, 1],
        [True, True],
        [1, 1],
        [(0, 0, 0.9), (1, 1, 0.8), (2, 0, 0.2), (2, 1, 0.3)],
        resident_ids=[11, 12, 21],
        posting_ids=[1, 2],
    )
    proposal = assign_optimal(problem, solver=solver)
    assert [tuple(pair) for pair in proposal.pairs] == [(11, 1, 0.9), (21, 2, 0.3)]
    assert proposal.zero_employment_households_covered == 2
    assert proposal.zero_employment_households_coverable == 2
    by_score = assign_optimal(problem, solver=solver, priority_zero_employment=False)
    assert [tuple(pair) for pair in by_score.pairs] == [(11, 1, 0.9), (12, 2, 0.8)]
    assert by_score.zero_employment_households_covered == 1


@pytest.mark.parametrize("solver", SOLVERS)
def test_nobody_is_forced_into_a_posting_and_zero_scores_count(solver):
    problem = problem_from_arrays([0, 1], [False, False], [1, 1], [(0, 0, 0.0), (1, 0, 0.4)])
    proposal = assign_optimal(problem, solver=solver)
    assert_feasible(proposal, problem)
    assert proposal.assigned == 1
    assert proposal.total_score == pytest.approx(0.4)


@pytest.mark.parametrize("mode", ["optimal", "stable"])
@pytest.mark.parametrize(
    ("household_of", "zero", "openings", "edges"),
    [
        pytest.param([], [], [], [], id="empty"),
        pytest.param([0, 0], [True], [], [], id="no-postings"),
        pytest.param([], [], [2, 1], [], id="no-residents"),
        pytest.param([0, 1], [True, False], [2, 1], [], id="no-edges"),
        pytest.param([0, 1], [True, False], [0, 0], [(0, 0, 0.9), (1, 1, 0.5)], id="no-openings"),
    ],
)
def test_nothing_to_assign(mode, household_of, zero, openings, edges):
    problem = problem_from_arrays(household_of, zero, openings, edges)
    proposal = assign(problem, mode=mode)
    assert_feasible(proposal, problem)
    assert proposal.pairs == ()
    assert proposal.total_score == 0.0
    assert proposal.filled.tolist() == [0] * len(openings)
    assert proposal.zero_employment_households_covered == 0
    assert proposal.zero_employment_households_coverable == 0
    assert proposal.stats.edges == 0


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_a_closed_posting_and_a_resident_without_candidates(mode):
    # Posting 1 has no openings left; resident 1 has no candidates at all.
    problem = problem_from_arrays(
        [0, 1, 1], [True, False], [2, 0], [(0, 0, 0.3), (0, 1, 0.9), (2, 0, 0.8)], posting_ids=[8, 9]
    )
    proposal = assign(problem, mode=mode)
    assert_feasible(proposal, problem)
    assert proposal.fill_by_posting == {8: 2, 9: 0}
    assert proposal.total_score == pytest.approx(1.1)
    assert proposal.zero_employment_households_covered == 1
    assert (proposal.stats.residents, proposal.stats.postings, proposal.stats.edges) == (2, 1, 2)


def test_scores_are_rounded_to_the_scale():
    problem = problem_from_arrays([0, 1], [False, False], [1], [(0, 0, 0.5000001), (1, 0, 0.5000004)])
    assert assign_optimal(problem, score_scale=10**6).stats.score_scale == 10**6
    assert assign_optimal(problem, score_scale=10**7).pairs[0].score == 0.5000004
    with pytest.raises(ValueError, match="score_scale=0"):
        assign_optimal(problem, score_scale=0)


@pytest.mark.skipif(not ortools_available(), reason="OR-Tools is not installed")
@pytest.mark.parametrize("priority", [True, False])
def test_both_solvers_reach_the_same_objective_on_a_realistic_instance(priority):
    problem = realistic_problem(2, residents=600, postings=60, openings=300, k=15)
    ortools = assign_optimal(problem, solver="ortools", priority_zero_employment=priority)
    highs = assign_optimal(problem, solver="highs", priority_zero_employment=priority)
    for proposal in (ortools, highs):
        assert_feasible(proposal, problem)
    assert ortools.zero_employment_households_covered == highs.zero_employment_households_covered
    assert ortools.total_score == pytest.approx(highs.total_score, abs=SCORE_TOLERANCE)
    assert (ortools.stats.solver, highs.stats.solver) == ("ortools-min-cost-flow", "highs-lp")
