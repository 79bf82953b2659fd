"""Soft components: skills, occupation, wage, commute, hours and priority, and how they combine."""

from __future__ import annotations

import math

import pytest

from matching.engine import (
    DEFAULT_CONFIG,
    Component,
    EngineConfig,
    JobProfile,
    MatchNote,
    monthly_wage_estimate,
)

from .factories import (
    BAMBOO,
    CLEANING,
    DRIVING,
    EMBROIDERY,
    RATTAN,
    SEWING,
    STRAW,
    YUPING,
    job,
    offset,
    req,
    resident,
)
from .helpers import match, value

NEUTRAL = DEFAULT_CONFIG.neutral
RELATED = DEFAULT_CONFIG.related_skill_credit
BONUS = DEFAULT_CONFIG.preferred_bonus


# --- skills -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [
        ({BAMBOO: 3}, [req(BAMBOO, 3)], 1.0),
        ({BAMBOO: 5}, [req(BAMBOO, 3)], 1.0),
        ({BAMBOO: 2}, [req(BAMBOO, 4)], 0.5),
        ({BAMBOO: 1}, [req(BAMBOO, 5)], 0.2),
        ({}, [req(BAMBOO, 1)], 0.0),
        ({DRIVING: 5}, [req(BAMBOO, 1)], 0.0),
        ({BAMBOO: 2}, [req(BAMBOO, 2), req(CLEANING, 2)], 0.5),
        ({BAMBOO: 2, CLEANING: 1}, [req(BAMBOO, 2), req(CLEANING, 2)], 0.75),
    ],
)
def test_required_skill_fit_is_level_aware(held, required, expected):
    assert value(resident(skills=held), job(skills=tuple(required)), "skills") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [
        ({RATTAN: 3}, req(BAMBOO, 3), RELATED),  # same group (weaving)
        ({RATTAN: 1}, req(BAMBOO, 2), RELATED * 0.5),  # partial credit is level-aware too
        ({BAMBOO: 1, RATTAN: 5}, req(BAMBOO, 5), RELATED),  # best of own (0.2) and related (0.5)
        ({BAMBOO: 4, RATTAN: 5}, req(BAMBOO, 5), 0.8),
        ({SEWING: 5}, req(BAMBOO, 1), 0.0),  # other group
        ({DRIVING: 5}, req(CLEANING, 1), 0.0),
    ],
)
def test_related_skill_of_the_same_group_earns_partial_credit(held, required, expected):
    result = match(resident(skills=held), job(skills=(required,)))
    assert result.component("skills").value == pytest.approx(expected)


def test_related_skills_are_listed_and_noted():
    result = match(
        resident(skills={RATTAN: 3, SEWING: 1}), job(skills=(req(BAMBOO, 2), req(EMBROIDERY, required=False)))
    )
    assert result.missing_skills == (BAMBOO,)
    assert result.missing_preferred == (EMBROIDERY,)
    assert result.related_skills == (BAMBOO, EMBROIDERY)
    assert MatchNote.RELATED_SKILL_CREDIT in result.notes


def test_preferred_skills_add_a_capped_bonus():
    posting = job(skills=(req(BAMBOO, 2), req(CLEANING, 2, required=False)))
    without = value(resident(skills={BAMBOO: 1}), posting, "skills")
    with_preferred = value(resident(skills={BAMBOO: 1, CLEANING: 2}), posting, "skills")
    assert without == pytest.approx(0.5)
    assert with_preferred == pytest.approx(0.5 + BONUS)
    assert value(resident(skills={BAMBOO: 2, CLEANING: 2}), posting, "skills") == 1.0


def test_only_preferred_skills_start_from_neutral():
    posting = job(skills=(req(CLEANING, 2, required=False), req(DRIVING, 2, required=False)))
    assert value(resident(), posting, "skills") == pytest.approx(NEUTRAL)
    assert value(resident(skills={CLEANING: 2}), posting, "skills") == pytest.approx(NEUTRAL + BONUS * 0.5)


@pytest.mark.parametrize("held", [{}, {BAMBOO: 3}])
def test_posting_without_skills_is_neutral(held):
    result = match(resident(skills=held), job(skills=()))
    assert result.component("skills").value == NEUTRAL
    assert MatchNote.NO_REQUIRED_SKILLS in result.notes
    assert result.matched_skills == result.missing_skills == ()


def test_resident_without_skills_gets_zero_for_required_skills():
    result = match(resident(skills={}), job(skills=(req(BAMBOO), req(STRAW, 2))))
    assert result.component("skills").value == 0.0
    assert result.missing_skills == (BAMBOO, STRAW)
    assert result.matched_skills == ()


