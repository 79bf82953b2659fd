"""Optimal assignment: cover the most zero-employment households, then the highest total score.

The run is one min-cost flow. Each resident with a usable edge gets one unit from the source;
it flows either to a posting (resident → posting arc, cost −score·scale, capacity 1; posting →
sink, capacity openings) or straight to the sink through a zero-cost bypass, so nobody is forced
into a poor match. Members of a zero-employment household draw their unit through a household
node, whose first unit of supply carries a bonus larger than any possible total score:

    source ─(1, −bonus)──────┐
    source ─(members−1, 0)───┴→ household ─(1, 0)→ resident ─(1, −score·scale)→ posting ─(openings, 0)→ sink
    source ─(1, 0)→ resident of any other household                                                      ↑
    source ─────────────────────────────(bypass, 0)──────────────────────────────────────────────────────┘

The bonus is earned once per household that places at least one member, so the minimum cost
is lexicographic: most households covered first, then most total score. Scores are rounded to
integers of 1/scale (10⁻⁶ by default), so pairs whose scores agree to six decimals are ties.

OR-Tools' SimpleMinCostFlow (cost scaling, exact on integers) solves it. Without OR-Tools, the
HiGHS dual simplex in scipy solves the same objective as an LP whose vertices are integral:
exact too, about 5–15 times slower.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from .contracts import AssignmentProblem, AssignmentProposal, SolverStats, proposal_build

Solver = Literal["auto", "ortools", "highs"]

# Scores are in [0, 1]; the flow solvers need integer costs.
SCORE_SCALE = 10**6
# Costs × (nodes + 1) must fit in int64 for OR-Tools' cost scaling; keep a margin.
_COST_LIMIT = 2**62


@dataclass(frozen=True, eq=False)
class _Instance:
    """The usable part of a problem, renumbered: residents, postings and zero-employment
    households that take part get local positions 0.., and edges carry integer costs."""

    edges: np.ndarray  # (e,) graph edge ids
    edge_resident: np.ndarray  # (e,) local resident
    edge_posting: np.ndarray  # (e,) local posting
    edge_cost: np.ndarray  # (e,) −round(score·scale)
    resident_household: np.ndarray  # (r,) local zero-employment household, −1 for none / no priority
    openings: np.ndarray  # (p,)
    households: int
    bonus: int  # more than any total of −edge_cost

    @property
    def residents(self) -> int:
        return int(self.resident_household.size)

    @property
    def postings(self) -> int:
        return int(self.openings.size)


def _instance(problem: AssignmentProblem, *, priority_zero_employment: bool, score_scale: int) -> _Instance:
    graph = problem.graph
    edges = problem.usable_edges
    residents, edge_resident = np.unique(graph.resident_index[edges], return_inverse=True)
    postings, edge_posting = np.unique(graph.posting_index[edges], return_inverse=True)
    openings = problem.postings.openings[postings]
    resident_household = np.full(residents.size, -1, dtype=np.int64)
    households = 0
    if priority_zero_employment:
        in_zero = np.flatnonzero(problem.resident_zero_employment[residents])
        zero_households, resident_household[in_zero] = np.unique(
            problem.household_index[residents[in_zero]], return_inverse=True
        )
        households = int(zero_households.size)
    most_score = score_scale * int(min(residents.size, int(openings.sum())))
    return _Instance(
        edges=edges,
        edge_resident=edge_resident.astype(np.int64),
        edge_posting=edge_posting.astype(np.int64),
        edge_cost=-np.rint(graph.score[edges] * score_scale).astype(np.int64),
        resident_household=resident_household,
        openings=openings,
        households=households,
        bonus=most_score + 1,
    )


def _solve_ortools(instance: _Instance) -> np.ndarray:
    """Chosen flag per edge, by OR-Tools' min-cost flow on the network in the module docstring."""
    from ortools.graph.python import min_cost_flow

    n_households, n_residents, n_postings = instance.households, instance.residents, instance.postings
    source, sink = 0, 1
    household_node = 2 + np.arange(n_households, dtype=np.int64)
    resident_node = 2 + n_households + np.arange(n_residents, dtype=np.int64)
    posting_node = 2 + n_households + n_residents + np.arange(n_postings, dtype=np.int64)
    n_nodes = 2 + n_households + n_residents + n_postings
    if instance.bonus * (n_households + 1) >= _COST_LIMIT // (n_nodes + 1):
        raise ValueError("assignment too large for the integer costs: lower score_scale")

    in_household = np.flatnonzero(instance.resident_household >= 0)
    alone = np.flatnonzero(instance.resident_household < 0)
    members = np.bincount(instance.resident_household[in_household], minlength=n_households)

    def full(size: int, value: int) -> np.ndarray:
        return np.full(size, value, dtype=np.int64)

    n_edges = instance.edges.size
    arcs = [  # (tails, heads, capacities, costs); the edges first, so flows map back by position
        (
            resident_node[instance.edge_resident],
            posting_node[instance.edge_posting],
            full(n_edges, 1),
            instance.edge_cost,
        ),
        (full(alone.size, source), resident_node[alone], full(alone.size, 1), full(alone.size, 0)),
        (
            household_node[instance.resident_household[in_household]],
            resident_node[in_household],
            full(in_household.size, 1),
            full(in_household.size, 0),
        ),
        (
            full(n_households, source),
            household_node,
            full(n_households, 1),
            full(n_households, -instance.bonus),
        ),
        (full(n_households, source), household_node, members - 1, full(n_households, 0)),
        (posting_node, full(n_postings, sink), instance.openings, full(n_postings, 0)),
        (full(1, source), full(1, sink), full(1, n_residents), full(1, 0)),  # bypass
    ]
    tails, heads, capacities, costs = (
        np.concatenate([np.asarray(a[i], dtype=np.int64) for a in arcs]) for i in range(4)
    )
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[source], supplies[sink] = n_residents, -n_residents

    flow = min_cost_flow.SimpleMinCostFlow()
    arc_ids = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow ended with status {status!r}")
    return np.asarray(flow.flows(arc_ids[:n_edges])) > 0


