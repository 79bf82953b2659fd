"""Random worlds: the vectorised engine and the per-pair reference give the same top-k, both directions."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import (
    DEFAULT_CONFIG,
    EngineConfig,
    JobIndex,
    ResidentIndex,
    explain_pair,
    rank_all,
    rank_residents_for_job,
    reference,
)

from .factories import random_world
from .helpers import assert_same_result

SEEDS = [0, 1, 2, 3, 4]


@pytest.mark.parametrize("seed", SEEDS)
def test_top10_jobs_per_resident_equal_the_reference(seed):
    world = random_world(seed, 120, 160)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    engine = list(rank_all(residents, jobs, k=10, today=world.today, courses=world.courses))
    baseline = list(
        reference.rank_all(
            world.residents, world.jobs, k=10, today=world.today, catalog=world.catalog, courses=world.courses
        )
    )
    assert [rid for rid, _ in engine] == [rid for rid, _ in baseline]
    for (_, ours), (_, theirs) in zip(engine, baseline, strict=True):
        assert [r.job_id for r in ours] == [r.job_id for r in theirs]
        for a, b in zip(ours, theirs, strict=True):
            assert_same_result(a, b)
    assert sum(len(results) for _, results in engine) > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_top10_residents_per_job_equal_the_reference(seed):
    world = random_world(100 + seed, 160, 40)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    for posting in world.jobs:
        ours = rank_residents_for_job(posting, residents, k=10, today=world.today, courses=world.courses)
        theirs = reference.rank_residents_for_job(
            posting, world.residents, k=10, today=world.today, catalog=world.catalog, courses=world.courses
        )
        assert [r.resident_id for r in ours] == [r.resident_id for r in theirs]
        for a, b in zip(ours, theirs, strict=True):
            assert_same_result(a, b)


def test_many_ties_rank_identically():
    world = random_world(42, 80, 120, duplicates=0.5)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    engine = {rid: [r.job_id for r in res] for rid, res in rank_all(residents, jobs, k=10, today=world.today)}
    baseline = {
        rid: [r.job_id for r in res]
        for rid, res in reference.rank_all(
            world.residents, world.jobs, k=10, today=world.today, catalog=world.catalog
        )
    }
    assert engine == baseline


@pytest.mark.parametrize(
    ("seed", "config"),
    [(7, DEFAULT_CONFIG), (8, DEFAULT_CONFIG), (9, EngineConfig(pieces_per_month=600))],
)
def test_every_pair_explains_like_the_reference(seed, config):
    world = random_world(seed, 40, 50)
    rng = np.random.default_rng(seed)
    for i, j in rng.integers(0, [len(world.residents), len(world.jobs)], size=(300, 2)):
        resident, posting = world.residents[i], world.jobs[j]
        ours = explain_pair(
            resident, posting, today=world.today, skill_catalog=world.catalog, course_catalog=world.courses,
            config=config,
        )
        theirs = reference.explain_pair(
            resident, posting, today=world.today, catalog=world.catalog, courses=world.courses, config=config
        )
        assert_same_result(ours, theirs)


def test_random_worlds_hold_every_kind_of_piece_rate():
    jobs = random_world(7, 0, 400).jobs
    piece = [j for j in jobs if j.wage_unit == "piece"]
    assert any(j.piece_monthly_estimate is not None for j in piece)
    assert any(j.piece_monthly_estimate is None and j.wage_min is not None for j in piece)
