"""Column-wise, sparse representations of residents and postings, built once and ranked many times."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar, Self

import numpy as np
import scipy.sparse as sp

from .config import DEFAULT_CONFIG, EngineConfig
from .contracts import (
    JOB_WORK_TIMES,
    RESIDENT_WORK_TIMES,
    JobProfile,
    ResidentProfile,
    SkillCatalog,
)
from .geo import unit_vectors
from .notes import job_bits, resident_bits
from .occupations import GROUP_DEPTHS, group_prefixes
from .scoring import priority_value
from .wages import monthly_wage_estimate

NO_EXPIRY = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class SkillSpace:
    """Column layout of skills and skill groups, derived from a SkillCatalog."""

    catalog: SkillCatalog
    column_of: dict[int, int]
    group_column: np.ndarray  # (n_skills,) group column of each skill, -1 when ungrouped
    n_groups: int

    @classmethod
    def from_catalog(cls, catalog: SkillCatalog) -> SkillSpace:
        column_of = {skill_id: col for col, skill_id in enumerate(catalog.skill_ids)}
        groups = sorted({g for _, g in catalog.groups if g is not None})
        group_col = {g: col for col, g in enumerate(groups)}
        group_column = np.array(
            [group_col[g] if g is not None else -1 for _, g in catalog.groups], dtype=np.int64
        )
        return cls(catalog, column_of, group_column, len(groups))

    @property
    def n_skills(self) -> int:
        return len(self.column_of)

    def column(self, skill_id: int, owner: str) -> int:
        try:
            return self.column_of[skill_id]
        except KeyError:
            raise ValueError(f"{owner}: skill {skill_id} is not in the skill catalog") from None


def _sorted_by_id(profiles: Iterable, kind: str) -> tuple:
    ordered = tuple(sorted(profiles, key=lambda p: p.id))
    ids = [p.id for p in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{kind} ids must be unique")
    return ordered


def _optional(values: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _coordinates(profiles: Sequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat = np.radians(_optional(p.lat for p in profiles))
    lon = np.radians(_optional(p.lon for p in profiles))
    return lat, lon, unit_vectors(lat, lon).reshape(len(profiles), 3)


def _vocabulary(codes: Sequence[str | None]) -> tuple[tuple[str, ...], np.ndarray]:
    """Distinct codes (sorted) and each row's position in them (-1 for None)."""
    vocab = tuple(sorted({c for c in codes if c is not None}))
    position = {c: i for i, c in enumerate(vocab)}
    return vocab, np.array([position[c] if c is not None else -1 for c in codes], dtype=np.int64)


def _take_rows(matrix: sp.csr_matrix, positions: np.ndarray) -> sp.csr_matrix:
    return matrix[positions] if matrix.shape[0] else matrix


class _Rows:
    """What both indexes share: one row per profile, sorted by id; sub-indexes by position or id.

    `ROW_ARRAYS` are the per-row numpy arrays and `ROW_MATRICES` the per-row sparse matrices that a
    sub-index slices; every other field (vocabularies, column metadata, config) is shared as it is.
    """

    ROW_ARRAYS: ClassVar[tuple[str, ...]] = ()
    ROW_MATRICES: ClassVar[tuple[str, ...]] = ()
    KIND: ClassVar[str] = ""

    def __len__(self) -> int:
        return len(self.profiles)

    def take(self, positions: np.ndarray | Sequence[int]) -> Self:
        """A sub-index of the rows at `positions` (ascending positions keep the id order)."""
        pos = np.asarray(positions, dtype=np.int64)
        sliced = {name: getattr(self, name)[pos] for name in self.ROW_ARRAYS}
        sliced.update({name: _take_rows(getattr(self, name), pos) for name in self.ROW_MATRICES})
        return replace(self, profiles=tuple(map(self.profiles.__getitem__, pos.tolist())), **sliced)

    def select(self, ids: Iterable[int]) -> Self:
        """A sub-index of the given ids (KeyError for an unknown id)."""
        return self.take(_positions(self.ids, ids, self.KIND))

    def position(self, row_id: int) -> int:
        return int(_positions(self.ids, [row_id], self.KIND)[0])

    def patched(self, changed: Iterable, removed: Iterable[int] = ()) -> Self:
        """This index with the `changed` profiles' rows replaced (or added) and the `removed` ids dropped:
        the same index that `from_profiles` builds from all the resulting profiles, at the cost of the
        changed rows only."""
        changed = _sorted_by_id(changed, self.KIND)
        keep = _keep_positions(self.ids, changed, removed)
        if not changed:
            return self.take(keep)._compacted()
        extra = type(self).from_profiles(changed, self.skills.catalog, self.config)
        return self._stacked(extra).take(_merged_order(self.ids, keep, extra.ids))._compacted()


