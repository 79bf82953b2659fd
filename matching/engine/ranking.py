"""Top-k ranking in both directions, and chunked all-residents × all-postings ranking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np

from .block import PairBlock, PairContext, evaluate_block
from .config import RANK_SCALE
from .contracts import CourseCatalog, JobProfile, MatchResult, ResidentProfile
from .explain import Explainer
from .index import JobIndex, ResidentIndex
from .learned import LearnedModel

# Pairs evaluated at once by the chunked functions. About 25 float64 arrays of this many
# elements are alive at a time (~50 MiB at 2**18); blocks this small stay in the CPU caches and
# measured faster than larger ones, while numpy call overhead is still negligible.
DEFAULT_BLOCK_PAIRS = 2**18
# Largest candidate count for which float64 ranking keys stay exact integers.
_FLOAT_KEY_LIMIT = int(2**53 // (RANK_SCALE + 1))


@dataclass(frozen=True, eq=False)
class TopK:
    """Top-k postings of a run of residents, as arrays (row i belongs to resident_ids[i])."""

    resident_ids: np.ndarray  # (n,)
    job_ids: np.ndarray  # (n, k) best first; -1 where fewer than k postings are eligible
    scores: np.ndarray  # (n, k); NaN where job_ids is -1


def rank_keys(score: np.ndarray, excluded: np.ndarray, tie_break: np.ndarray, candidates: int) -> np.ndarray:
    """Ranking keys, higher is better and all distinct: the score rounded to RANK_DECIMALS, then
    `tie_break` (distinct values in [0, candidates), higher wins a tie); excluded pairs get -1."""
    if candidates < _FLOAT_KEY_LIMIT:
        key = np.multiply(score, RANK_SCALE)
        np.rint(key, out=key)
        key *= candidates
        key += tie_break
        np.copyto(key, -1.0, where=excluded)
        return key
    key = np.rint(score * RANK_SCALE).astype(np.int64) * candidates + tie_break.astype(np.int64)
    np.copyto(key, -1, where=excluded)
    return key


def top_k_per_row(key: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns of the k highest keys of each row, best first, and whether each is eligible."""
    n, m = key.shape
    k = min(k, m)
    if k <= 0:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=bool)
    if m >= _PREFILTER_BLOCK * 4 * k:
        return _top_k_prefiltered(key, k)
    part = np.argpartition(key, m - k, axis=1)[:, m - k :] if k < m else np.broadcast_to(np.arange(m), (n, m))
    order = np.argsort(-np.take_along_axis(key, part, axis=1), axis=1)
    columns = np.take_along_axis(part, order, axis=1)
    return columns, np.take_along_axis(key, columns, axis=1) >= 0


_PREFILTER_BLOCK = 32


