"""Writes of the matching app, one module per concern."""

from .acceptance import (
    assignment_acceptance_create,
    assignment_acceptance_run,
    assignment_acceptances_recover,
)
from .assignment import (
    assignment_run_create,
    assignment_run_execute,
    assignment_runs_recover,
)
from .history import outcome_history_record
from .interests import interest_express, interest_withdraw
from .placements import followup_call_record, followup_record, placement_end, placement_record
from .ranking import (
    posting_rerank,
    ranking_chunk_run,
    ranking_chunks_to_send,
    ranking_run_create,
    ranking_run_finish,
    ranking_runs_recover,
    resident_rerank,
    top_matches_as_arrays,
)
from .recommendations import (
    batch_withdrawable_until,
    recommendation_batch_withdraw,
    recommendation_create,
    recommendation_move,
)

__all__ = [
    "assignment_acceptance_create",
    "assignment_acceptance_run",
    "assignment_acceptances_recover",
    "assignment_run_create",
    "assignment_run_execute",
    "assignment_runs_recover",
    "batch_withdrawable_until",
    "followup_call_record",
    "followup_record",
    "interest_express",
    "interest_withdraw",
    "outcome_history_record",
    "placement_end",
    "placement_record",
    "posting_rerank",
    "ranking_chunk_run",
    "ranking_chunks_to_send",
    "ranking_run_create",
    "ranking_run_finish",
    "ranking_runs_recover",
    "recommendation_batch_withdraw",
    "recommendation_create",
    "recommendation_move",
    "resident_rerank",
    "top_matches_as_arrays",
]