@dataclass(frozen=True, eq=False)
class ResidentIndex(_Rows):
    """Residents as arrays (one row each, sorted by id) and sparse skill matrices."""

    config: EngineConfig
    skills: SkillSpace
    profiles: tuple[ResidentProfile, ...]
    ids: np.ndarray
    age: np.ndarray  # NaN: unknown
    seeking_work: np.ndarray
    accepts_home_based: np.ndarray
    accepts_outside_county: np.ndarray
    max_commute_km: np.ndarray  # inf: no limit
    lat: np.ndarray  # radians, NaN: unknown
    lon: np.ndarray
    xyz: np.ndarray  # (n, 3) unit vectors
    county_vocab: tuple[str, ...]
    county: np.ndarray  # position in county_vocab, -1: unknown
    occupation_vocab: tuple[str, ...]  # distinct wanted codes
    wanted: np.ndarray  # (n, slots) positions in occupation_vocab, -1 padding
    min_wage: np.ndarray  # NaN: none given
    hours_category: np.ndarray  # work-time preference × care duties, see scoring.hours_table
    priority: np.ndarray
    note_bits: np.ndarray  # resident-only MatchNote bits, see notes.py
    estimated: np.ndarray  # the home's coordinates are estimated from its town
    live_recommendations: np.ndarray  # recommendations still open (tie-break: fewer first)
    education: np.ndarray  # ordinal 0..4, NaN: unknown
    levels: sp.csr_matrix  # (n, skills) level 1..5 of each held skill
    group_levels: sp.csr_matrix  # (n, groups) highest level held in each skill group

    @classmethod
    def from_profiles(
        cls,
        residents: Iterable[ResidentProfile],
        skill_catalog: SkillCatalog,
        config: EngineConfig = DEFAULT_CONFIG,
    ) -> ResidentIndex:
        profiles = _sorted_by_id(residents, "resident")
        space = SkillSpace.from_catalog(skill_catalog)
        n = len(profiles)
        lat, lon, xyz = _coordinates(profiles)
        county_vocab, county = _vocabulary([p.county_code for p in profiles])

        occupation_vocab = tuple(sorted({c for p in profiles for c in p.wanted_occupations}))
        occ_pos = {c: i for i, c in enumerate(occupation_vocab)}
        slots = max((len(p.wanted_occupations) for p in profiles), default=0)
        wanted = np.full((n, max(slots, 1)), -1, dtype=np.int64)
        for row, p in enumerate(profiles):
            wanted[row, : len(p.wanted_occupations)] = [occ_pos[c] for c in p.wanted_occupations]

        rows, cols, vals = [], [], []
        for row, p in enumerate(profiles):
            for skill_id, level in p.skills:
                rows.append(row)
                cols.append(space.column(skill_id, f"resident {p.id}"))
                vals.append(float(level))
        rows_a = np.array(rows, dtype=np.int64)
        cols_a = np.array(cols, dtype=np.int64)
        vals_a = np.array(vals, dtype=np.float64)
        levels = sp.csr_matrix((vals_a, (rows_a, cols_a)), shape=(n, space.n_skills))
        group_levels = _group_maxima(
            rows_a, space.group_column[cols_a] if len(cols_a) else cols_a, vals_a, n, space.n_groups
        )

        return cls(
            config=config,
            skills=space,
            profiles=profiles,
            ids=np.array([p.id for p in profiles], dtype=np.int64),
            age=_optional(p.age for p in profiles),
            seeking_work=np.array([p.seeking_work for p in profiles], dtype=bool),
            accepts_home_based=np.array([p.accepts_home_based for p in profiles], dtype=bool),
            accepts_outside_county=np.array([p.accepts_outside_county for p in profiles], dtype=bool),
            max_commute_km=np.array(
                [np.inf if p.max_commute_km is None else float(p.max_commute_km) for p in profiles],
                dtype=np.float64,
            ),
            lat=lat,
            lon=lon,
            xyz=xyz,
            county_vocab=county_vocab,
            county=county,
            occupation_vocab=occupation_vocab,
            wanted=wanted,
            min_wage=_optional(p.min_monthly_wage for p in profiles),
            hours_category=np.array(
                [RESIDENT_WORK_TIMES.index(p.work_time) * 2 + int(p.has_care_duties) for p in profiles],
                dtype=np.int64,
            ),
            priority=np.array([priority_value(p, config) for p in profiles], dtype=np.float64),
            note_bits=np.array([resident_bits(p) for p in profiles], dtype=np.int64),
            estimated=np.array([p.coordinates_estimated and p.has_coordinates for p in profiles], dtype=bool),
            live_recommendations=np.array([p.live_recommendations for p in profiles], dtype=np.int64),
            education=_optional(p.education for p in profiles),
            levels=levels,
            group_levels=group_levels,
        )

    def _stacked(self, extra: ResidentIndex) -> ResidentIndex:
        """All rows of this index, then those of `extra`, on shared vocabularies."""
        county_vocab, county = _merge_vocab(self.county_vocab, self.county, extra.county_vocab, extra.county)
        occupation_vocab, wanted = _merge_vocab(self.occupation_vocab, self.wanted, extra.occupation_vocab,
                                                extra.wanted)
        arrays = {name: _concat_rows(getattr(self, name), getattr(extra, name)) for name in self.ROW_ARRAYS}
        return replace(
            self,
            profiles=self.profiles + extra.profiles,
            county_vocab=county_vocab,
            occupation_vocab=occupation_vocab,
            **{**arrays, "county": county, "wanted": wanted},
            levels=sp.vstack([self.levels, extra.levels], format="csr"),
            group_levels=sp.vstack([self.group_levels, extra.group_levels], format="csr"),
        )

    def _compacted(self) -> ResidentIndex:
        """Without the vocabulary entries and occupation slots no row uses any more."""
        county_vocab, county = _compact_vocab(self.county_vocab, self.county)
        occupation_vocab, wanted = _compact_vocab(self.occupation_vocab, self.wanted)
        slots = max(int((wanted >= 0).sum(axis=1).max(initial=0)), 1)
        return replace(self, county_vocab=county_vocab, county=county, occupation_vocab=occupation_vocab,
                       wanted=np.ascontiguousarray(wanted[:, :slots]))

    ROW_ARRAYS: ClassVar[tuple[str, ...]] = (
        "ids", "age", "seeking_work", "accepts_home_based", "accepts_outside_county", "max_commute_km", "lat", "lon",
        "xyz", "county", "wanted", "min_wage", "hours_category", "priority", "note_bits", "estimated",
        "live_recommendations", "education",
    )
    ROW_MATRICES: ClassVar[tuple[str, ...]] = ("levels", "group_levels")
    KIND: ClassVar[str] = "resident"


