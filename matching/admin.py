"""Admin for recommendations and placements: read-only, since their states and counters move only through matching's services."""

from __future__ import annotations

from django.contrib import admin

from taxonomy.admin import ReadOnlyAdminMixin

from .models import FollowUp, Placement, Recommendation, RecommendationEvent


class RecommendationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RecommendationEvent
    fields = ("at", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "resident", "posting", "score", "state", "recommended_by")
    list_filter = ("state",)
    search_fields = ("resident__name", "resident__name_initials", "posting__title", "posting__employer__name")
    list_select_related = ("resident", "posting", "posting__employer", "recommended_by")
    date_hierarchy = "created_at"
    inlines = (RecommendationEventInline,)


class FollowUpInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FollowUp
    fields = ("months", "due_date", "done_at", "still_employed", "note", "recorded_by")
    readonly_fields = fields
    extra = 0


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("start_date", "resident", "posting", "wage", "wage_unit", "status", "ended_on", "recorded_by")
    list_filter = ("status", "end_reason", "wage_unit")
    search_fields = ("resident__name", "resident__name_initials", "posting__title", "posting__employer__name")
    list_select_related = ("resident", "posting", "posting__employer", "recorded_by")
    date_hierarchy = "start_date"
    inlines = (FollowUpInline,)