def test_non_mandatory_missing_skill_lowers_the_score_but_does_not_exclude():
    full = match(resident(skills={BAMBOO: 2}), job(skills=(req(BAMBOO, 2),)))
    missing = match(resident(skills={}), job(skills=(req(BAMBOO, 2),)))
    assert missing.score < full.score
    assert missing.missing_skills == (BAMBOO,)


def test_courses_that_raise_missing_skills_are_suggested():
    result = match(
        resident(skills={BAMBOO: 2}),
        job(skills=(req(BAMBOO, 3), req(CLEANING, 1), req(RATTAN, 1, required=False))),
    )
    # 12 teaches bamboo only to level 1 (already held at 2); 14 raises it; 13 teaches cleaning.
    # Rattan is preferred, so course 11 is not suggested.
    assert result.courses_for_missing == (13, 14)


# --- occupation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "code", "expected"),
    [
        (("4-10-01-06",), "4-10-01-06", 1.0),
        (("4-10-01-06",), "4-10-01-02", DEFAULT_CONFIG.occupation_same_minor),
        (("4-10-01-06",), "4-10-03-01", DEFAULT_CONFIG.occupation_same_middle),
        (("4-10-01-06",), "4-07-01-01", DEFAULT_CONFIG.occupation_same_major),
        (("4-10-01-06",), "6-10-01-06", 0.0),
        (("6-04-01-01", "4-10-01-02"), "4-10-01-06", DEFAULT_CONFIG.occupation_same_minor),
        (("4-10",), "4-10-01-06", DEFAULT_CONFIG.occupation_same_middle),
        (("4-10",), "4-10", 1.0),
        ((), "4-10-01-06", NEUTRAL),
        (("4-10-01-06",), None, NEUTRAL),
    ],
)
def test_occupation_fit_by_shared_classification_level(wanted, code, expected):
    assert value(
        resident(wanted_occupations=wanted), job(occupation_code=code), "occupation"
    ) == pytest.approx(expected)


def test_occupation_neutral_cases_are_noted():
    assert MatchNote.NO_WANTED_OCCUPATIONS in match(resident(), job(occupation_code="4-10-01-06")).notes
    assert MatchNote.POSTING_HAS_NO_OCCUPATION in match(resident(wanted_occupations=("4-10",)), job()).notes


# --- wage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wage_min", "wage_max", "unit", "hours", "expected"),
    [
        (3000, 4000, "month", None, 3500.0),
        (3000, None, "month", None, 3000.0),
        (None, 4000, "month", None, 4000.0),
        (None, None, "month", None, None),
        (100, 120, "day", None, 110.0 * 22),
        (15, None, "hour", None, 15.0 * 8 * 22),
        (15, None, "hour", 6, 15.0 * 6 * 22),
        (2, 3, "piece", None, None),  # a rate per piece says nothing about a month
    ],
)
def test_monthly_wage_estimate(wage_min, wage_max, unit, hours, expected):
    posting = job(wage_min=wage_min, wage_max=wage_max, wage_unit=unit, hours_per_day=hours)
    assert monthly_wage_estimate(posting, DEFAULT_CONFIG) == expected
    assert match(resident(), posting).monthly_wage_estimate == expected


def test_piece_wage_with_a_configured_piece_count():
    config = EngineConfig(pieces_per_month=400)
    posting = job(wage_min=5, wage_max=7, wage_unit="piece")
    assert monthly_wage_estimate(posting, config) == 2400.0
    result = match(resident(min_monthly_wage=2400), posting, config=config)
    assert result.component("wage").value == 1.0
    assert MatchNote.WAGE_CONVERTED in result.notes
    assert MatchNote.PIECE_WAGE_NO_ESTIMATE not in result.notes
    assert MatchNote.PIECE_WAGE_POSTING_ESTIMATE not in result.notes


def test_piece_rate_is_read_from_the_posting_s_monthly_estimate():
    posting = job(wage_min=2, wage_max=2.5, wage_unit="piece", piece_monthly_estimate=2800, work_mode="home_based")
    assert monthly_wage_estimate(posting, DEFAULT_CONFIG) == 2800.0
    # The poster's own estimate wins over a configured piece count.
    assert monthly_wage_estimate(posting, EngineConfig(pieces_per_month=400)) == 2800.0
    result = match(resident(min_monthly_wage=1800), posting)
    assert result.monthly_wage_estimate == 2800.0
    assert result.component("wage").value == 1.0
    wage_notes = {
        MatchNote.PIECE_WAGE_POSTING_ESTIMATE,
        MatchNote.PIECE_WAGE_NO_ESTIMATE,
        MatchNote.WAGE_CONVERTED,
        MatchNote.POSTING_HAS_NO_WAGE,
        MatchNote.WAGE_BELOW_MINIMUM,
    }
    assert wage_notes & set(result.notes) == {MatchNote.PIECE_WAGE_POSTING_ESTIMATE}
    below = match(resident(min_monthly_wage=3500), posting)
    assert below.component("wage").value == pytest.approx(math.exp(-0.2 / DEFAULT_CONFIG.wage_shortfall_scale))
    assert wage_notes & set(below.notes) == {MatchNote.PIECE_WAGE_POSTING_ESTIMATE, MatchNote.WAGE_BELOW_MINIMUM}


