"""Inputs of batch assignment: validation, canonical edge order, and the ways to build a graph."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine.assignment import (
    AssignmentProblem,
    CandidateGraph,
    Households,
    Postings,
    Residents,
    assign,
)

from .factories import problem_from_arrays


def test_edges_are_sorted_by_resident_then_posting_and_read_only():
    graph = CandidateGraph([2, 0, 2, 0], [1, 1, 0, 0], [0.5, 0.25, 1.0, 0.0], n_residents=3, n_postings=2)
    assert graph.resident_index.tolist() == [0, 0, 2, 2]
    assert graph.posting_index.tolist() == [0, 1, 0, 1]
    assert graph.score.tolist() == [0.0, 0.25, 1.0, 0.5]
    assert graph.n_edges == 4
    with pytest.raises(ValueError, match="read-only"):
        graph.score[0] = 0.9


@pytest.mark.parametrize(
    ("rows", "cols", "scores", "message"),
    [
        ([0, 0], [1, 1], [0.5, 0.6], "listed twice"),
        ([0], [0], [1.5], r"in \[0, 1\]"),
        ([0], [0], [-0.1], r"in \[0, 1\]"),
        ([0], [0], [np.nan], r"in \[0, 1\]"),
        ([3], [0], [0.5], "resident_index outside"),
        ([0], [-1], [0.5], "posting_index outside"),
        ([0, 1], [0], [0.5], "posting_index has 1 entries"),
    ],
)
def test_bad_edges_are_refused(rows, cols, scores, message):
    with pytest.raises(ValueError, match=message):
        CandidateGraph(rows, cols, scores, n_residents=3, n_postings=2)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Residents([1, 1], [5, 5]), "repeated id"),
        (lambda: Residents([1, 2], [5]), "household_ids has 1 entries"),
        (lambda: Households([5, 6], [True]), "zero_employment has 1 entries"),
        (lambda: Postings([7, 8], [1, -2]), "posting 8 has openings=-2"),
        (lambda: Postings([7, 7], [1, 1]), "repeated id"),
    ],
)
def test_bad_tables_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_a_resident_of_an_unknown_household_is_refused():
    graph = CandidateGraph([], [], [], n_residents=1, n_postings=1)
    with pytest.raises(ValueError, match="household 9 is unknown"):
        AssignmentProblem(Residents([1], [9]), Households([5], [True]), Postings([7], [1]), graph)


def test_a_graph_of_another_shape_is_refused():
    graph = CandidateGraph([], [], [], n_residents=2, n_postings=1)
    with pytest.raises(ValueError, match="2 residents, expected 1"):
        AssignmentProblem(Residents([1], [5]), Households([5], [False]), Postings([7], [1]), graph)


def test_from_csr_keeps_stored_zeros_as_edges_and_round_trips():
    matrix = sp.csr_array(
        (np.array([0.0, 0.7, 0.3]), (np.array([0, 0, 2]), np.array([0, 1, 1]))), shape=(3, 2)
    )
    graph = CandidateGraph.from_csr(matrix)
    assert graph.n_edges == 3
    assert (graph.n_residents, graph.n_postings) == (3, 2)
    assert graph.to_csr().toarray().tolist() == matrix.toarray().tolist()


def test_from_top_k_maps_ids_to_positions_and_skips_padding():
    residents = Residents([30, 10, 20], [1, 1, 2])
    postings = Postings([7, 5], [1, 1])
    graph = CandidateGraph.from_top_k(
        [10, 20],
        [[5, 7], [7, -1]],
        [[0.9, 0.4], [0.6, np.nan]],
        residents=residents,
        postings=postings,
    )
    triples = list(
        zip(graph.resident_index.tolist(), graph.posting_index.tolist(), graph.score.tolist(), strict=True)
    )
    assert triples == [(1, 0, 0.4), (1, 1, 0.9), (2, 0, 0.6)]
    with pytest.raises(ValueError, match="posting 99 is unknown"):
        CandidateGraph.from_top_k([10], [[99]], [[0.5]], residents=residents, postings=postings)


def test_unknown_mode_and_solver_are_refused():
    problem = problem_from_arrays([0], [True], [1], [(0, 0, 0.5)])
    with pytest.raises(ValueError, match="mode='greedy'"):
        assign(problem, mode="greedy")
    with pytest.raises(ValueError, match="solver='cplex'"):
        assign(problem, solver="cplex")


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_a_run_with_no_job_seekers_proposes_nothing(mode):
    """A station whose residents are all in work: the top-k arrays are empty (0 × k, or 0 × 1 padding)."""
    residents = Residents(ids=np.zeros(0, dtype=np.int64), household_ids=np.zeros(0, dtype=np.int64))
    households = Households(ids=np.zeros(0, dtype=np.int64), zero_employment=np.zeros(0, dtype=bool))
    postings = Postings(ids=np.array([5, 6]), openings=np.array([1, 2]))
    for width in (0, 1, 10):
        graph = CandidateGraph.from_top_k(np.zeros(0), np.zeros((0, width)), np.zeros((0, width)),
                                          residents=residents, postings=postings)
        assert (graph.n_edges, graph.n_residents, graph.n_postings) == (0, 0, 2)
        proposal = assign(AssignmentProblem(residents, households, postings, graph), mode=mode)
        assert list(proposal.pairs) == []
        assert proposal.zero_employment_households_coverable == 0
