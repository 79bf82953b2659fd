"""Hard rules: every exclusion reason, its boundaries, and the notes when a rule cannot be applied."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matching.engine import Exclusion, ExclusionReason, MatchNote, MatchResult

from .factories import BAMBOO, CLEANING, RATTAN, TODAY, YUPING, job, offset, req, resident
from .helpers import explain, match

R = ExclusionReason


def reasons(result) -> tuple[ExclusionReason, ...]:
    return result.reasons if isinstance(result, Exclusion) else ()


@pytest.mark.parametrize(
    ("resident_kw", "job_kw", "expected"),
    [
        ({}, {}, ()),
        ({}, {"status": "draft"}, (R.POSTING_NOT_OPEN,)),
        ({}, {"status": "filled"}, (R.POSTING_NOT_OPEN,)),
        ({}, {"status": "closed"}, (R.POSTING_NOT_OPEN,)),
        ({}, {"valid_until": TODAY - timedelta(days=1)}, (R.POSTING_EXPIRED,)),
        ({}, {"valid_until": TODAY}, ()),
        ({}, {"valid_until": TODAY + timedelta(days=1)}, ()),
        ({}, {"openings_remaining": 0}, (R.POSTING_FULL,)),
        ({}, {"openings_remaining": -1}, (R.POSTING_FULL,)),
        ({}, {"openings_remaining": 1}, ()),
        ({"seeking_work": False}, {}, (R.NOT_SEEKING_WORK,)),
        ({"age": 17}, {"age_min": 18}, (R.TOO_YOUNG,)),
        ({"age": 18}, {"age_min": 18}, ()),
        ({"age": 45}, {"age_max": 45}, ()),
        ({"age": 46}, {"age_max": 45}, (R.TOO_OLD,)),
        ({"age": 30}, {"age_min": 18, "age_max": 45}, ()),
        ({"max_commute_km": 1.9}, {}, (R.TOO_FAR,)),
        ({"max_commute_km": 2.1}, {}, ()),
        ({"county_code": "520602"}, {}, (R.OUTSIDE_COUNTY_NOT_ACCEPTED,)),
        ({"county_code": "520602", "accepts_outside_county": True}, {}, ()),
        ({"county_code": "520602"}, {"work_mode": "home_based"}, ()),
        ({"accepts_home_based": False}, {"work_mode": "home_based"}, (R.HOME_BASED_NOT_ACCEPTED,)),
        ({"accepts_home_based": False}, {}, ()),
        ({}, {"skills": (req(BAMBOO, mandatory=True),)}, (R.MANDATORY_SKILL_MISSING,)),
        (
            {"skills": {BAMBOO: 2}},
            {"skills": (req(BAMBOO, 3, mandatory=True),)},
            (R.MANDATORY_SKILL_MISSING,),
        ),
        ({"skills": {BAMBOO: 3}}, {"skills": (req(BAMBOO, 3, mandatory=True),)}, ()),
        ({"skills": {RATTAN: 5}}, {"skills": (req(BAMBOO, mandatory=True),)}, (R.MANDATORY_SKILL_MISSING,)),
        ({}, {"skills": (req(BAMBOO),)}, ()),
        ({}, {"skills": (req(BAMBOO, 5),)}, ()),
    ],
)
def test_each_hard_rule(resident_kw, job_kw, expected):
    assert reasons(explain(resident(**resident_kw), job(**job_kw))) == expected


def test_all_applicable_reasons_are_reported_in_order():
    result = explain(
        resident(age=70, seeking_work=False, max_commute_km=1.0, county_code="522201"),
        job(
            status="closed",
            valid_until=TODAY - timedelta(days=3),
            openings_remaining=0,
            age_max=60,
            skills=(req(CLEANING, 2, mandatory=True),),
        ),
    )
    assert result.reasons == (
        R.POSTING_NOT_OPEN,
        R.POSTING_EXPIRED,
        R.POSTING_FULL,
        R.NOT_SEEKING_WORK,
        R.TOO_OLD,
        R.TOO_FAR,
        R.OUTSIDE_COUNTY_NOT_ACCEPTED,
        R.MANDATORY_SKILL_MISSING,
    )


def test_today_is_a_parameter():
    posting = job(valid_until=TODAY)
    assert isinstance(explain(resident(), posting, today=TODAY), MatchResult)
    assert reasons(explain(resident(), posting, today=TODAY + timedelta(days=1))) == (R.POSTING_EXPIRED,)


def test_unknown_age_skips_the_age_rule_and_says_so():
    result = match(resident(age=None), job(age_min=18, age_max=45))
    assert MatchNote.AGE_UNKNOWN in result.notes
    assert MatchNote.AGE_UNKNOWN not in match(resident(age=None), job()).notes


@pytest.mark.parametrize(
    ("resident_kw", "job_kw"),
    [
        ({"lat": None, "lon": None}, {}),
        ({}, {"lat": None, "lon": None}),
        ({"lat": None, "lon": None}, {"lat": None, "lon": None}),
    ],
)
def test_missing_coordinates_skip_the_distance_rule_and_say_so(resident_kw, job_kw):
    result = match(resident(max_commute_km=0.5, **resident_kw), job(**job_kw))
    assert MatchNote.NO_COORDINATES in result.notes
    assert result.distance_km is None


def test_home_based_job_with_a_far_resident_is_distance_zero():
    far = offset(YUPING, 300.0, 0.0)
    result = match(
        resident(max_commute_km=5.0),
        job(work_mode="home_based", lat=far[0], lon=far[1], county_code="530100"),
    )
    assert result.distance_km == 0.0
    assert result.component("commute").value == 1.0
    assert MatchNote.HOME_BASED in result.notes
    assert MatchNote.NO_COORDINATES not in result.notes


def test_home_based_job_without_coordinates_needs_none():
    result = match(
        resident(lat=None, lon=None, max_commute_km=1.0), job(work_mode="home_based", lat=None, lon=None)
    )
    assert result.distance_km == 0.0
    assert MatchNote.NO_COORDINATES not in result.notes


@pytest.mark.parametrize(
    ("resident_kw", "job_kw"),
    [({"county_code": None}, {}), ({}, {"county_code": None}), ({"county_code": "  "}, {})],
)
def test_unknown_county_skips_the_county_rule_and_says_so(resident_kw, job_kw):
    result = match(resident(**resident_kw), job(**job_kw))
    assert MatchNote.COUNTY_UNKNOWN in result.notes


def test_county_codes_are_compared_after_stripping():
    assert isinstance(explain(resident(county_code=" 520622"), job(county_code="520622 ")), MatchResult)


def test_distance_is_great_circle_km():
    north = offset(YUPING, 10.0, 0.0)
    result = match(resident(), job(lat=north[0], lon=north[1]))
    assert result.distance_km == pytest.approx(10.0, rel=1e-3)


def test_exclusion_still_carries_notes():
    result = explain(resident(age=None, seeking_work=False), job(age_min=18))
    assert result.reasons == (R.NOT_SEEKING_WORK,)
    assert MatchNote.AGE_UNKNOWN in result.notes
