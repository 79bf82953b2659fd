"""Patching an index row by row gives exactly the index built from scratch, and the same rankings."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import JobIndex, ResidentIndex, rank_all, rank_residents_for_job

from .factories import random_world
from .helpers import assert_same_result


def assert_same_index(patched, built) -> None:
    """Every field equal: arrays (NaN where NaN), sparse matrices entry by entry, the rest by value."""
    assert vars(patched).keys() == vars(built).keys()
    for name, expected in vars(built).items():
        got = getattr(patched, name)
        if isinstance(expected, np.ndarray):
            assert got.shape == expected.shape, name
            assert got.dtype == expected.dtype, name
            assert np.array_equal(got, expected, equal_nan=got.dtype.kind == "f"), name
        elif isinstance(expected, sp.spmatrix | sp.sparray):
            assert got.shape == expected.shape, name
            assert (got != expected).nnz == 0, name
        elif name == "skills":
            assert got.catalog == expected.catalog
        else:
            assert got == expected, name


def _changes(world, rng, profiles, kind):
    """Change a third of the profiles (taking fields from other profiles), remove a tenth, add new ones."""
    ids = [p.id for p in profiles]
    donors = world.residents if kind == "residents" else world.jobs
    changed = []
    for pid in rng.choice(ids, size=len(ids) // 3, replace=False).tolist():
        donor = donors[int(rng.integers(len(donors)))]
        changed.append(replace(donor, id=pid))
    removed = rng.choice(ids, size=len(ids) // 10, replace=False).tolist()
    removed = [i for i in removed if i not in {p.id for p in changed}]
    added = [replace(donors[int(rng.integers(len(donors)))], id=10_000 + i) for i in range(7)]
    final = {p.id: p for p in profiles}
    for pid in removed:
        del final[pid]
    for p in changed + added:
        final[p.id] = p
    return changed + added, removed, list(final.values())


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_patched_resident_index_equals_a_fresh_build(seed):
    world = random_world(seed, 150, 60)
    rng = np.random.default_rng(seed)
    start = list(world.residents[:100])
    index = ResidentIndex.from_profiles(start, world.catalog)
    changed, removed, final = _changes(world, rng, start, "residents")
    patched = index.patched(changed, removed)
    fresh = ResidentIndex.from_profiles(final, world.catalog)
    assert_same_index(patched, fresh)
    for posting in world.jobs[:10]:
        ours = rank_residents_for_job(posting, patched, k=10, today=world.today, courses=world.courses)
        theirs = rank_residents_for_job(posting, fresh, k=10, today=world.today, courses=world.courses)
        assert [r.resident_id for r in ours] == [r.resident_id for r in theirs]
        for a, b in zip(ours, theirs, strict=True):
            assert_same_result(a, b)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_patched_job_index_equals_a_fresh_build(seed):
    world = random_world(50 + seed, 40, 160)
    rng = np.random.default_rng(seed)
    start = list(world.jobs[:110])
    index = JobIndex.from_profiles(start, world.catalog)
    changed, removed, final = _changes(world, rng, start, "jobs")
    patched = index.patched(changed, removed)
    fresh = JobIndex.from_profiles(final, world.catalog)
    assert_same_index(patched, fresh)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    ours = list(rank_all(residents, patched, k=8, today=world.today, courses=world.courses))
    theirs = list(rank_all(residents, fresh, k=8, today=world.today, courses=world.courses))
    assert [[r.job_id for r in results] for _, results in ours] == [[r.job_id for r in results] for _, results in theirs]


def test_patches_chain_and_empty_patches_keep_the_index():
    world = random_world(9, 60, 60)
    index = ResidentIndex.from_profiles(world.residents[:30], world.catalog)
    assert_same_index(index.patched([], []), index)
    step = index.patched(world.residents[30:45]).patched(world.residents[45:], removed=[1, 2, 3])
    assert_same_index(step, ResidentIndex.from_profiles(world.residents[3:], world.catalog))
    emptied = index.patched([], removed=[p.id for p in world.residents[:30]])
    assert len(emptied) == 0
    assert_same_index(emptied.patched(world.residents[:5]), ResidentIndex.from_profiles(world.residents[:5],
                                                                                        world.catalog))
