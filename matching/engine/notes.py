"""Which note codes apply: per resident, per posting (kept as bit sets in the indexes) and per pair."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .config import EngineConfig
from .contracts import JobProfile, MatchNote, ResidentProfile
from .wages import monthly_wage_estimate

if TYPE_CHECKING:
    from .index import JobIndex, ResidentIndex

BIT = {note: 1 << position for position, note in enumerate(MatchNote)}


def _bits(flags: dict[MatchNote, bool]) -> int:
    return sum(BIT[note] for note, on in flags.items() if on)


def resident_bits(resident: ResidentProfile) -> int:
    """Notes that depend on the resident alone."""
    n = MatchNote
    return _bits(
        {
            n.NO_WANTED_OCCUPATIONS: not resident.wanted_occupations,
            n.NO_MINIMUM_WAGE: resident.min_monthly_wage is None,
            n.PRIORITY_ZERO_EMPLOYMENT: resident.zero_employment_household,
            n.PRIORITY_MONITORED: resident.poverty_status == "monitored",
            n.PRIORITY_LIFTED: resident.poverty_status == "lifted",
        }
    )


def job_bits(job: JobProfile, config: EngineConfig) -> int:
    """Notes that depend on the posting alone.

    A piece-rate posting is read from its own monthly estimate when it gives one
    (PIECE_WAGE_POSTING_ESTIMATE), converted with `pieces_per_month` when that is configured
    (WAGE_CONVERTED), and otherwise left neutral (PIECE_WAGE_NO_ESTIMATE).
    """
    n = MatchNote
    has_wage = monthly_wage_estimate(job, config) is not None
    states_wage = job.wage_min is not None or job.wage_max is not None
    piece = job.wage_unit == "piece"
    piece_from_posting = piece and job.piece_monthly_estimate is not None
    piece_unknown = piece and not has_wage and states_wage
    return _bits(
        {
            n.HOME_BASED: job.is_home_based,
            n.NO_REQUIRED_SKILLS: not job.required_skills,
            n.POSTING_HAS_NO_OCCUPATION: job.occupation_code is None,
            n.POSTING_HAS_NO_WAGE: not has_wage and not piece_unknown,
            n.WAGE_CONVERTED: has_wage and job.wage_unit != "month" and not piece_from_posting,
            n.PIECE_WAGE_POSTING_ESTIMATE: piece_from_posting,
            n.PIECE_WAGE_NO_ESTIMATE: piece_unknown,
        }
    )


def pair_bits(residents: ResidentIndex, jobs: JobIndex, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Note bits of the pairs (rows[i], cols[i]), except RELATED_SKILL_CREDIT (needs the skills).

    - AGE_UNKNOWN: no age while the posting has an age limit;
    - NO_COORDINATES: on-site work and either side lacks coordinates (no distance rule);
    - DISTANCE_ESTIMATED: on-site work, both sides have coordinates, and either side's are estimated
      from its town (the distance is approximate);
    - COUNTY_UNKNOWN: on-site work, the resident wants to stay in the county, and either side
      lacks a county code (no county rule);
    - WAGE_BELOW_MINIMUM: the monthly estimate is below the resident's minimum;
    - CARE_DUTIES_FULL_TIME_ON_SITE: a resident with care duties and on-site full-time work.
    """
    n = MatchNote
    on_site = ~jobs.home_based[cols]
    no_coordinates = np.isnan(residents.lat[rows]) | np.isnan(jobs.lat[cols])
    care = residents.hours_category[rows] % 2 == 1
    full_time = jobs.hours_category[cols] // 2 == 0
    flags = {
        n.AGE_UNKNOWN: np.isnan(residents.age[rows])
        & ~(np.isnan(jobs.age_min[cols]) & np.isnan(jobs.age_max[cols])),
        n.NO_COORDINATES: on_site & no_coordinates,
        n.DISTANCE_ESTIMATED: on_site & ~no_coordinates & (residents.estimated[rows] | jobs.estimated[cols]),
        n.COUNTY_UNKNOWN: on_site
        & ~residents.accepts_outside_county[rows]
        & ((residents.county[rows] < 0) | (jobs.county[cols] < 0)),
        n.WAGE_BELOW_MINIMUM: jobs.monthly_wage[cols] < residents.min_wage[rows],
        n.CARE_DUTIES_FULL_TIME_ON_SITE: care & on_site & full_time,
    }
    bits = residents.note_bits[rows] | jobs.note_bits[cols]
    for note, flag in flags.items():
        bits |= np.where(flag, BIT[note], 0)
    return bits


def decode(bits: int) -> tuple[MatchNote, ...]:
    """The notes of a bit set, in MatchNote order."""
    return tuple(note for note, bit in BIT.items() if bits & bit)
