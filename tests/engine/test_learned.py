"""Learned scores: the engine's block computation equals the plain per-pair reference, features and all."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching.engine import (
    DEFAULT_CONFIG,
    FEATURES,
    EmployerRecord,
    JobIndex,
    LearnedModel,
    LinearModel,
    ResidentIndex,
    rank_jobs_for_resident,
    rank_residents_for_job,
    reference,
    score_pairs,
)
from matching.engine.block import PairContext, evaluate_block

from .factories import random_world


def random_model(seed: int, employers: list[int], *, retention: bool = True) -> LearnedModel:
    rng = np.random.default_rng(seed)

    def head() -> LinearModel:
        return LinearModel(intercept=float(rng.normal(-1, 0.5)), coef=rng.normal(0, 0.6, len(FEATURES)),
                           mean=rng.uniform(0, 1, len(FEATURES)), scale=rng.uniform(0.3, 2, len(FEATURES)))

    known = sorted(rng.choice(employers, size=max(1, len(employers) // 2), replace=False).tolist())
    record = EmployerRecord(ids=np.array(known), rates=rng.uniform(0, 1, len(known)), prior=0.3)
    if retention:
        return LearnedModel(hire=head(), retention=head(), employers=record, weight_rule=0.3, weight_hire=0.5,
                            weight_retention=0.2, version=7)
    return LearnedModel(hire=head(), retention=None, employers=record, weight_rule=0.4, weight_hire=0.6)


def world_with_employers(seed: int, n: int, m: int):
    world = random_world(seed, n, m)
    rng = np.random.default_rng(seed + 1000)
    jobs = tuple(replace(job, employer_id=int(rng.integers(1, 12)) if rng.random() < 0.9 else None)
                 for job in world.jobs)
    residents = tuple(replace(person, education=int(rng.integers(0, 5)) if rng.random() < 0.9 else None)
                      for person in world.residents)
    return replace(world, jobs=jobs, residents=residents)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("retention", [True, False])
def test_block_probabilities_and_scores_equal_the_reference(seed, retention):
    world = world_with_employers(seed, 40, 50)
    model = random_model(seed, list(range(1, 12)), retention=retention)
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    block = evaluate_block(residents, jobs, PairContext.build(residents, jobs, model), today=world.today)
    for i, person in enumerate(residents.profiles):
        for j, job in enumerate(jobs.profiles):
            rule, hire, kept, score = reference.learned_score(person, job, model, catalog=world.catalog,
                                                              config=DEFAULT_CONFIG, names=FEATURES)
            assert block.rule_score[i, j] == pytest.approx(rule, abs=1e-9)
            assert block.hire[i, j] == pytest.approx(hire, abs=1e-9)
            if retention:
                assert block.retention[i, j] == pytest.approx(kept, abs=1e-9)
            else:
                assert block.retention is None
            assert block.score[i, j] == pytest.approx(score, abs=1e-9)


def test_rankings_with_a_model_order_by_the_expected_value_score():
    world = world_with_employers(5, 30, 60)
    model = random_model(5, list(range(1, 12)))
    residents = ResidentIndex.from_profiles(world.residents, world.catalog)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    for person in world.residents[:10]:
        ours = rank_jobs_for_resident(person, jobs, k=8, today=world.today, model=model)
        expected = []
        for job in world.jobs:
            if reference.exclusion_reasons(person, job, today=world.today):
                continue
            _rule, _hire, _kept, score = reference.learned_score(person, job, model, catalog=world.catalog,
                                                                 config=DEFAULT_CONFIG, names=FEATURES)
            expected.append((-round(score * 1e9), job.live_recommendations / max(job.openings_remaining, 1),
                             job.valid_until.toordinal() if job.valid_until else float("inf"), job.id))
        assert [r.job_id for r in ours] == [key[-1] for key in sorted(expected)[:8]]
        for result in ours:
            assert result.rule_score is not None
            assert 0 < result.hire_probability < 1
            assert result.score == pytest.approx(model.combine(np.array(result.rule_score),
                                                               np.array(result.hire_probability),
                                                               np.array(result.retention_probability)))
    candidates = rank_residents_for_job(world.jobs[0], residents, k=5, today=world.today, model=model)
    assert all(r.hire_probability is not None for r in candidates)


def test_without_a_model_nothing_learned_is_reported():
    world = world_with_employers(6, 10, 10)
    jobs = JobIndex.from_profiles(world.jobs, world.catalog)
    results = rank_jobs_for_resident(world.residents[0], jobs, k=5, today=world.today)
    assert all((r.rule_score, r.hire_probability, r.retention_probability) == (None, None, None) for r in results)


def test_aligned_pairs_give_the_block_s_scores_and_the_reference_s_features():
    world = world_with_employers(8, 25, 25)
    model = random_model(8, list(range(1, 12)))
    people = [replace(p, id=i) for i, p in enumerate(world.residents, start=1)]
    jobs = [replace(j, id=i) for i, j in enumerate(world.jobs, start=1)]
    residents_index = ResidentIndex.from_profiles(people, world.catalog)
    jobs_index = JobIndex.from_profiles(jobs, world.catalog)
    scored = score_pairs(residents_index, jobs_index, today=world.today, model=model, with_features=True, block=7)
    rates = dict(zip(model.employers.ids.tolist(), model.employers.rates.tolist(), strict=True))
    for i, (person, job) in enumerate(zip(people, jobs, strict=True)):
        rule, hire, kept, score = reference.learned_score(person, job, model, catalog=world.catalog,
                                                          config=DEFAULT_CONFIG, names=FEATURES)
        assert (scored.rule_score[i], scored.hire[i], scored.retention[i], scored.score[i]) == pytest.approx(
            (rule, hire, kept, score), abs=1e-9)
        features = reference.learned_features(person, job, catalog=world.catalog, config=DEFAULT_CONFIG,
                                              employer_rates=rates, prior_rate=model.employers.prior)
        assert scored.features[i].tolist() == pytest.approx([features[name] for name in FEATURES], abs=1e-9)
        assert scored.excluded[i] == bool(reference.exclusion_reasons(person, job, today=world.today))


def test_no_feature_can_read_sex_or_ethnicity():
    assert not [name for name in FEATURES if any(word in name for word in ("sex", "gender", "ethnic", "minzu"))]
    from dataclasses import fields

    from matching.engine import ResidentProfile

    assert not {"sex", "gender", "ethnicity"} & {f.name for f in fields(ResidentProfile)}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda h: LearnedModel(hire=h, retention=None, employers=EmployerRecord(), weight_rule=0.5,
                                weight_hire=0.6), "sum to 1"),
        (lambda h: LearnedModel(hire=h, retention=None, employers=EmployerRecord(), weight_rule=0.5,
                                weight_hire=0.3, weight_retention=0.2), "retention"),
        (lambda h: LinearModel(intercept=0.0, coef=np.zeros(3), mean=np.zeros(3), scale=np.ones(3)), "per feature"),
        (lambda h: replace(h, scale=np.zeros(len(FEATURES))), "scale"),
        (lambda h: EmployerRecord(ids=np.array([1]), rates=np.array([1.5])), "in \\[0, 1\\]"),
    ],
)
def test_model_input_errors(build, message):
    head = LinearModel(intercept=0.0, coef=np.zeros(len(FEATURES)), mean=np.zeros(len(FEATURES)),
                       scale=np.ones(len(FEATURES)))
    with pytest.raises(ValueError, match=message):
        build(head)


def test_a_model_survives_its_json_form():
    model = random_model(3, list(range(1, 12)))
    again = LinearModel.from_dict(model.hire.to_dict())
    assert np.array_equal(again.coef, model.hire.coef)
    assert again.intercept == model.hire.intercept
    record = EmployerRecord.from_dict(model.employers.to_dict())
    assert np.array_equal(record.rates, model.employers.rates)