def test_piece_rate_estimate_without_a_rate_is_still_an_estimate():
    posting = job(wage_unit="piece", piece_monthly_estimate=2500)
    result = match(resident(min_monthly_wage=2000), posting)
    assert (result.monthly_wage_estimate, result.component("wage").value) == (2500.0, 1.0)
    assert MatchNote.POSTING_HAS_NO_WAGE not in result.notes
    assert MatchNote.PIECE_WAGE_POSTING_ESTIMATE in result.notes


def test_piece_rate_without_an_estimate_is_neutral_not_a_tiny_monthly_wage():
    posting = job(wage_min=2, wage_max=2.5, wage_unit="piece", work_mode="home_based")
    assert monthly_wage_estimate(posting, DEFAULT_CONFIG) is None
    result = match(resident(min_monthly_wage=1800), posting)
    assert result.monthly_wage_estimate is None
    assert result.component("wage").value == NEUTRAL
    assert MatchNote.PIECE_WAGE_NO_ESTIMATE in result.notes
    for note in (MatchNote.WAGE_BELOW_MINIMUM, MatchNote.POSTING_HAS_NO_WAGE, MatchNote.WAGE_CONVERTED,
                 MatchNote.PIECE_WAGE_POSTING_ESTIMATE):
        assert note not in result.notes
    # Neither a rate nor an estimate: the posting states no wage, as any other would.
    silent = match(resident(min_monthly_wage=1800), job(wage_unit="piece"))
    assert MatchNote.POSTING_HAS_NO_WAGE in silent.notes
    assert MatchNote.PIECE_WAGE_NO_ESTIMATE not in silent.notes


def test_an_estimate_is_ignored_on_a_posting_that_is_not_piece_rate():
    posting = job(wage_min=3000, wage_unit="month", piece_monthly_estimate=9000)
    assert monthly_wage_estimate(posting, DEFAULT_CONFIG) == 3000.0
    assert MatchNote.PIECE_WAGE_POSTING_ESTIMATE not in match(resident(), posting).notes


@pytest.mark.parametrize(
    ("unit", "note"),
    [
        ("piece", MatchNote.PIECE_WAGE_NO_ESTIMATE),
        ("day", MatchNote.WAGE_CONVERTED),
        ("hour", MatchNote.WAGE_CONVERTED),
    ],
)
def test_wage_reading_is_noted(unit, note):
    assert note in match(resident(), job(wage_min=100, wage_unit=unit)).notes


@pytest.mark.parametrize(
    ("minimum", "monthly", "expected"),
    [
        (2000, 2500, 1.0),
        (2500, 2500, 1.0),
        (2500, 2250, math.exp(-0.1 / DEFAULT_CONFIG.wage_shortfall_scale)),
        (2000, 1000, math.exp(-0.5 / DEFAULT_CONFIG.wage_shortfall_scale)),
        (0, 1000, 1.0),
        (None, 1000, NEUTRAL),
        (2000, None, NEUTRAL),
    ],
)
def test_wage_fit_decays_below_the_minimum(minimum, monthly, expected):
    result = match(resident(min_monthly_wage=minimum), job(wage_min=monthly))
    assert result.component("wage").value == pytest.approx(expected)
    below = minimum is not None and monthly is not None and monthly < minimum
    assert (MatchNote.WAGE_BELOW_MINIMUM in result.notes) == below


def test_wage_fit_is_monotone_in_the_wage():
    values = [value(resident(min_monthly_wage=3000), job(wage_min=w), "wage") for w in range(500, 3500, 250)]
    assert values == sorted(values)
    assert values[-1] == 1.0


# --- commute ------------------------------------------------------------------------------------


def test_commute_fit_decays_with_distance():
    fits = []
    for km in (0.5, 5, 15, 40):
        lat, lon = offset(YUPING, km, 0.0)
        fits.append(value(resident(), job(lat=lat, lon=lon), "commute"))
    assert fits == sorted(fits, reverse=True)
    assert fits[1] == pytest.approx(math.exp(-5 / DEFAULT_CONFIG.commute_scale_km), rel=1e-3)


