"""Turn the arrays of chosen pairs into MatchResult / Exclusion dataclasses with stable note codes."""

from __future__ import annotations

from datetime import date

import numpy as np

from .block import PairBlock, PairContext, evaluate_block
from .config import DEFAULT_CONFIG, EngineConfig
from .contracts import (
    Component,
    ComponentScore,
    CourseCatalog,
    Exclusion,
    ExclusionReason,
    JobProfile,
    MatchNote,
    MatchResult,
    ResidentProfile,
    SkillCatalog,
    SkillRequirement,
)
from .index import JobIndex, ResidentIndex
from .learned import LearnedModel
from .notes import BIT, decode, pair_bits

NO_COURSES = CourseCatalog()
_NO_SKILLS: tuple[tuple[int, ...], ...] = ((), (), (), (), ())
_MAX_SHARED_COMPONENTS = 100_000

Asked = tuple[tuple[int, int, int | None], ...]  # (skill_id, level, group) by skill id


def _by_skill(requirement: SkillRequirement) -> int:
    return requirement.skill_id


class Explainer:
    """Builds MatchResults for chosen pairs of evaluated blocks.

    Remembers per-resident and per-posting facts by id, so explaining the top k of many
    residents against the same postings does the posting-side work once. Use one Explainer per
    ranking call (ids are unique within an index).
    """

    def __init__(
        self, catalog: SkillCatalog, config: EngineConfig, courses: CourseCatalog | None = None
    ) -> None:
        self.catalog = catalog
        self.config = config
        self.courses = courses or NO_COURSES
        self._held: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
        self._asked: dict[int, tuple[Asked, Asked]] = {}
        self._notes: dict[int, tuple[MatchNote, ...]] = {}
        self._nothing_held: dict[int, tuple[tuple[int, ...], ...]] = {}
        self._components: dict[tuple[Component, float], ComponentScore] = {}
        self._weights = tuple(config.weights.items())
        self._total = config.total_weight

    def _resident_skills(self, resident: ResidentProfile) -> tuple[dict[int, int], dict[int, int]]:
        """Held skill → level, and group → how many held skills are in it."""
        facts = self._held.get(resident.id)
        if facts is None:
            held = dict(resident.skills)
            per_group: dict[int, int] = {}
            for skill_id in held:
                group = self.catalog.group_of.get(skill_id)
                if group is not None:
                    per_group[group] = per_group.get(group, 0) + 1
            facts = self._held[resident.id] = (held, per_group)
        return facts

    def _job_skills(self, job: JobProfile) -> tuple[Asked, Asked]:
        """The posting's required skills, then its preferred ones."""
        facts = self._asked.get(job.id)
        if facts is None:
            group_of = self.catalog.group_of
            facts = self._asked[job.id] = (
                tuple(
                    (q.skill_id, q.level, group_of.get(q.skill_id))
                    for q in sorted(job.required_skills, key=_by_skill)
                ),
                tuple(
                    (q.skill_id, q.level, group_of.get(q.skill_id))
                    for q in sorted(job.preferred_skills, key=_by_skill)
                ),
            )
        return facts

    def notes(self, bits: int) -> tuple[MatchNote, ...]:
        """The notes of a bit set (decoded once per distinct set)."""
        found = self._notes.get(bits)
        if found is None:
            found = self._notes[bits] = decode(bits)
        return found

    def skill_details(self, resident: ResidentProfile, job: JobProfile) -> tuple[tuple[int, ...], ...]:
        """(matched, missing required, missing preferred, related, courses): skill ids, and ids of
        courses that raise a missing required skill above the level held. Related: a missing
        skill for which the resident holds another skill of the same group."""
        required, preferred = self._asked.get(job.id) or self._job_skills(job)
        if not required and not preferred:
            return _NO_SKILLS
        held, per_group = self._held.get(resident.id) or self._resident_skills(resident)
        if not held:  # the same answer for everyone who holds no skill: once per posting
            found = self._nothing_held.get(job.id)
            if found is None:
                found = self._nothing_held[job.id] = self._details(required, preferred, held, per_group)
            return found
        return self._details(required, preferred, held, per_group)

    def _details(self, required: Asked, preferred: Asked, held: dict[int, int], per_group: dict[int, int]):
        have_level, group_count = held.get, per_group.get
        matched, missing, missing_preferred, related, courses = [], [], [], [], []
        teaching = self.courses.courses_raising if self.courses.courses else None
        for skill_id, level, group in required:
            have = have_level(skill_id, 0)
            if have >= level:
                matched.append(skill_id)
                continue
            missing.append(skill_id)
            if group is not None and group_count(group, 0) > (1 if have else 0):
                related.append(skill_id)
            if teaching is not None:
                courses.extend(teaching(skill_id, have))
        for skill_id, level, group in preferred:
            have = have_level(skill_id, 0)
            if have >= level:
                continue
            missing_preferred.append(skill_id)
            if group is not None and group_count(group, 0) > (1 if have else 0):
                related.append(skill_id)
        return (
            tuple(matched),
            tuple(missing),
            tuple(missing_preferred),
            tuple(sorted(related)) if missing_preferred and related else tuple(related),
            tuple(sorted(set(courses))) if courses else (),
        )

    def components(self, name: Component, weight: float, values: np.ndarray) -> list[ComponentScore]:
        """ComponentScores for a column of values, shared between results with the same value
        (they are immutable, and most components take few distinct values)."""
        shared = self._components
        if len(shared) >= _MAX_SHARED_COMPONENTS:
            shared.clear()
        distinct, which = np.unique(values, return_inverse=True)
        scores = []
        for value in distinct.tolist():
            score = shared.get((name, value))
            if score is None:
                score = shared[(name, value)] = ComponentScore(
                    name=name, value=value, weight=weight, contribution=weight * value / self._total
                )
            scores.append(score)
        return [scores[i] for i in which.ravel().tolist()]

    def results(self, block: PairBlock, rows: np.ndarray, cols: np.ndarray) -> list[MatchResult]:
        """MatchResults of the pairs (rows[i], cols[i]) of an evaluated block, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        shape = block.score.shape
        components = list(
            zip(
                *(
                    self.components(name, weight, np.broadcast_to(block.components[name], shape)[rows, cols])
                    for name, weight in self._weights
                ),
                strict=True,
            )
        )
        scores = block.score[rows, cols].tolist()
        learned = block.hire is not None
        rule_scores = block.rule_score[rows, cols].tolist() if learned else [None] * len(scores)
        hires = block.hire[rows, cols].tolist() if learned else [None] * len(scores)
        retentions = (block.retention[rows, cols].tolist() if block.retention is not None
                      else [None] * len(scores))
        distances = block.distance[rows, cols].tolist()
        wages = block.jobs.monthly_wage[cols].tolist()
        note_bits = pair_bits(block.residents, block.jobs, rows, cols).tolist()
        related_bit = BIT[MatchNote.RELATED_SKILL_CREDIT]
        residents, jobs = block.residents.profiles, block.jobs.profiles
        skill_details, notes, new_result = self.skill_details, self.notes, _new_match_result
        results = []
        for row, col, pair_components, score, distance, wage, bits, rule, hire, retention in zip(
            rows.tolist(), cols.tolist(), components, scores, distances, wages, note_bits, rule_scores, hires,
            retentions, strict=True,
        ):
            resident, job = residents[row], jobs[col]
            matched, missing, missing_preferred, related, courses = skill_details(resident, job)
            if related:
                bits |= related_bit
            results.append(
                new_result(
                    resident_id=resident.id,
                    job_id=job.id,
                    score=score,
                    components=pair_components,
                    matched_skills=matched,
                    missing_skills=missing,
                    missing_preferred=missing_preferred,
                    related_skills=related,
                    courses_for_missing=courses,
                    distance_km=None if distance != distance else distance,  # NaN: unknown
                    monthly_wage_estimate=None if wage != wage else wage,
                    notes=notes(bits),
                    rule_score=rule,
                    hire_probability=hire,
                    retention_probability=retention,
                )
            )
        return results


def _new_match_result(**fields) -> MatchResult:
    """A MatchResult without the frozen dataclass's __init__ (one object.__setattr__ per field), for the
    thousands the explainer builds per call. Every field is given; the result is the same frozen,
    equal and hashable value that MatchResult(**fields) makes (a test checks it)."""
    result = object.__new__(MatchResult)
    result.__dict__.update(fields)
    return result


def pair_reasons(block: PairBlock, row: int, col: int) -> tuple[ExclusionReason, ...]:
    """Every hard rule that excludes pair (row, col), in ExclusionReason order."""
    shape = (len(block.residents), len(block.jobs))
    return tuple(
        reason
        for reason, mask in block.reasons.items()
        if mask is not None and np.broadcast_to(mask, shape)[row, col]
    )


def inspect_pair(
    resident: ResidentProfile,
    job: JobProfile,
    *,
    today: date,
    skill_catalog: SkillCatalog,
    course_catalog: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
    model: LearnedModel | None = None,
) -> tuple[MatchResult, tuple[ExclusionReason, ...]]:
    """Score and explain one pair whether or not a hard rule excludes it, with every rule that does: what a
    person checking a single pair wants to read (the score it would have, and why it is out)."""
    residents = ResidentIndex.from_profiles([resident], skill_catalog, config)
    jobs = JobIndex.from_profiles([job], skill_catalog, config)
    block = evaluate_block(residents, jobs, PairContext.build(residents, jobs, model), today=today)
    pair = np.array([0])
    result = Explainer(skill_catalog, config, course_catalog).results(block, pair, pair)[0]
    return result, pair_reasons(block, 0, 0)


def explain_pair(
    resident: ResidentProfile,
    job: JobProfile,
    *,
    today: date,
    skill_catalog: SkillCatalog,
    course_catalog: CourseCatalog | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
    model: LearnedModel | None = None,
) -> MatchResult | Exclusion:
    """Score one pair, or say every hard rule that rules it out. `today` decides expiry."""
    residents = ResidentIndex.from_profiles([resident], skill_catalog, config)
    jobs = JobIndex.from_profiles([job], skill_catalog, config)
    block = evaluate_block(residents, jobs, PairContext.build(residents, jobs, model), today=today)
    explainer = Explainer(skill_catalog, config, course_catalog)
    pair = np.array([0])
    reasons = pair_reasons(block, 0, 0)
    if not reasons:
        return explainer.results(block, pair, pair)[0]
    bits = int(pair_bits(residents, jobs, pair, pair)[0])
    if explainer.skill_details(resident, job)[3]:
        bits |= BIT[MatchNote.RELATED_SKILL_CREDIT]
    return Exclusion(resident_id=resident.id, job_id=job.id, reasons=reasons, notes=decode(bits))