def _solve_highs(instance: _Instance) -> np.ndarray:
    """Chosen flag per edge, by the HiGHS dual simplex on the same problem as an LP.

    Variables: x per edge, y per zero-employment household (covered). Minimise Σ cost·x − bonus·Σ y
    subject to Σ x ≤ 1 per resident, Σ x ≤ openings per posting, y ≤ Σ x of its members, all in
    [0, 1]. Its feasible set is the projection of the flow polytope of the network above (with
    the second household arc widened to `members`), so every vertex is integral, and the
    simplex ends on a vertex.
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog

    n_edges, n_households = instance.edges.size, instance.households
    n_residents, n_postings = instance.residents, instance.postings
    edge = np.arange(n_edges)
    edge_household = instance.resident_household[instance.edge_resident]
    counted = np.flatnonzero(edge_household >= 0)
    rows = np.concatenate(
        [
            instance.edge_resident,
            n_residents + instance.edge_posting,
            n_residents + n_postings + edge_household[counted],
            n_residents + n_postings + np.arange(n_households),
        ]
    )
    columns = np.concatenate([edge, edge, counted, n_edges + np.arange(n_households)])
    values = np.concatenate([np.ones(2 * n_edges), -np.ones(counted.size), np.ones(n_households)])
    matrix = sp.csr_array(
        (values, (rows, columns)), shape=(n_residents + n_postings + n_households, n_edges + n_households)
    )
    upper = np.concatenate(
        [np.ones(n_residents), instance.openings.astype(np.float64), np.zeros(n_households)]
    )
    costs = np.concatenate(
        [instance.edge_cost.astype(np.float64), np.full(n_households, -float(instance.bonus))]
    )
    result = linprog(costs, A_ub=matrix, b_ub=upper, bounds=(0.0, 1.0), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"HiGHS ended with status {result.status}: {result.message}")
    chosen = result.x[:n_edges]
    if np.abs(chosen - np.rint(chosen)).max(initial=0.0) > 1e-6:
        raise RuntimeError("HiGHS returned a fractional assignment")
    return chosen > 0.5


def ortools_available() -> bool:
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def assign_optimal(
    problem: AssignmentProblem,
    *,
    priority_zero_employment: bool = True,
    solver: Solver = "auto",
    score_scale: int = SCORE_SCALE,
) -> AssignmentProposal:
    """Each resident at most one posting, each posting at most its openings; among those, the
    assignment covering the most zero-employment households (when `priority_zero_employment`),
    and among those the highest total score. `solver="auto"` is OR-Tools when installed, else HiGHS.
    """
    started = time.perf_counter()
    if solver == "auto":
        solver = "ortools" if ortools_available() else "highs"
    if solver not in ("ortools", "highs"):
        raise ValueError(f"solver={solver!r}, expected 'auto', 'ortools' or 'highs'")
    if score_scale < 1:
        raise ValueError(f"score_scale={score_scale}, expected ≥ 1")
    instance = _instance(problem, priority_zero_employment=priority_zero_employment, score_scale=score_scale)
    solve_started = time.perf_counter()
    if instance.edges.size == 0:
        chosen = np.zeros(0, dtype=bool)
    elif solver == "ortools":
        chosen = _solve_ortools(instance)
    else:
        chosen = _solve_highs(instance)
    solve_seconds = time.perf_counter() - solve_started
    stats = SolverStats(
        solver="ortools-min-cost-flow" if solver == "ortools" else "highs-lp",
        seconds=0.0,  # set below, once the proposal is built
        solve_seconds=solve_seconds,
        residents=instance.residents,
        postings=instance.postings,
        edges=int(instance.edges.size),
        priority_zero_employment=priority_zero_employment,
        score_scale=score_scale,
    )
    proposal = proposal_build(problem, instance.edges[chosen], mode="optimal", stats=stats)
    return replace(proposal, stats=replace(stats, seconds=time.perf_counter() - started))
