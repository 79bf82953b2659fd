"""Frozen dataclasses and arrays that go into and come out of batch assignment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

import numpy as np
import scipy.sparse as sp

Mode = Literal["optimal", "stable"]
MODES: tuple[str, ...] = ("optimal", "stable")


def _ids(values, owner: str, name: str) -> np.ndarray:
    """A 1-d int64 copy of `values`, read-only; ids must be unique."""
    array = np.array(values, dtype=np.int64, copy=True).reshape(-1)
    if np.unique(array).size != array.size:
        raise ValueError(f"{owner}: {name} contains a repeated id")
    array.flags.writeable = False
    return array


def _frozen(values, dtype, size: int, owner: str, name: str) -> np.ndarray:
    array = np.array(values, dtype=dtype, copy=True).reshape(-1)
    if array.size != size:
        raise ValueError(f"{owner}: {name} has {array.size} entries, expected {size}")
    array.flags.writeable = False
    return array


def _positions(known_ids: np.ndarray, wanted: np.ndarray, owner: str, name: str) -> np.ndarray:
    """Positions of `wanted` ids in `known_ids`; every wanted id must be known."""
    if known_ids.size == 0:
        if wanted.size:
            raise ValueError(f"{owner}: {name} {int(wanted[0])} is unknown")
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(known_ids, kind="stable")
    found = np.searchsorted(known_ids, wanted, sorter=order)
    found = np.minimum(found, known_ids.size - 1)
    positions = order[found]
    missing = known_ids[positions] != wanted
    if missing.any():
        raise ValueError(f"{owner}: {name} {int(wanted[missing][0])} is unknown")
    return positions.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class Households:
    """Households of the run, and which of them have no one in work (零就业家庭, 动态清零 first)."""

    ids: np.ndarray  # (h,) int64, unique
    zero_employment: np.ndarray  # (h,) bool

    def __post_init__(self) -> None:
        ids = _ids(self.ids, "households", "ids")
        object.__setattr__(self, "ids", ids)
        object.__setattr__(
            self,
            "zero_employment",
            _frozen(self.zero_employment, bool, ids.size, "households", "zero_employment"),
        )


@dataclass(frozen=True, eq=False)
class Residents:
    """Residents who may be placed, one row each, with the household each belongs to."""

    ids: np.ndarray  # (n,) int64, unique
    household_ids: np.ndarray  # (n,) int64, each one of Households.ids

    def __post_init__(self) -> None:
        ids = _ids(self.ids, "residents", "ids")
        object.__setattr__(self, "ids", ids)
        object.__setattr__(
            self,
            "household_ids",
            _frozen(self.household_ids, np.int64, ids.size, "residents", "household_ids"),
        )


@dataclass(frozen=True, eq=False)
class Postings:
    """Postings of the run with the openings each still has (0 is allowed: such a posting takes no one)."""

    ids: np.ndarray  # (m,) int64, unique
    openings: np.ndarray  # (m,) int64 ≥ 0

    def __post_init__(self) -> None:
        ids = _ids(self.ids, "postings", "ids")
        object.__setattr__(self, "ids", ids)
        openings = _frozen(self.openings, np.int64, ids.size, "postings", "openings")
        if (openings < 0).any():
            bad = int(np.flatnonzero(openings < 0)[0])
            raise ValueError(
                f"postings: posting {int(ids[bad])} has openings={int(openings[bad])}, expected ≥ 0"
            )
        object.__setattr__(self, "openings", openings)


@dataclass(frozen=True, eq=False)
class CandidateGraph:
    """Sparse resident × posting scores in [0, 1]: each edge is a pair that may be assigned.

    Edges are kept sorted by (resident, posting) position; a pair appears at most once. A pair
    that is not an edge is never assigned, whatever its score would have been.
    """

    resident_index: np.ndarray  # (e,) int64, positions in Residents.ids
    posting_index: np.ndarray  # (e,) int64, positions in Postings.ids
    score: np.ndarray  # (e,) float64 in [0, 1]
    n_residents: int
    n_postings: int

    def __post_init__(self) -> None:
        owner = "candidate graph"
        rows = np.array(self.resident_index, dtype=np.int64, copy=True).reshape(-1)
        cols = _frozen(self.posting_index, np.int64, rows.size, owner, "posting_index")
        score = _frozen(self.score, np.float64, rows.size, owner, "score")
        n_residents, n_postings = int(self.n_residents), int(self.n_postings)
        if n_residents < 0 or n_postings < 0:
            raise ValueError(f"{owner}: negative shape ({n_residents}, {n_postings})")
        if rows.size and (rows.min() < 0 or rows.max() >= n_residents):
            raise ValueError(f"{owner}: resident_index outside 0..{n_residents - 1}")
        if cols.size and (cols.min() < 0 or cols.max() >= n_postings):
            raise ValueError(f"{owner}: posting_index outside 0..{n_postings - 1}")
        if not np.all((score >= 0.0) & (score <= 1.0)):  # also rejects NaN
            raise ValueError(f"{owner}: every score must be a number in [0, 1]")
        order = np.lexsort((cols, rows))
        rows, cols, score = rows[order], cols[order], score[order]
        if rows.size > 1 and np.any((rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1])):
            raise ValueError(f"{owner}: a (resident, posting) pair is listed twice")
        for name, array in (("resident_index", rows), ("posting_index", cols), ("score", score)):
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        object.__setattr__(self, "n_residents", n_residents)
        object.__setattr__(self, "n_postings", n_postings)

    @property
    def n_edges(self) -> int:
        return int(self.score.size)

    @classmethod
    def from_csr(cls, matrix: sp.spmatrix | sp.sparray) -> CandidateGraph:
        """Edges are the stored entries of a residents × postings sparse matrix (a stored 0 is an edge)."""
        coo = sp.coo_array(matrix)
        return cls(coo.row, coo.col, coo.data, n_residents=coo.shape[0], n_postings=coo.shape[1])

    @classmethod
    def from_top_k(
        cls, resident_ids, posting_ids, scores, *, residents: Residents, postings: Postings
    ) -> CandidateGraph:
        """From the ranking engine's top-k arrays: row i of the (n, k) `posting_ids` and `scores`
        belongs to `resident_ids[i]`; posting id −1 (score NaN) pads a short row and is skipped."""
        resident_ids = np.asarray(resident_ids, dtype=np.int64).reshape(-1)
        posting_ids = np.asarray(posting_ids, dtype=np.int64)
        # (numpy cannot infer the width of an empty array: no residents is a 0 × 0 table)
        posting_ids = posting_ids.reshape(resident_ids.size, -1) if resident_ids.size else posting_ids.reshape(0, 0)
        scores = np.asarray(scores, dtype=np.float64).reshape(posting_ids.shape)
        present = posting_ids >= 0
        rows = np.broadcast_to(resident_ids[:, None], posting_ids.shape)[present]
        return cls(
            _positions(residents.ids, rows, "candidate graph", "resident"),
            _positions(postings.ids, posting_ids[present], "candidate graph", "posting"),
            scores[present],
            n_residents=residents.ids.size,
            n_postings=postings.ids.size,
        )

    def to_csr(self) -> sp.csr_array:
        return sp.csr_array(
            (self.score, (self.resident_index, self.posting_index)), shape=(self.n_residents, self.n_postings)
        )


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """Everything one assignment run needs: who, which households, which postings, which pairs."""

    residents: Residents
    households: Households
    postings: Postings
    graph: CandidateGraph

    def __post_init__(self) -> None:
        if self.graph.n_residents != self.residents.ids.size:
            raise ValueError(
                f"candidate graph has {self.graph.n_residents} residents, expected {self.residents.ids.size}"
            )
        if self.graph.n_postings != self.postings.ids.size:
            raise ValueError(
                f"candidate graph has {self.graph.n_postings} postings, expected {self.postings.ids.size}"
            )
        _ = self.household_index  # validates that every resident's household is known

    @cached_property
    def household_index(self) -> np.ndarray:
        """(n,) position in Households.ids of each resident's household."""
        return _positions(self.households.ids, self.residents.household_ids, "residents", "household")

    @cached_property
    def resident_zero_employment(self) -> np.ndarray:
        """(n,) whether each resident belongs to a zero-employment household."""
        return self.households.zero_employment[self.household_index]

    @cached_property
    def usable_edges(self) -> np.ndarray:
        """Indices of the edges whose posting has an opening: the only pairs that can be assigned."""
        return np.flatnonzero(self.postings.openings[self.graph.posting_index] > 0)

    @cached_property
    def coverable_zero_employment_households(self) -> int:
        """Zero-employment households with a member who has at least one usable edge."""
        residents = self.graph.resident_index[self.usable_edges]
        households = np.unique(self.household_index[residents])
        return int(self.households.zero_employment[households].sum())


