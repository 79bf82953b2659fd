"""Stable assignment: resident-proposing deferred acceptance with capacities (hospitals/residents).

Preferences, both strict:
- a resident ranks the postings of its candidate edges by score descending, ties by posting id
  ascending;
- a posting ranks the residents who have it as a candidate: with `priority_zero_employment`
  (the default), members of zero-employment households first, as the household flag stood when
  the run began; then by score descending, ties by resident id ascending.

A posting with no openings is acceptable to no one. The result is the resident-optimal stable
matching: no resident and posting would both rather have each other than what they got (no
blocking pair), and every resident gets the best posting it has in any stable matching.
"""

from __future__ import annotations

import heapq
import time
from array import array
from dataclasses import dataclass, replace

import numpy as np

from .contracts import AssignmentProblem, AssignmentProposal, SolverStats, proposal_build


@dataclass(frozen=True, eq=False)
class _Preferences:
    """Both sides' strict orders over the usable edges (numbered 0..u−1 in graph order)."""

    edges: np.ndarray  # (u,) graph edge of each usable edge
    residents: np.ndarray  # (u,) resident position
    postings: np.ndarray  # (u,) posting position
    by_resident: np.ndarray  # usable edges grouped by resident, each group best first
    by_posting: np.ndarray  # usable edges grouped by posting, each group best first
    resident_rank: np.ndarray  # (u,) position in by_resident: lower is preferred by the resident
    posting_rank: np.ndarray  # (u,) position in by_posting: lower is preferred by the posting


def _preferences(problem: AssignmentProblem, *, priority_zero_employment: bool) -> _Preferences:
    graph = problem.graph
    edges = problem.usable_edges
    residents = graph.resident_index[edges]
    postings = graph.posting_index[edges]
    score = graph.score[edges]
    resident_ids = problem.residents.ids[residents]
    posting_ids = problem.postings.ids[postings]
    if priority_zero_employment:
        later_group = ~problem.resident_zero_employment[residents]
    else:
        later_group = np.zeros(edges.size, dtype=bool)
    # np.lexsort sorts by the last key first.
    by_resident = np.lexsort((posting_ids, -score, residents))
    by_posting = np.lexsort((resident_ids, -score, later_group, postings))
    resident_rank = np.empty(edges.size, dtype=np.int64)
    resident_rank[by_resident] = np.arange(edges.size)
    posting_rank = np.empty(edges.size, dtype=np.int64)
    posting_rank[by_posting] = np.arange(edges.size)
    return _Preferences(edges, residents, postings, by_resident, by_posting, resident_rank, posting_rank)


def _int_array(values: np.ndarray) -> array:
    return array("q", np.ascontiguousarray(values, dtype=np.int64).tobytes())


def _deferred_acceptance(
    prefs: _Preferences, openings: np.ndarray, n_residents: int
) -> tuple[np.ndarray, int]:
    """Usable edges of the resident-optimal stable matching, and the number of proposals made.

    Residents propose one at a time down their lists (McVitie–Wilson order; any order gives the
    same matching). Each posting keeps its held residents in a heap keyed by −rank, so the
    worst held is on top and a better proposal replaces it in O(log openings).
    """
    order = prefs.by_resident
    # Flat int64 arrays: as fast to index from Python as lists, at a quarter of the memory.
    next_choice = _int_array(np.searchsorted(prefs.residents[order], np.arange(n_residents + 1)))
    list_end = next_choice[1:]
    posting_of = _int_array(prefs.postings[order])
    rank_of = _int_array(prefs.posting_rank[order])
    resident_at_rank = _int_array(prefs.residents[prefs.by_posting])
    capacity = openings.tolist()
    held: list[list[int]] = [[] for _ in capacity]
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    proposals = 0

    for first in np.unique(prefs.residents).tolist():
        resident = first
        while resident >= 0:  # the resident proposing now; −1 once someone is held without bumping anyone
            choice = next_choice[resident]
            if choice == list_end[resident]:
                break  # list exhausted: stays unassigned
            next_choice[resident] = choice + 1
            proposals += 1
            posting, rank = posting_of[choice], rank_of[choice]
            heap = held[posting]
            if len(heap) < capacity[posting]:
                heappush(heap, -rank)
                resident = -1
            elif rank < -heap[0]:
                bumped = -heapreplace(heap, -rank)
                resident = resident_at_rank[bumped]
            # else: rejected; the same resident proposes to its next choice

    held_ranks = np.fromiter((-key for heap in held for key in heap), dtype=np.int64)
    return prefs.by_posting[held_ranks], proposals


