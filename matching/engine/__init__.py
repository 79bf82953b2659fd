"""Pure ranking engine: frozen dataclasses and numpy arrays in, ranked explained matches out (no Django)."""

from .config import DEFAULT_CONFIG, RANK_DECIMALS, EngineConfig
from .contracts import (
    Component,
    ComponentScore,
    Course,
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
from .explain import explain_pair
from .index import JobIndex, ResidentIndex
from .ranking import (
    TopK,
    eligible_jobs,
    rank_all,
    rank_all_arrays,
    rank_jobs_for_resident,
    rank_residents_for_job,
)
from .wages import monthly_wage_estimate

__all__ = [
    "DEFAULT_CONFIG",
    "RANK_DECIMALS",
    "Component",
    "ComponentScore",
    "Course",
    "CourseCatalog",
    "EngineConfig",
    "Exclusion",
    "ExclusionReason",
    "JobIndex",
    "JobProfile",
    "MatchNote",
    "MatchResult",
    "ResidentIndex",
    "ResidentProfile",
    "SkillCatalog",
    "SkillRequirement",
    "TopK",
    "eligible_jobs",
    "explain_pair",
    "monthly_wage_estimate",
    "rank_all",
    "rank_all_arrays",
    "rank_jobs_for_resident",
    "rank_residents_for_job",
]