@dataclass(frozen=True, eq=False)
class JobIndex(_Rows):
    """Postings as arrays (one row each, sorted by id) and sparse skill-requirement matrices.

    Skill requirements live in "active columns": the distinct (skill, level) pairs any posting
    asks for. `skill_weights` holds 1/#required at required columns and
    preferred_bonus/#preferred at preferred ones, so credits @ skill_weights.T + skill_offset is
    the (uncapped) skill component in one sparse product.
    """

    config: EngineConfig
    skills: SkillSpace
    profiles: tuple[JobProfile, ...]
    ids: np.ndarray
    is_open: np.ndarray
    valid_until: np.ndarray  # proleptic ordinal, NO_EXPIRY when open-ended
    openings_remaining: np.ndarray
    home_based: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    xyz: np.ndarray
    county_vocab: tuple[str, ...]
    county: np.ndarray
    occupation_vocab: tuple[str, ...]  # distinct posting codes
    occupation: np.ndarray  # position in occupation_vocab, -1: none
    occupation_prefix_ids: dict[tuple[int, str], int]  # (depth, prefix) -> id
    occupation_prefixes: np.ndarray  # (len(occupation_vocab), 3) prefix ids, -1: code too short
    hours_category: np.ndarray  # work time × home-based, see scoring.hours_table
    age_min: np.ndarray  # NaN: no limit
    age_max: np.ndarray
    monthly_wage: np.ndarray  # NaN: no wage given
    note_bits: np.ndarray  # posting-only MatchNote bits, see notes.py
    estimated: np.ndarray  # the workplace's coordinates are estimated from its town
    recommendation_load: np.ndarray  # open recommendations per remaining opening (tie-break: fewer first)
    employer: np.ndarray  # employer id, -1: unknown
    active_skill: np.ndarray  # (A,) skill column of each active (skill, level) column, sorted by (skill, level)
    active_group: np.ndarray  # (A,) group column, -1 when ungrouped
    active_level: np.ndarray  # (A,) required level as float
    skill_weights: sp.csr_matrix  # (m, A)
    skill_offset: np.ndarray  # (m,) neutral when a posting has no required skills, else 0
    n_required: np.ndarray
    n_preferred: np.ndarray
    mandatory_skill: np.ndarray  # (M,) skill column of each mandatory (skill, level) column
    mandatory_level: np.ndarray  # (M,)
    mandatory: sp.csr_matrix  # (m, M) 1 where the posting makes that (skill, level) mandatory
    n_mandatory: np.ndarray

    @classmethod
    def from_profiles(
        cls,
        jobs: Iterable[JobProfile],
        skill_catalog: SkillCatalog,
        config: EngineConfig = DEFAULT_CONFIG,
    ) -> JobIndex:
        profiles = _sorted_by_id(jobs, "posting")
        space = SkillSpace.from_catalog(skill_catalog)
        m = len(profiles)
        lat, lon, xyz = _coordinates(profiles)
        county_vocab, county = _vocabulary([p.county_code for p in profiles])
        occupation_vocab, occupation = _vocabulary([p.occupation_code for p in profiles])
        prefix_ids, prefixes = _occupation_prefixes(occupation_vocab)

        w_rows, w_keys, w_vals, m_rows, m_keys = [], [], [], [], []
        n_required = np.zeros(m, dtype=np.int64)
        n_preferred = np.zeros(m, dtype=np.int64)
        for row, p in enumerate(profiles):
            required = p.required_skills
            preferred = p.preferred_skills
            n_required[row] = len(required)
            n_preferred[row] = len(preferred)
            for group, weight in (
                (required, 1.0 / max(len(required), 1)),
                (preferred, config.preferred_bonus / max(len(preferred), 1)),
            ):
                for req in group:
                    key = (space.column(req.skill_id, f"posting {p.id}"), req.level)
                    w_rows.append(row)
                    w_keys.append(key)
                    w_vals.append(weight)
                    if req.mandatory:
                        m_rows.append(row)
                        m_keys.append(key)
        # Columns in (skill, level) order, so that an index patched row by row has the same layout.
        active = {key: col for col, key in enumerate(sorted(set(w_keys)))}
        mandatory_cols = {key: col for col, key in enumerate(sorted(set(m_keys)))}
        w_cols = [active[key] for key in w_keys]
        m_cols = [mandatory_cols[key] for key in m_keys]
        skill_weights = sp.csr_matrix((w_vals, (w_rows, w_cols)), shape=(m, len(active)), dtype=np.float64)
        mandatory = sp.csr_matrix(
            (np.ones(len(m_rows)), (m_rows, m_cols)), shape=(m, len(mandatory_cols)), dtype=np.float64
        )
        active_skill = np.array([s for s, _ in active], dtype=np.int64)

        return cls(
            config=config,
            skills=space,
            profiles=profiles,
            ids=np.array([p.id for p in profiles], dtype=np.int64),
            is_open=np.array([p.status == "open" for p in profiles], dtype=bool),
            valid_until=np.array(
                [NO_EXPIRY if p.valid_until is None else p.valid_until.toordinal() for p in profiles],
                dtype=np.int64,
            ),
            openings_remaining=np.array([p.openings_remaining for p in profiles], dtype=np.int64),
            home_based=np.array([p.is_home_based for p in profiles], dtype=bool),
            lat=lat,
            lon=lon,
            xyz=xyz,
            county_vocab=county_vocab,
            county=county,
            occupation_vocab=occupation_vocab,
            occupation=occupation,
            occupation_prefix_ids=prefix_ids,
            occupation_prefixes=prefixes,
            hours_category=np.array(
                [JOB_WORK_TIMES.index(p.work_time) * 2 + int(p.is_home_based) for p in profiles],
                dtype=np.int64,
            ),
            age_min=_optional(p.age_min for p in profiles),
            age_max=_optional(p.age_max for p in profiles),
            monthly_wage=_optional(monthly_wage_estimate(p, config) for p in profiles),
            note_bits=np.array([job_bits(p, config) for p in profiles], dtype=np.int64),
            estimated=np.array([p.coordinates_estimated and p.has_coordinates for p in profiles], dtype=bool),
            recommendation_load=np.array(
                [p.live_recommendations / max(p.openings_remaining, 1) for p in profiles], dtype=np.float64
            ),
            employer=np.array([-1 if p.employer_id is None else p.employer_id for p in profiles], dtype=np.int64),
            active_skill=active_skill,
            active_group=space.group_column[active_skill] if len(active_skill) else active_skill,
            active_level=np.array([lv for _, lv in active], dtype=np.float64),
            skill_weights=skill_weights,
            skill_offset=np.where(n_required == 0, config.neutral, 0.0),
            n_required=n_required,
            n_preferred=n_preferred,
            mandatory_skill=np.array([s for s, _ in mandatory_cols], dtype=np.int64),
            mandatory_level=np.array([lv for _, lv in mandatory_cols], dtype=np.float64),
            mandatory=mandatory,
            n_mandatory=np.asarray(mandatory.sum(axis=1)).ravel().astype(np.int64),
        )

    def available(self, today: date) -> np.ndarray:
        """Postings that pass the posting-only rules on `today`: open, not expired, not full."""
        return self.is_open & (self.valid_until >= today.toordinal()) & (self.openings_remaining > 0)

    def _stacked(self, extra: JobIndex) -> JobIndex:
        """All rows of this index, then those of `extra`, on shared vocabularies and skill columns."""
        county_vocab, county = _merge_vocab(self.county_vocab, self.county, extra.county_vocab, extra.county)
        occupation_vocab, occupation = _merge_vocab(self.occupation_vocab, self.occupation, extra.occupation_vocab,
                                                    extra.occupation)
        active, skill_weights = _merge_columns(self.active_skill, self.active_level, self.skill_weights,
                                               extra.active_skill, extra.active_level, extra.skill_weights)
        mandatory_keys, mandatory = _merge_columns(self.mandatory_skill, self.mandatory_level, self.mandatory,
                                                   extra.mandatory_skill, extra.mandatory_level, extra.mandatory)
        arrays = {name: _concat_rows(getattr(self, name), getattr(extra, name)) for name in self.ROW_ARRAYS}
        return replace(
            self,
            profiles=self.profiles + extra.profiles,
            county_vocab=county_vocab,
            occupation_vocab=occupation_vocab,
            **{**arrays, "county": county, "occupation": occupation},
            active_skill=active[0], active_level=active[1], skill_weights=skill_weights,
            mandatory_skill=mandatory_keys[0], mandatory_level=mandatory_keys[1], mandatory=mandatory,
        )

    def _compacted(self) -> JobIndex:
        """Without the vocabulary entries and skill columns no row uses any more."""
        county_vocab, county = _compact_vocab(self.county_vocab, self.county)
        occupation_vocab, occupation = _compact_vocab(self.occupation_vocab, self.occupation)
        prefix_ids, prefixes = _occupation_prefixes(occupation_vocab)
        (active_skill, active_level), skill_weights = _compact_columns(self.active_skill, self.active_level,
                                                                       self.skill_weights)
        (mandatory_skill, mandatory_level), mandatory = _compact_columns(self.mandatory_skill, self.mandatory_level,
                                                                         self.mandatory)
        return replace(
            self, county_vocab=county_vocab, county=county, occupation_vocab=occupation_vocab,
            occupation=occupation, occupation_prefix_ids=prefix_ids, occupation_prefixes=prefixes,
            active_skill=active_skill, active_level=active_level,
            active_group=self.skills.group_column[active_skill] if len(active_skill) else active_skill,
            skill_weights=skill_weights, mandatory_skill=mandatory_skill, mandatory_level=mandatory_level,
            mandatory=mandatory,
        )

    ROW_ARRAYS: ClassVar[tuple[str, ...]] = (
        "ids", "is_open", "valid_until", "openings_remaining", "home_based", "lat", "lon", "xyz", "county",
        "occupation", "hours_category", "age_min", "age_max", "monthly_wage", "note_bits", "skill_offset",
        "n_required", "n_preferred", "n_mandatory", "estimated", "recommendation_load", "employer",
    )
    ROW_MATRICES: ClassVar[tuple[str, ...]] = ("skill_weights", "mandatory")
    KIND: ClassVar[str] = "posting"