def assign_stable(problem: AssignmentProblem, *, priority_zero_employment: bool = True) -> AssignmentProposal:
    """The resident-optimal stable assignment under the preferences described in this module."""
    started = time.perf_counter()
    prefs = _preferences(problem, priority_zero_employment=priority_zero_employment)
    solve_started = time.perf_counter()
    chosen, proposals = _deferred_acceptance(prefs, problem.postings.openings, problem.residents.ids.size)
    solve_seconds = time.perf_counter() - solve_started
    stats = SolverStats(
        solver="deferred-acceptance",
        seconds=0.0,  # set below, once the proposal is built
        solve_seconds=solve_seconds,
        residents=int(np.unique(prefs.residents).size),
        postings=int(np.unique(prefs.postings).size),
        edges=int(prefs.edges.size),
        priority_zero_employment=priority_zero_employment,
        proposals=proposals,
    )
    proposal = proposal_build(problem, prefs.edges[chosen], mode="stable", stats=stats)
    return replace(proposal, stats=replace(stats, seconds=time.perf_counter() - started))


def blocking_pairs(
    proposal: AssignmentProposal,
    problem: AssignmentProblem,
    *,
    priority_zero_employment: bool | None = None,
) -> list[tuple[int, int]]:
    """(resident_id, posting_id) pairs of usable edges, not assigned to each other, where the
    resident is unassigned or prefers the posting to its own, and the posting has a free opening
    or prefers the resident to the worst it holds. Preferences as in `assign_stable`;
    `priority_zero_employment=None` takes the setting the proposal was made with.
    """
    if priority_zero_employment is None:
        priority_zero_employment = proposal.stats.priority_zero_employment
    if proposal.filled.size != problem.postings.ids.size or not np.array_equal(
        proposal.posting_ids, problem.postings.ids
    ):
        raise ValueError("the proposal was made for a different problem")
    prefs = _preferences(problem, priority_zero_employment=priority_zero_employment)
    n_postings = problem.postings.ids.size
    # Usable edges are in graph order, i.e. sorted by (resident, posting) position.
    edge_keys = prefs.residents * n_postings + prefs.postings
    wanted = proposal.resident_index * n_postings + proposal.posting_index
    found = np.minimum(np.searchsorted(edge_keys, wanted), max(edge_keys.size - 1, 0))
    if wanted.size and (edge_keys.size == 0 or np.any(edge_keys[found] != wanted)):
        raise ValueError("the proposal assigns a pair that is not a usable candidate edge")
    assigned = found

    no_rank = np.iinfo(np.int64).max
    current_rank = np.full(problem.residents.ids.size, no_rank, dtype=np.int64)
    current_rank[prefs.residents[assigned]] = prefs.resident_rank[assigned]
    worst_held = np.full(n_postings, -1, dtype=np.int64)
    np.maximum.at(worst_held, prefs.postings[assigned], prefs.posting_rank[assigned])
    filled = np.bincount(prefs.postings[assigned], minlength=n_postings)

    resident_wants = prefs.resident_rank < current_rank[prefs.residents]
    posting_wants = (filled[prefs.postings] < problem.postings.openings[prefs.postings]) | (
        prefs.posting_rank < worst_held[prefs.postings]
    )
    blocking = np.flatnonzero(resident_wants & posting_wants)
    pairs = zip(
        problem.residents.ids[prefs.residents[blocking]].tolist(),
        problem.postings.ids[prefs.postings[blocking]].tolist(),
        strict=True,
    )
    return sorted(pairs)