def test_commute_is_neutral_without_coordinates_and_one_at_home():
    assert value(resident(lat=None, lon=None), job(), "commute") == NEUTRAL
    assert value(resident(lat=None, lon=None), job(work_mode="home_based"), "commute") == 1.0


# --- hours and care duties ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preference", "work_time", "expected"),
    [
        ("any", "full", 1.0),
        ("full", "full", 1.0),
        ("full", "part", DEFAULT_CONFIG.work_time_fit_of("full", "part")),
        ("part", "full", DEFAULT_CONFIG.work_time_fit_of("part", "full")),
        ("part", "flexible", 1.0),
    ],
)
def test_work_time_preference(preference, work_time, expected):
    assert value(resident(work_time=preference), job(work_time=work_time), "hours") == pytest.approx(expected)


def test_care_duties_favour_home_based_then_part_time_work():
    carer = resident(has_care_duties=True)
    home = value(carer, job(work_mode="home_based"), "hours")
    part = value(carer, job(work_time="part"), "hours")
    flexible = value(carer, job(work_time="flexible"), "hours")
    full = value(carer, job(work_time="full"), "hours")
    assert home > part == flexible > full
    assert MatchNote.CARE_DUTIES_FULL_TIME_ON_SITE in match(carer, job(work_time="full")).notes
    # Without care duties the same postings are all fine.
    assert {value(resident(), job(work_time=t), "hours") for t in ("full", "part", "flexible")} == {1.0}


def test_a_carer_ranks_part_time_above_an_otherwise_equal_full_time_posting():
    carer = resident(has_care_duties=True)
    assert match(carer, job(work_time="part")).score > match(carer, job(work_time="full")).score


# --- priority -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, 0.0),
        ({"poverty_status": "lifted"}, DEFAULT_CONFIG.priority_lifted),
        ({"poverty_status": "monitored"}, DEFAULT_CONFIG.priority_monitored),
        ({"zero_employment_household": True}, DEFAULT_CONFIG.priority_zero_employment),
        (
            {"zero_employment_household": True, "poverty_status": "lifted"},
            DEFAULT_CONFIG.priority_zero_employment,
        ),
    ],
)
def test_priority_values(kw, expected):
    assert value(resident(**kw), job(), "priority") == expected


def test_priority_ordering():
    scores = [
        match(resident(**kw), job()).score
        for kw in (
            {"zero_employment_household": True},
            {"poverty_status": "monitored"},
            {"poverty_status": "lifted"},
            {},
        )
    ]
    assert scores[0] > scores[1] >= scores[2] > scores[3]


def test_priority_notes():
    notes = match(resident(zero_employment_household=True, poverty_status="monitored"), job()).notes
    assert MatchNote.PRIORITY_ZERO_EMPLOYMENT in notes
    assert MatchNote.PRIORITY_MONITORED in notes


# --- combination --------------------------------------------------------------------------------


def test_score_is_the_weighted_mean_of_components():
    result = match(
        resident(
            skills={BAMBOO: 2},
            wanted_occupations=("4-10-01-06",),
            min_monthly_wage=3000,
            poverty_status="lifted",
        ),
        job(skills=(req(BAMBOO, 3),), occupation_code="4-10-01-02", wage_min=2800),
    )
    total = DEFAULT_CONFIG.total_weight
    assert [c.name for c in result.components] == list(Component)
    assert result.score == pytest.approx(sum(c.weight * c.value for c in result.components) / total)
    assert result.score == pytest.approx(sum(c.contribution for c in result.components))
    assert 0.0 <= result.score <= 1.0


def test_weights_come_from_the_config():
    config = EngineConfig(
        weight_skills=1,
        weight_occupation=0,
        weight_wage=0,
        weight_commute=0,
        weight_hours=0,
        weight_priority=0,
    )
    result = match(resident(skills={BAMBOO: 1}), job(skills=(req(BAMBOO, 4),)), config=config)
    assert result.score == pytest.approx(0.25)


def test_every_component_stays_in_the_unit_interval():
    best = match(
        resident(skills={BAMBOO: 5, CLEANING: 5}, zero_employment_household=True),
        job(skills=(req(BAMBOO, 1), req(CLEANING, 1, required=False)), work_mode="home_based"),
    )
    assert all(0.0 <= c.value <= 1.0 for c in best.components)
    assert best.component("skills").value == 1.0


def test_job_profile_default_is_open_on_site_full_time():
    posting = JobProfile(id=9)
    assert (posting.status, posting.work_mode, posting.work_time, posting.wage_unit) == (
        "open",
        "on_site",
        "full",
        "month",
    )
