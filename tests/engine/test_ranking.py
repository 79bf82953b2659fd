"""Top-k ranking in both directions: order, ties, eligibility, chunking and index handling."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import (
    JobIndex,
    ResidentIndex,
    SkillCatalog,
    eligible_jobs,
    rank_all,
    rank_all_arrays,
    rank_jobs_for_resident,
    rank_residents_for_job,
)

from .factories import BAMBOO, CATALOG, COURSES, TODAY, job, random_world, req, resident


def job_ids(results) -> list[int]:
    return [r.job_id for r in results]


def resident_ids(results) -> list[int]:
    return [r.resident_id for r in results]


def test_jobs_are_ranked_best_first():
    postings = [
        job(id=1, skills=(req(BAMBOO, 5),)),
        job(id=2, skills=(req(BAMBOO, 2),)),
        job(id=3, skills=(req(BAMBOO, 3),)),
    ]
    results = rank_jobs_for_resident(
        resident(skills={BAMBOO: 2}), JobIndex.from_profiles(postings, CATALOG), today=TODAY
    )
    assert job_ids(results) == [2, 3, 1]
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_tied_postings_go_by_recommendations_per_opening_then_deadline():
    """Equal scores: the posting that needs people more (fewer open recommendations per remaining
    opening) first, then the one that closes sooner, then the older one."""
    soon, later = TODAY + timedelta(days=5), TODAY + timedelta(days=40)
    postings = [
        job(id=1, live_recommendations=4, openings_remaining=2),  # 2 per opening
        job(id=2, live_recommendations=1, openings_remaining=2),  # 0.5 per opening
        job(id=3, live_recommendations=0, openings_remaining=1, valid_until=later),
        job(id=4, live_recommendations=0, openings_remaining=3, valid_until=soon),
        job(id=5, live_recommendations=0, openings_remaining=1),  # open-ended: after any deadline
    ]
    scores = {r.job_id: r.score for r in rank_jobs_for_resident(
        resident(), JobIndex.from_profiles(postings, CATALOG), today=TODAY)}
    assert len(set(scores.values())) == 1
    ranked = rank_jobs_for_resident(resident(), JobIndex.from_profiles(postings, CATALOG), today=TODAY)
    assert job_ids(ranked) == [4, 3, 5, 2, 1]


def test_tied_residents_go_by_fewer_open_recommendations():
    people = [resident(id=1, live_recommendations=2), resident(id=2, live_recommendations=0),
              resident(id=3, live_recommendations=1), resident(id=4, live_recommendations=0)]
    index = ResidentIndex.from_profiles(people, CATALOG)
    assert resident_ids(rank_residents_for_job(job(), index, today=TODAY)) == [2, 4, 3, 1]


@pytest.mark.parametrize("order", [[5, 3, 9, 1], [1, 3, 5, 9], [9, 5, 3, 1]])
def test_ties_break_by_lower_job_id_whatever_the_input_order(order):
    index = JobIndex.from_profiles([job(id=i) for i in order], CATALOG)
    assert job_ids(rank_jobs_for_resident(resident(), index, today=TODAY)) == [1, 3, 5, 9]


@pytest.mark.parametrize("order", [[7, 2, 4], [2, 4, 7], [4, 7, 2]])
def test_ties_break_by_lower_resident_id_whatever_the_input_order(order):
    index = ResidentIndex.from_profiles([resident(id=i) for i in order], CATALOG)
    assert resident_ids(rank_residents_for_job(job(), index, today=TODAY)) == [2, 4, 7]


def test_k_limits_and_ineligible_postings_are_left_out():
    postings = [job(id=i) for i in range(1, 8)] + [
        job(id=8, status="closed"),
        job(id=9, openings_remaining=0),
    ]
    index = JobIndex.from_profiles(postings, CATALOG)
    assert job_ids(rank_jobs_for_resident(resident(), index, k=3, today=TODAY)) == [1, 2, 3]
    assert job_ids(rank_jobs_for_resident(resident(), index, k=50, today=TODAY)) == list(range(1, 8))


def test_residents_for_a_job_skip_those_excluded():
    people = [
        resident(id=1, seeking_work=False),
        resident(id=2, age=16),
        resident(id=3),
        resident(id=4, skills={BAMBOO: 3}),
    ]
    index = ResidentIndex.from_profiles(people, CATALOG)
    posting = job(skills=(req(BAMBOO, 3),), age_min=18)
    assert resident_ids(rank_residents_for_job(posting, index, today=TODAY)) == [4, 3]
    assert rank_residents_for_job(replace(posting, status="draft"), index, today=TODAY) == []


def test_residents_for_a_job_across_chunks():
    world = random_world(5, 120, 1)
    posting = replace(
        world.jobs[0],
        status="open",
        valid_until=None,
        openings_remaining=3,
        age_min=None,
        age_max=None,
        skills=tuple(replace(s, mandatory=False) for s in world.jobs[0].skills),
    )
    index = ResidentIndex.from_profiles(world.residents, world.catalog)
    whole = rank_residents_for_job(posting, index, k=15, today=TODAY)
    chunked = rank_residents_for_job(posting, index, k=15, today=TODAY, chunk_size=7)
    assert resident_ids(whole) == resident_ids(chunked)
    assert len(whole) == 15


def test_nothing_to_rank():
    empty_jobs = JobIndex.from_profiles([], CATALOG)
    empty_residents = ResidentIndex.from_profiles([], CATALOG)
    assert rank_jobs_for_resident(resident(), empty_jobs, today=TODAY) == []
    assert rank_residents_for_job(job(), empty_residents, today=TODAY) == []
    assert list(rank_all(empty_residents, JobIndex.from_profiles([job()], CATALOG), today=TODAY)) == []
    assert list(rank_all(ResidentIndex.from_profiles([resident()], CATALOG), empty_jobs, today=TODAY)) == [
        (1, [])
    ]


def test_an_index_row_can_stand_for_the_resident():
    people = ResidentIndex.from_profiles([resident(id=1), resident(id=2, skills={BAMBOO: 4})], CATALOG)
    postings = JobIndex.from_profiles([job(id=1, skills=(req(BAMBOO, 4),)), job(id=2)], CATALOG)
    by_index = rank_jobs_for_resident(people.select([2]), postings, today=TODAY)
    by_profile = rank_jobs_for_resident(resident(id=2, skills={BAMBOO: 4}), postings, today=TODAY)
    assert by_index == by_profile
    with pytest.raises(ValueError, match="one-resident"):
        rank_jobs_for_resident(people, postings, today=TODAY)
    with pytest.raises(KeyError):
        people.select([99])


def test_rank_all_matches_one_by_one_ranking_and_arrays():
    world = random_world(11, 60, 90)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    everything = dict(rank_all(residents, jobs, k=5, today=world.today, courses=world.courses, chunk_size=13))
    assert list(everything) == sorted(r.id for r in world.residents)
    for profile in world.residents[:20]:
        assert everything[profile.id] == rank_jobs_for_resident(
            profile, jobs, k=5, today=world.today, courses=world.courses
        )
    chunks = list(rank_all_arrays(residents, jobs, k=5, today=world.today, chunk_size=17))
    ids = np.concatenate([c.resident_ids for c in chunks])
    top = np.concatenate([c.job_ids for c in chunks])
    scores = np.concatenate([c.scores for c in chunks])
    assert ids.tolist() == list(everything)
    for row, rid in enumerate(ids):
        expected = everything[int(rid)]
        assert top[row, : len(expected)].tolist() == job_ids(expected)
        assert (top[row, len(expected) :] == -1).all()
        assert np.allclose(scores[row, : len(expected)], [r.score for r in expected], rtol=0, atol=0)
        assert np.isnan(scores[row, len(expected) :]).all()


@pytest.mark.parametrize("chunk_size", [1, 3, 1000, None])
def test_chunk_size_does_not_change_results(chunk_size):
    world = random_world(3, 25, 40)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    baseline = list(rank_all(residents, jobs, k=4, today=world.today))
    assert list(rank_all(residents, jobs, k=4, today=world.today, chunk_size=chunk_size)) == baseline


def test_courses_are_only_looked_up_when_given():
    postings = JobIndex.from_profiles([job(skills=(req(BAMBOO, 2),))], CATALOG)
    assert rank_jobs_for_resident(resident(), postings, today=TODAY)[0].courses_for_missing == ()
    assert rank_jobs_for_resident(resident(), postings, today=TODAY, courses=COURSES)[
        0
    ].courses_for_missing == (12, 14)


def test_indexes_must_share_catalog_and_config():
    other = SkillCatalog.from_mapping({BAMBOO: None})
    with pytest.raises(ValueError, match="skill catalogs"):
        rank_jobs_for_resident(
            ResidentIndex.from_profiles([resident()], other),
            JobIndex.from_profiles([job()], CATALOG),
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: JobIndex.from_profiles([job(id=1), job(id=1)], CATALOG), "unique"),
        (
            lambda: ResidentIndex.from_profiles([resident(skills={999: 1})], CATALOG),
            "not in the skill catalog",
        ),
        (lambda: JobIndex.from_profiles([job(skills=(req(999),))], CATALOG), "not in the skill catalog"),
    ],
)
def test_index_input_errors(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize("kind", ["residents", "jobs"])
def test_a_sub_index_slices_every_per_row_field_and_shares_the_rest(kind):
    """A field added to an index but forgotten in its ROW_ARRAYS/ROW_MATRICES would keep all rows in a
    sub-index and misalign the ranking: every field with one row per profile must shrink with `take`."""
    world = random_world(5, 37, 41)
    index = (ResidentIndex.from_profiles(world.residents, world.catalog) if kind == "residents"
             else JobIndex.from_profiles(world.jobs, world.catalog))
    n = len(index)
    part = index.take([1, 4, 9])
    assert list(part.ids) == [index.ids[i] for i in (1, 4, 9)]
    assert len(part) == 3
    for name, value in vars(index).items():
        if isinstance(value, np.ndarray | sp.spmatrix | sp.sparray) and value.shape and value.shape[0] == n:
            assert getattr(part, name).shape[0] == 3, name
        elif name != "profiles":
            assert getattr(part, name) is value, name
    assert part.select([index.ids[4]]).position(index.ids[4]) == 0


def test_eligible_jobs_are_what_an_unlimited_ranking_returns():
    world = random_world(11, 30, 120)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    for person in world.residents:
        ranked = rank_jobs_for_resident(person, jobs, k=len(jobs), today=world.today)
        screened = eligible_jobs(person, jobs, today=world.today)
        assert sorted(r.job_id for r in ranked) == jobs.ids[screened].tolist()
