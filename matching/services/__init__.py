"""Writes of the matching app, one module per concern."""

from .placements import followup_record, placement_end, placement_record
from .recommendations import recommendation_create, recommendation_move

__all__ = ["followup_record", "placement_end", "placement_record", "recommendation_create", "recommendation_move"]
