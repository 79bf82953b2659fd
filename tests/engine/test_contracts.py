"""Contracts and config: normalisation and validation of what goes into the engine."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, JobProfile, ResidentProfile, SkillRequirement

from .factories import BAMBOO, CATALOG, RATTAN, SEWING, req


def test_resident_skills_accept_a_mapping_and_stay_hashable():
    profile = ResidentProfile(id=1, skills={RATTAN: 2, BAMBOO: 3})
    assert profile.skills == ((BAMBOO, 3), (RATTAN, 2))
    assert profile.skill_levels == {BAMBOO: 3, RATTAN: 2}
    assert hash(profile) == hash(ResidentProfile(id=1, skills=((RATTAN, 2), (BAMBOO, 3))))


def test_codes_are_stripped_and_blank_means_unknown():
    profile = ResidentProfile(id=1, wanted_occupations=(" 4-10-01-06", "", "4-10-01-06"), county_code=" ")
    assert profile.wanted_occupations == ("4-10-01-06",)
    assert profile.county_code is None
    assert ResidentProfile(id=1, wanted_occupations="4-10").wanted_occupations == ("4-10",)
    assert JobProfile(id=1, occupation_code="  ").occupation_code is None


@pytest.mark.parametrize(
    "build",
    [
        lambda: ResidentProfile(id=1, skills={BAMBOO: 6}),
        lambda: ResidentProfile(id=1, skills={BAMBOO: 0}),
        lambda: ResidentProfile(id=1, skills=((BAMBOO, 1), (BAMBOO, 2))),
        lambda: ResidentProfile(id=1, work_time="nights"),
        lambda: ResidentProfile(id=1, poverty_status="rich"),
        lambda: ResidentProfile(id=1, lat=27.0),
        lambda: JobProfile(id=1, skills=(req(BAMBOO), req(BAMBOO, 2, required=False))),
        lambda: JobProfile(id=1, status="archived"),
        lambda: JobProfile(id=1, wage_unit="week"),
        lambda: JobProfile(id=1, work_mode="remote"),
        lambda: JobProfile(id=1, work_time="any"),
        lambda: JobProfile(id=1, wage_unit="piece", piece_monthly_estimate=-1),
        lambda: JobProfile(id=1, wage_unit="piece", piece_monthly_estimate=float("nan")),
        lambda: SkillRequirement(skill_id=1, level=9),
        lambda: SkillRequirement(skill_id=1, required=False, mandatory=True),
        lambda: EngineConfig(weight_skills=-1),
        lambda: EngineConfig(
            weight_skills=0,
            weight_occupation=0,
            weight_wage=0,
            weight_commute=0,
            weight_hours=0,
            weight_priority=0,
        ),
        lambda: EngineConfig(neutral=1.5),
        lambda: EngineConfig(commute_scale_km=0),
        lambda: EngineConfig(pieces_per_month=0),
        lambda: EngineConfig(work_time_fit=(("any", "full", 1.0),)),
    ],
)
def test_invalid_input_is_rejected(build):
    with pytest.raises(ValueError):  # noqa: PT011 - each case names its own field
        build()


def test_skill_catalog_groups():
    assert CATALOG.related(BAMBOO, RATTAN)
    assert not CATALOG.related(BAMBOO, BAMBOO)
    assert not CATALOG.related(BAMBOO, SEWING)
    assert CATALOG.group_of[BAMBOO] == 100


def test_config_is_frozen_and_hashable():
    config = EngineConfig()
    assert hash(config) == hash(EngineConfig())
    with pytest.raises(AttributeError):
        config.neutral = 0.1  # type: ignore[misc]


def test_config_from_a_settings_mapping():
    config = EngineConfig.from_settings(
        {
            "WEIGHTS": {
                "skills": 0.5,
                "occupation": 0.1,
                "wage": 0.1,
                "commute": 0.1,
                "hours": 0.1,
                "priority": 0.1,
            },
            "COMMUTE_SCALE_KM": 15.0,
            "DEFAULT_MAX_COMMUTE_KM": 30.0,  # not an engine setting: ignored
        }
    )
    assert config.weight_skills == 0.5
    assert config.commute_scale_km == 15.0
    assert config.neutral == EngineConfig().neutral
    assert EngineConfig.from_settings({}) == EngineConfig()
    with pytest.raises(ValueError, match="salary"):
        EngineConfig.from_settings({"WEIGHTS": {"salary": 1.0}})
