"""Independent checks of assignment proposals: feasibility, exact optima by other solvers, blocking pairs."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from matching.engine.assignment import AssignmentProblem, AssignmentProposal

from .hospital_resident import preference_lists

# Optimal mode rounds scores to 1e-6; its total may trail the float optimum by that much per pair.
SCORE_TOLERANCE = 1e-5


def feasibility_problems(proposal: AssignmentProposal, problem: AssignmentProblem) -> list[str]:
    """Everything wrong with a proposal, in words (empty when it is feasible and self-consistent)."""
    graph = problem.graph
    resident_ids = problem.residents.ids.tolist()
    posting_ids = problem.postings.ids.tolist()
    openings = dict(zip(posting_ids, problem.postings.openings.tolist(), strict=True))
    score_of = {
        (resident_ids[r], posting_ids[p]): s
        for r, p, s in zip(
            graph.resident_index.tolist(), graph.posting_index.tolist(), graph.score.tolist(), strict=True
        )
    }
    household_of = dict(zip(resident_ids, problem.residents.household_ids.tolist(), strict=True))
    zero = dict(
        zip(problem.households.ids.tolist(), problem.households.zero_employment.tolist(), strict=True)
    )

    found: list[str] = []
    seen: set[int] = set()
    fill: dict[int, int] = dict.fromkeys(posting_ids, 0)
    for resident, posting, score in proposal.pairs:
        if resident in seen:
            found.append(f"resident {resident} is assigned twice")
        seen.add(resident)
        if (resident, posting) not in score_of:
            found.append(f"({resident}, {posting}) is not a candidate edge")
        elif score_of[(resident, posting)] != score:
            found.append(
                f"({resident}, {posting}) carries score {score}, not {score_of[(resident, posting)]}"
            )
        fill[posting] = fill.get(posting, 0) + 1
    for posting, count in fill.items():
        if count > openings.get(posting, 0):
            found.append(f"posting {posting} gets {count} > {openings.get(posting, 0)} openings")
    if proposal.fill_by_posting != fill:
        found.append("filled counts do not match the pairs")
    if not np.isclose(proposal.total_score, sum(pair.score for pair in proposal.pairs), rtol=0, atol=1e-9):
        found.append("total_score is not the sum of the pairs' scores")
    covered = {household_of[resident] for resident, _, _ in proposal.pairs if zero[household_of[resident]]}
    if proposal.zero_employment_households_covered != len(covered):
        found.append(f"covered {proposal.zero_employment_households_covered}, counted {len(covered)}")
    if proposal.zero_employment_households_covered > proposal.zero_employment_households_coverable:
        found.append("more households covered than coverable")
    if [pair.resident_id for pair in proposal.pairs] != sorted(seen):
        found.append("pairs are not in resident id order")
    return found


def assert_feasible(proposal: AssignmentProposal, problem: AssignmentProblem) -> None:
    assert feasibility_problems(proposal, problem) == []


def linear_sum_assignment_total(problem: AssignmentProblem) -> float:
    """Best total score by scipy's Hungarian method on the expanded matrix: one column per
    opening, one private 'unassigned' column (score 0) per resident, non-edges forbidden."""
    graph = problem.graph
    n = graph.n_residents
    openings = problem.postings.openings
    slots = np.repeat(np.arange(openings.size), openings)
    scores = np.full((n, slots.size + n), -np.inf)
    dense = np.full((n, openings.size), -np.inf)
    dense[graph.resident_index, graph.posting_index] = graph.score
    scores[:, : slots.size] = dense[:, slots]
    scores[np.arange(n), slots.size + np.arange(n)] = 0.0
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return float(scores[rows, cols].sum())


def milp_lexicographic(problem: AssignmentProblem) -> tuple[int, float]:
    """(most zero-employment households coverable at once, best total score given that many),
    by two integer programs solved with HiGHS branch and bound: an independent reference."""
    graph = problem.graph
    n_edges = graph.n_edges
    zero_households = np.flatnonzero(problem.households.zero_employment)
    n_vars = n_edges + zero_households.size  # x per edge, then y per zero-employment household
    rows: list[np.ndarray] = []
    upper: list[float] = []
    for resident in range(graph.n_residents):  # one posting per resident
        row = np.zeros(n_vars)
        row[:n_edges] = graph.resident_index == resident
        rows.append(row)
        upper.append(1.0)
    for posting in range(graph.n_postings):  # openings
        row = np.zeros(n_vars)
        row[:n_edges] = graph.posting_index == posting
        rows.append(row)
        upper.append(float(problem.postings.openings[posting]))
    for j, household in enumerate(zero_households):  # y_h ≤ members assigned
        row = np.zeros(n_vars)
        row[:n_edges] = -(problem.household_index[graph.resident_index] == household).astype(float)
        row[n_edges + j] = 1.0
        rows.append(row)
        upper.append(0.0)
    matrix = np.array(rows).reshape(-1, n_vars)
    constraints = [LinearConstraint(matrix, -np.inf, np.array(upper))] if len(rows) else []
    integrality = np.ones(n_vars)
    bounds = Bounds(0, 1)

    cover = np.concatenate([np.zeros(n_edges), np.ones(zero_households.size)])
    first = milp(-cover, constraints=constraints, integrality=integrality, bounds=bounds)
    assert first.success, first.message
    covered = round(-first.fun)
    at_least = LinearConstraint(cover.reshape(1, -1), covered - 0.5, np.inf)
    score = np.concatenate([graph.score, np.zeros(zero_households.size)])
    second = milp(-score, constraints=[*constraints, at_least], integrality=integrality, bounds=bounds)
    assert second.success, second.message
    return covered, float(-second.fun)


def naive_blocking_pairs(
    proposal: AssignmentProposal, problem: AssignmentProblem, *, priority_zero_employment: bool
) -> list[tuple[int, int]]:
    """Blocking pairs by the textbook definition over written-out preference lists."""
    resident_prefs, posting_prefs, capacities = preference_lists(
        problem, priority_zero_employment=priority_zero_employment
    )
    match = {pair.resident_id: pair.posting_id for pair in proposal.pairs}
    held: dict[int, list[int]] = {}
    for resident, posting in match.items():
        held.setdefault(posting, []).append(resident)
    found = []
    for resident, postings in resident_prefs.items():
        for posting in postings:
            if match.get(resident) == posting:
                continue
            current = match.get(resident)
            resident_wants = current is None or postings.index(posting) < postings.index(current)
            order = posting_prefs[posting]
            holding = held.get(posting, [])
            posting_wants = len(holding) < capacities[posting] or any(
                order.index(resident) < order.index(other) for other in holding
            )
            if resident_wants and posting_wants:
                found.append((resident, posting))
    return sorted(found)