class AssignedPair(NamedTuple):
    """One proposed placement: a resident, the posting proposed for them, and the pair's score."""

    resident_id: int
    posting_id: int
    score: float


@dataclass(frozen=True, kw_only=True)
class SolverStats:
    """How a proposal was computed, for logs and the benchmark."""

    solver: str  # "ortools-min-cost-flow", "highs-lp" or "deferred-acceptance"
    seconds: float  # the whole call: preparing, solving, reading back
    solve_seconds: float  # the solver proper
    residents: int  # residents with at least one usable edge
    postings: int  # postings with openings and at least one usable edge
    edges: int  # usable edges
    priority_zero_employment: bool
    proposals: int = 0  # stable: proposals made by residents
    score_scale: int = 0  # optimal: scores are rounded to integers of 1/score_scale


@dataclass(frozen=True, eq=False, kw_only=True)
class AssignmentProposal:
    """A proposed batch of placements for liaison staff to review; nothing is hired by it.

    `resident_index` and `posting_index` are the positions in the problem of each pair, in the
    same order as `pairs` (by resident id ascending). `filled` counts the pairs of each posting,
    aligned with `posting_ids` (the problem's postings, in the problem's order).
    """

    mode: Mode
    pairs: tuple[AssignedPair, ...]
    total_score: float
    zero_employment_households_covered: int
    zero_employment_households_coverable: int
    posting_ids: np.ndarray
    filled: np.ndarray
    resident_index: np.ndarray
    posting_index: np.ndarray
    stats: SolverStats

    @property
    def assigned(self) -> int:
        return len(self.pairs)

    @property
    def fill_by_posting(self) -> dict[int, int]:
        return dict(zip(self.posting_ids.tolist(), self.filled.tolist(), strict=True))


