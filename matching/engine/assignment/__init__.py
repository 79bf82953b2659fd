"""Capacity-aware batch assignment of residents to postings: optimal (min-cost flow) or stable.

Pure (numpy, scipy, optionally OR-Tools; no Django). The result is a proposal for liaison staff
to review: it hires no one and changes no opening.

    problem = AssignmentProblem(residents, households, postings, graph)
    proposal = assign(problem, mode="optimal")   # or mode="stable"
"""

from __future__ import annotations

from .contracts import (
    MODES,
    AssignedPair,
    AssignmentProblem,
    AssignmentProposal,
    CandidateGraph,
    Households,
    Mode,
    Postings,
    Residents,
    SolverStats,
)
from .optimal import SCORE_SCALE, Solver, assign_optimal, ortools_available
from .stable import assign_stable, blocking_pairs


def assign(
    problem: AssignmentProblem,
    *,
    mode: Mode = "optimal",
    priority_zero_employment: bool = True,
    solver: Solver = "auto",
) -> AssignmentProposal:
    """Propose one posting or none for each resident, within each posting's openings.

    "optimal": most zero-employment households covered, then the highest total score.
    "stable": resident-proposing deferred acceptance; no resident and posting would both rather
    have each other. `priority_zero_employment` puts zero-employment households first in either
    mode; `solver` applies to "optimal" only.
    """
    if mode == "optimal":
        return assign_optimal(problem, priority_zero_employment=priority_zero_employment, solver=solver)
    if mode == "stable":
        return assign_stable(problem, priority_zero_employment=priority_zero_employment)
    raise ValueError(f"mode={mode!r}, expected one of {MODES}")


__all__ = [
    "MODES",
    "SCORE_SCALE",
    "AssignedPair",
    "AssignmentProblem",
    "AssignmentProposal",
    "CandidateGraph",
    "Households",
    "Mode",
    "Postings",
    "Residents",
    "Solver",
    "SolverStats",
    "assign",
    "assign_optimal",
    "assign_stable",
    "blocking_pairs",
    "ortools_available",
]