def _occupation_prefixes(vocab: tuple[str, ...]) -> tuple[dict[tuple[int, str], int], np.ndarray]:
    """Ids of the (depth, prefix) groups of each code of `vocab`, in vocabulary order."""
    prefix_ids: dict[tuple[int, str], int] = {}
    prefixes = np.full((len(vocab), GROUP_DEPTHS), -1, dtype=np.int64)
    for row, code in enumerate(vocab):
        for depth, prefix in enumerate(group_prefixes(code)):
            if prefix is not None:
                prefixes[row, depth] = prefix_ids.setdefault((depth, prefix), len(prefix_ids))
    return prefix_ids, prefixes


def _keep_positions(ids: np.ndarray, changed: Sequence, removed: Iterable[int]) -> np.ndarray:
    """Positions of the rows a patch keeps: neither changed nor removed."""
    dropped = np.fromiter([p.id for p in changed] + [int(i) for i in removed], dtype=np.int64)
    return np.flatnonzero(~np.isin(ids, dropped))


def _merged_order(ids: np.ndarray, keep: np.ndarray, extra_ids: np.ndarray) -> np.ndarray:
    """Positions, in an index of all the old rows followed by the new ones, of the kept old rows and the new
    rows in id order (one take instead of dropping rows, then sorting)."""
    merged_ids = np.concatenate([ids[keep], extra_ids])
    positions = np.concatenate([keep, len(ids) + np.arange(len(extra_ids), dtype=np.int64)])
    return positions[np.argsort(merged_ids, kind="stable")]