def proposal_build(
    problem: AssignmentProblem,
    edges: np.ndarray,
    *,
    mode: Mode,
    stats: SolverStats,
) -> AssignmentProposal:
    """The proposal that assigns exactly the given edges of the problem's graph."""
    graph = problem.graph
    edges = np.asarray(edges, dtype=np.int64)
    rows, cols, scores = graph.resident_index[edges], graph.posting_index[edges], graph.score[edges]
    order = np.argsort(problem.residents.ids[rows], kind="stable")
    rows, cols, scores = rows[order], cols[order], scores[order]
    filled = np.bincount(cols, minlength=graph.n_postings).astype(np.int64)
    if np.unique(rows).size != rows.size or (filled > problem.postings.openings).any():
        raise RuntimeError("assignment breaks a capacity: this is a bug in the solver")
    households = np.unique(problem.household_index[rows])
    pairs = tuple(
        AssignedPair(r, p, s)
        for r, p, s in zip(
            problem.residents.ids[rows].tolist(),
            problem.postings.ids[cols].tolist(),
            scores.tolist(),
            strict=True,
        )
    )
    for array in (filled, rows, cols):
        array.flags.writeable = False
    return AssignmentProposal(
        mode=mode,
        pairs=pairs,
        total_score=float(np.sum(scores)),
        zero_employment_households_covered=int(problem.households.zero_employment[households].sum()),
        zero_employment_households_coverable=problem.coverable_zero_employment_households,
        posting_ids=problem.postings.ids,
        filled=filled,
        resident_index=rows,
        posting_index=cols,
        stats=stats,
    )
