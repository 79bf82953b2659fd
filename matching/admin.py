"""Admin for recommendations and placements: read-only, since their states and counters move only through matching's services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxonomy.admin import ReadOnlyAdminMixin

from .learning.services import match_model_activate, match_model_retire
from .models import FollowUp, Interest, MatchModel, Placement, Recommendation, RecommendationEvent


class RecommendationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RecommendationEvent
    fields = ("at", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("recommended_on", "resident", "posting", "score", "state", "decided_on", "origin",
                    "recommended_by")
    list_filter = ("state", "origin")
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


@admin.register(Interest)
class InterestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("expressed_at", "resident", "posting", "withdrawn_at")
    search_fields = ("resident__name", "posting__title", "posting__employer__name")
    list_select_related = ("resident", "posting")
    date_hierarchy = "expressed_at"


@admin.register(MatchModel)
class MatchModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The versions of the ranking models: what each learned from, how its back-test went, which is active.
    Staff activate an older version to roll back, or retire the active one to rank by the rules alone."""

    list_display = ("__str__", "status", "trained_until", "recommendations", "rules_auc", "learned_auc",
                    "created_at", "activated_at")
    list_filter = ("status",)
    readonly_fields = ("status", "trained_from", "trained_until", "counts", "features", "backtest", "decision",
                       "created_by", "created_at", "activated_at")
    exclude = ("parameters",)
    actions = ("activate", "retire")

    @admin.display(description=_("recommendations"))
    def recommendations(self, obj) -> int | None:
        return obj.counts.get("recommendations")

    @admin.display(description=_("back-test AUC, rules"))
    def rules_auc(self, obj) -> str:
        value = (obj.backtest.get("rules") or {}).get("auc")
        return "" if value is None else f"{value:.3f}"

    @admin.display(description=_("back-test AUC, learned"))
    def learned_auc(self, obj) -> str:
        value = (obj.backtest.get("learned") or {}).get("auc")
        return "" if value is None else f"{value:.3f}"

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # the actions; every field stays read-only

    @admin.action(description=_("Activate the selected version (roll back or forward)"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version to activate."), messages.ERROR)
            return
        try:
            version = match_model_activate(model=queryset.get())
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, _("%(version)s is now active.") % {"version": version})

    @admin.action(description=_("Retire the selected versions (the rules rank alone when none is active)"))
    def retire(self, request, queryset):
        for version in queryset:
            match_model_retire(model=version)
        self.message_user(request, _("Retired."))
