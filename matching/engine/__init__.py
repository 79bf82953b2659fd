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
from .explain import explain_pair, inspect_pair
from .index import JobIndex, ResidentIndex
from .learned import FEATURES, EmployerRecord, LearnedModel, LinearModel
from .pairs import PairScores, score_pairs
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
    "FEATURES",
    "RANK_DECIMALS",
    "Component",
    "ComponentScore",
    "Course",
    "EmployerRecord",
    "CourseCatalog",
    "EngineConfig",
    "Exclusion",
    "ExclusionReason",
    "JobIndex",
    "JobProfile",
    "LearnedModel",
    "LinearModel",
    "MatchNote",
    "MatchResult",
    "PairScores",
    "ResidentIndex",
    "ResidentProfile",
    "SkillCatalog",
    "SkillRequirement",
    "TopK",
    "eligible_jobs",
    "explain_pair",
    "inspect_pair",
    "monthly_wage_estimate",
    "rank_all",
    "rank_all_arrays",
    "rank_jobs_for_resident",
    "rank_residents_for_job",
    "score_pairs",
]
