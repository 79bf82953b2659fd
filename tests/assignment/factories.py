"""Seeded assignment problems: small random ones for exact comparisons, large realistic ones for the benchmark."""

from __future__ import annotations

import numpy as np

from matching.engine.assignment import AssignmentProblem, CandidateGraph, Households, Postings, Residents

# Household sizes of relocated families (1–6 people), mean ≈ 3.3.
HOUSEHOLD_SIZES = np.arange(1, 7)
HOUSEHOLD_SIZE_SHARES = np.array([0.12, 0.20, 0.25, 0.23, 0.13, 0.07])


def problem_from_arrays(
    household_of,
    zero_employment,
    openings,
    edges,
    *,
    resident_ids=None,
    posting_ids=None,
) -> AssignmentProblem:
    """A problem from positions: household position per resident, a flag per household, openings
    per posting, and (resident position, posting position, score) edges. Ids default to
    positions scattered (ids ≠ positions), so id/position mix-ups show."""
    household_of = np.asarray(household_of, dtype=np.int64)
    zero_employment = np.asarray(zero_employment, dtype=bool)
    openings = np.asarray(openings, dtype=np.int64)
    if resident_ids is None:
        resident_ids = 1000 + 7 * np.arange(household_of.size)[::-1]
    if posting_ids is None:
        posting_ids = 500 + 3 * np.arange(openings.size)[::-1]
    household_ids = 90 + 11 * np.arange(zero_employment.size)
    edges = list(edges)
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    scores = np.array([e[2] for e in edges], dtype=np.float64)
    return AssignmentProblem(
        Residents(resident_ids, household_ids[household_of]),
        Households(household_ids, zero_employment),
        Postings(posting_ids, openings),
        CandidateGraph(rows, cols, scores, n_residents=household_of.size, n_postings=openings.size),
    )


def random_small_problem(
    seed: int,
    *,
    residents: tuple[int, int] = (6, 12),
    postings: tuple[int, int] = (3, 6),
    openings: tuple[int, int] = (0, 3),
    density: float = 0.45,
    zero_share: float = 0.4,
    ties: bool = False,
) -> AssignmentProblem:
    """A small random problem; with `ties`, scores come from a handful of values (many ties)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(residents[0], residents[1] + 1))
    m = int(rng.integers(postings[0], postings[1] + 1))
    n_households = int(rng.integers(max(1, n // 3), n + 1))
    household_of = rng.integers(0, n_households, size=n)
    zero_employment = rng.random(n_households) < zero_share
    posting_openings = rng.integers(openings[0], openings[1] + 1, size=m)
    present = rng.random((n, m)) < density
    if ties:
        scores = rng.choice(np.array([0.0, 0.25, 0.5, 0.75, 1.0]), size=(n, m))
    else:
        scores = rng.random((n, m))
    rows, cols = np.nonzero(present)
    return problem_from_arrays(
        household_of,
        zero_employment,
        posting_openings,
        zip(rows.tolist(), cols.tolist(), scores[rows, cols].tolist(), strict=True),
        resident_ids=rng.permutation(np.arange(100, 100 + 3 * n, 3)),
        posting_ids=rng.permutation(np.arange(50, 50 + 5 * m, 5)),
    )


def realistic_problem(
    seed: int,
    *,
    residents: int = 20_000,
    postings: int = 2_000,
    openings: int = 10_000,
    k: int = 50,
    zero_share: float = 0.30,
    decimals: int = 4,
    chunk: int = 2_000,
) -> AssignmentProblem:
    """Relocated families in ~residents/3.3 households (30% without anyone in work) at a dozen
    resettlement sites; postings of a few trades with openings spread unevenly (some none);
    each resident's top-k postings by a score of skill fit, distance and pay, rounded to
    `decimals` like a displayed score (so ties occur)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(HOUSEHOLD_SIZES, size=residents, p=HOUSEHOLD_SIZE_SHARES)
    n_households = int(np.searchsorted(np.cumsum(sizes), residents)) + 1
    sizes = sizes[:n_households]
    sizes[-1] -= int(sizes.sum()) - residents
    household_of = np.repeat(np.arange(n_households), sizes)
    zero_employment = rng.random(n_households) < zero_share

    weights = rng.lognormal(0.0, 1.0, size=postings)
    posting_openings = rng.multinomial(openings, weights / weights.sum())

    sites = 12
    site_xy = rng.random((sites, 2)) * 30.0  # km
    site_km = np.linalg.norm(site_xy[:, None] - site_xy[None], axis=2)
    resident_site = rng.integers(0, sites, size=n_households)[household_of]
    posting_site = rng.integers(0, sites, size=postings)
    trades = 8
    resident_trades = rng.random((residents, trades)) < 0.3
    posting_trade = rng.integers(0, trades, size=postings)
    pay = rng.beta(2.0, 2.0, size=postings)

    k = min(k, postings)
    rows, cols, scores = [], [], []
    for start in range(0, residents, chunk):
        stop = min(residents, start + chunk)
        score = (
            0.4 * resident_trades[start:stop][:, posting_trade]
            + 0.3 * np.exp(-site_km[resident_site[start:stop]][:, posting_site] / 15.0)
            + 0.2 * pay[None, :]
            + 0.1 * rng.random((stop - start, postings))
        )
        score = np.round(score, decimals)
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, stop), k))
        cols.append(top.ravel())
        scores.append(np.take_along_axis(score, top, axis=1).ravel())

    household_ids = 10_000 + rng.permutation(n_households)
    return AssignmentProblem(
        Residents(100_000 + rng.permutation(residents), household_ids[household_of]),
        Households(household_ids, zero_employment),
        Postings(1 + rng.permutation(postings), posting_openings),
        CandidateGraph(
            np.concatenate(rows),
            np.concatenate(cols),
            np.concatenate(scores),
            n_residents=residents,
            n_postings=postings,
        ),
    )