def _concat_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rows of `a` then `b`; 2-D arrays of position slots are padded with -1 to the wider one."""
    if a.ndim == 2 and a.shape[1] != b.shape[1]:
        width = max(a.shape[1], b.shape[1])
        a, b = (np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-1) for x in (a, b))
    return np.concatenate([a, b])


def _merge_vocab(
    a_vocab: tuple[str, ...], a_pos: np.ndarray, b_vocab: tuple[str, ...], b_pos: np.ndarray
) -> tuple[tuple[str, ...], np.ndarray]:
    """The sorted union of two vocabularies and both position arrays in it, rows of `a` then `b`
    (-1 stays -1)."""
    vocab = tuple(sorted(set(a_vocab) | set(b_vocab)))
    position = {code: i for i, code in enumerate(vocab)}
    remap_a = np.array([position[c] for c in a_vocab] + [-1], dtype=np.int64)
    remap_b = np.array([position[c] for c in b_vocab] + [-1], dtype=np.int64)
    return vocab, _concat_rows(remap_a[a_pos], remap_b[b_pos])


def _compact_vocab(vocab: tuple[str, ...], positions: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Drop the codes no row uses any more (after rows were taken out)."""
    used = np.unique(positions[positions >= 0])
    if len(used) == len(vocab):
        return vocab, positions
    remap = np.full(len(vocab) + 1, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return tuple(vocab[i] for i in used.tolist()), remap[positions]


def _with_columns(matrix: sp.csr_matrix, remap: np.ndarray, width: int) -> sp.csr_matrix:
    moved = sp.csr_matrix((matrix.data, remap[matrix.indices], matrix.indptr), shape=(matrix.shape[0], width))
    moved.sort_indices()
    return moved


def _merge_columns(
    a_skill: np.ndarray, a_level: np.ndarray, a: sp.csr_matrix,
    b_skill: np.ndarray, b_level: np.ndarray, b: sp.csr_matrix,
) -> tuple[tuple[np.ndarray, np.ndarray], sp.csr_matrix]:
    """Stack two (rows, (skill, level) columns) matrices on the sorted union of their columns."""
    keys = sorted(set(zip(a_skill.tolist(), a_level.tolist(), strict=True))
                  | set(zip(b_skill.tolist(), b_level.tolist(), strict=True)))
    column = {key: i for i, key in enumerate(keys)}
    remap_a = np.array([column[k] for k in zip(a_skill.tolist(), a_level.tolist(), strict=True)], dtype=np.int64)
    remap_b = np.array([column[k] for k in zip(b_skill.tolist(), b_level.tolist(), strict=True)], dtype=np.int64)
    stacked = sp.vstack([_with_columns(a, remap_a, len(keys)), _with_columns(b, remap_b, len(keys))], format="csr")
    skill = np.array([k[0] for k in keys], dtype=np.int64)
    level = np.array([k[1] for k in keys], dtype=np.float64)
    return (skill, level), stacked


def _compact_columns(
    skill: np.ndarray, level: np.ndarray, matrix: sp.csr_matrix
) -> tuple[tuple[np.ndarray, np.ndarray], sp.csr_matrix]:
    """Drop the (skill, level) columns no row uses any more."""
    used = np.unique(matrix.indices)
    if len(used) == len(skill):
        return (skill, level), matrix
    remap = np.full(len(skill), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return (skill[used], level[used]), _with_columns(matrix, remap, len(used))


def _positions(ids: np.ndarray, wanted: Iterable[int], kind: str) -> np.ndarray:
    wanted_a = np.unique(np.fromiter(wanted, dtype=np.int64))
    pos = np.searchsorted(ids, wanted_a)
    found = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == wanted_a) if len(ids) else pos < 0
    if not np.all(found):
        raise KeyError(f"unknown {kind} ids: {wanted_a[~found].tolist()}")
    return pos


def _group_maxima(
    rows: np.ndarray, groups: np.ndarray, levels: np.ndarray, n: int, n_groups: int
) -> sp.csr_matrix:
    """(n, groups) matrix of the highest level each resident holds in each group."""
    keep = groups >= 0
    rows, groups, levels = rows[keep], groups[keep], levels[keep]
    if not len(rows):
        return sp.csr_matrix((n, n_groups), dtype=np.float64)
    keys = rows * n_groups + groups
    unique, inverse = np.unique(keys, return_inverse=True)
    best = np.zeros(len(unique), dtype=np.float64)
    np.maximum.at(best, inverse, levels)
    return sp.csr_matrix((best, (unique // n_groups, unique % n_groups)), shape=(n, n_groups))


def check_compatible(residents: ResidentIndex, jobs: JobIndex) -> None:
    """Both indexes must come from the same skill catalog and config."""
    if residents.skills.catalog != jobs.skills.catalog:
        raise ValueError("resident and posting indexes were built from different skill catalogs")
    if residents.config != jobs.config:
        raise ValueError("resident and posting indexes were built with different engine configs")