def _top_k_prefiltered(key: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """top_k_per_row for wide rows, without partitioning every row in full.

    The k-th largest of the maxima of column blocks is a lower bound of a row's k-th largest key
    (k distinct blocks each hold a key at least that large), so only keys at or above it (and
    eligible, ≥ 0) can be in the top k; these few candidates are then sorted.
    """
    n, m = key.shape
    full = m - m % _PREFILTER_BLOCK
    maxima = key[:, :full].reshape(n, full // _PREFILTER_BLOCK, _PREFILTER_BLOCK).max(axis=2)
    if full < m:
        maxima = np.column_stack((maxima, key[:, full:].max(axis=1)))
    blocks = maxima.shape[1]
    bound = np.partition(maxima, blocks - k, axis=1)[:, blocks - k]
    np.maximum(bound, 0, out=bound)
    rows, cols = np.nonzero(key >= bound[:, None])
    values = key[rows, cols]
    order = np.lexsort((-values, rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    columns = np.zeros((n, k), dtype=np.int64)
    eligible = np.zeros((n, k), dtype=bool)
    columns[rows[keep], rank[keep]] = cols[keep]
    eligible[rows[keep], rank[keep]] = True
    return columns, eligible


def _tie_break(order: np.ndarray) -> np.ndarray:
    """Tie-break part of the ranking key from the rows' order of preference (first is best): the
    first row gets len − 1, the last 0."""
    tie = np.empty(len(order), dtype=np.float64)
    tie[order] = np.arange(len(order) - 1, -1, -1, dtype=np.float64)
    return tie


def job_tie_break(jobs: JobIndex) -> np.ndarray:
    """Between postings that score the same for a resident, the one with fewer open recommendations
    per remaining opening goes first (it needs people more), then the sooner deadline (it closes
    first; open-ended last), then the older posting (lower id)."""
    return _tie_break(np.lexsort((jobs.ids, jobs.valid_until, jobs.recommendation_load)))


def resident_tie_break(residents: ResidentIndex) -> np.ndarray:
    """Between residents who score the same for a posting, the one with fewer recommendations still
    open goes first (fewer chances in play), then the one registered first (lower id)."""
    return _tie_break(np.lexsort((residents.ids, residents.live_recommendations)))


def _resident_index(resident: ResidentProfile | ResidentIndex, jobs: JobIndex) -> ResidentIndex:
    if isinstance(resident, ResidentIndex):
        if len(resident) != 1:
            raise ValueError("pass a one-resident index (ResidentIndex.select([resident_id]))")
        return resident
    return ResidentIndex.from_profiles([resident], jobs.skills.catalog, jobs.config)


def _job_index(job: JobProfile | JobIndex, residents: ResidentIndex) -> JobIndex:
    if isinstance(job, JobIndex):
        if len(job) != 1:
            raise ValueError("pass a one-posting index (JobIndex.select([job_id]))")
        return job
    return JobIndex.from_profiles([job], residents.skills.catalog, residents.config)


def rank_jobs_for_resident(
    resident: ResidentProfile | ResidentIndex,
    job_index: JobIndex,
    *,
    k: int = 20,
    today: date,
    courses: CourseCatalog | None = None,
    model: LearnedModel | None = None,
) -> list[MatchResult]:
    """The k best eligible postings for one resident, best first (ties: see job_tie_break); with a learned
    model, by the expected-value score."""
    residents = _resident_index(resident, job_index)
    if not len(job_index):
        return []
    block = evaluate_block(residents, job_index, PairContext.build(residents, job_index, model), today=today)
    key = rank_keys(block.score, block.excluded, job_tie_break(job_index), len(job_index))
    columns, eligible = top_k_per_row(key, k)
    chosen = columns[0][eligible[0]]
    explainer = Explainer(job_index.skills.catalog, job_index.config, courses)
    return explainer.results(block, np.zeros(len(chosen), dtype=np.int64), chosen)


def eligible_jobs(
    resident: ResidentProfile | ResidentIndex, job_index: JobIndex, *, today: date
) -> np.ndarray:
    """Positions in `job_index` of the postings no hard rule keeps from the resident on `today`, ascending:
    what `rank_jobs_for_resident` with an unlimited k would return, without scoring or explaining them."""
    residents = _resident_index(resident, job_index)
    if not len(job_index):
        return np.zeros(0, dtype=np.int64)
    block = evaluate_block(residents, job_index, PairContext.build(residents, job_index), today=today)
    return np.flatnonzero(~block.excluded[0])


def rank_residents_for_job(
    job: JobProfile | JobIndex,
    resident_index: ResidentIndex,
    *,
    k: int = 50,
    today: date,
    courses: CourseCatalog | None = None,
    chunk_size: int | None = None,
    model: LearnedModel | None = None,
) -> list[MatchResult]:
    """The k best eligible residents for one posting, best first (ties: see resident_tie_break); with a
    learned model, by the expected-value score."""
    jobs = _job_index(job, resident_index)
    n = len(resident_index)
    if not n or not jobs.available(today)[0]:
        return []
    seeking = np.flatnonzero(resident_index.seeking_work)
    tie_break = resident_tie_break(resident_index)
    context = PairContext.build(resident_index, jobs, model)
    step = chunk_size or DEFAULT_BLOCK_PAIRS
    explainer = Explainer(resident_index.skills.catalog, resident_index.config, courses)
    candidates: list[tuple[float, MatchResult]] = []
    for start in range(0, len(seeking), step):
        positions = seeking[start : start + step]
        block = evaluate_block(resident_index.take(positions), jobs, context, today=today)
        key = rank_keys(block.score.T, block.excluded.T, tie_break[positions], n)
        rows, eligible = top_k_per_row(key, k)
        chosen = rows[0][eligible[0]]
        results = explainer.results(block, chosen, np.zeros(len(chosen), dtype=np.int64))
        candidates.extend(zip(key[0, chosen].tolist(), results, strict=True))
    candidates.sort(key=lambda pair: -pair[0])
    return [result for _, result in candidates[:k]]


def _blocks(
    resident_index: ResidentIndex, job_index: JobIndex, *, k: int, today: date, chunk_size: int | None,
    model: LearnedModel | None = None,
) -> Iterator[tuple[np.ndarray, PairBlock | None, np.ndarray, np.ndarray]]:
    """For each chunk of residents: their positions in the index, the evaluated block of those
    seeking work against the postings available today (None if there is nothing to evaluate),
    each chunk row's block row (-1: not seeking work), and per block row the block columns of
    its top k, best first (-1 past the last eligible posting)."""
    jobs = job_index.take(np.flatnonzero(job_index.available(today)))
    context = PairContext.build(resident_index, jobs, model)
    m = len(jobs)
    step = chunk_size or max(1, DEFAULT_BLOCK_PAIRS // max(m, 1))
    tie_break = job_tie_break(jobs)
    for start in range(0, len(resident_index), step):
        positions = np.arange(start, min(start + step, len(resident_index)))
        seeking = resident_index.seeking_work[positions]
        block_row = np.where(seeking, np.cumsum(seeking) - 1, -1)
        if not m or not seeking.any():
            yield positions, None, block_row, np.zeros((len(positions), 0), dtype=np.int64)
            continue
        block = evaluate_block(resident_index.take(positions[seeking]), jobs, context, today=today)
        columns, eligible = top_k_per_row(rank_keys(block.score, block.excluded, tie_break, m), k)
        yield positions, block, block_row, np.where(eligible, columns, -1)


def rank_all(
    resident_index: ResidentIndex,
    job_index: JobIndex,
    *,
    k: int = 10,
    today: date,
    courses: CourseCatalog | None = None,
    chunk_size: int | None = None,
    model: LearnedModel | None = None,
) -> Iterator[tuple[int, list[MatchResult]]]:
    """(resident_id, k best postings) for every resident in id order, computed `chunk_size`
    residents at a time (default: about DEFAULT_BLOCK_PAIRS pairs a chunk)."""
    explainer = Explainer(job_index.skills.catalog, job_index.config, courses)
    for positions, block, block_row, columns in _blocks(
        resident_index, job_index, k=k, today=today, chunk_size=chunk_size, model=model
    ):
        by_row: list[list[MatchResult]] = [[] for _ in range(columns.shape[0])]
        if block is not None:
            rows, ranks = np.nonzero(columns >= 0)
            for row, result in zip(
                rows.tolist(), explainer.results(block, rows, columns[rows, ranks]), strict=True
            ):
                by_row[row].append(result)
        for i, position in enumerate(positions.tolist()):
            row = int(block_row[i])
            yield int(resident_index.ids[position]), by_row[row] if row >= 0 else []


def rank_all_arrays(
    resident_index: ResidentIndex,
    job_index: JobIndex,
    *,
    k: int = 10,
    today: date,
    chunk_size: int | None = None,
    model: LearnedModel | None = None,
) -> Iterator[TopK]:
    """Like rank_all, but yields one TopK of plain arrays per chunk and builds no dataclasses."""
    for positions, block, block_row, columns in _blocks(
        resident_index, job_index, k=k, today=today, chunk_size=chunk_size, model=model
    ):
        job_ids = np.full((len(positions), k), -1, dtype=np.int64)
        scores = np.full((len(positions), k), np.nan)
        if block is not None:
            rows = block_row >= 0
            width = columns.shape[1]
            found = columns >= 0
            safe = np.where(found, columns, 0)
            job_ids[rows, :width] = np.where(found, block.jobs.ids[safe], -1)
            scores[rows, :width] = np.where(found, np.take_along_axis(block.score, safe, axis=1), np.nan)
        yield TopK(resident_ids=resident_index.ids[positions], job_ids=job_ids, scores=scores)
