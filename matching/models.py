"""Recommendations of residents to postings and how each one moved; placements come from hires."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.models import JobPosting
from residents.models import Resident


class Recommendation(models.Model):
    """A liaison worker's recommendation of a resident to a posting, with the match as it was then."""

    class State(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        CONTACTED = "contacted", _("contacted")
        INTERVIEWING = "interviewing", _("interviewing")
        HIRED = "hired", _("hired")
        REJECTED = "rejected", _("rejected by employer")
        DECLINED = "declined", _("declined by resident")

    OPEN_STATES = (State.RECOMMENDED, State.CONTACTED, State.INTERVIEWING)
    TRANSITIONS = {
        State.RECOMMENDED: {State.CONTACTED, State.INTERVIEWING, State.REJECTED, State.DECLINED},
        State.CONTACTED: {State.INTERVIEWING, State.HIRED, State.REJECTED, State.DECLINED},
        State.INTERVIEWING: {State.HIRED, State.REJECTED, State.DECLINED},
        State.HIRED: set(),
        State.REJECTED: set(),
        State.DECLINED: set(),
    }

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="recommendations")
    posting = models.ForeignKey(JobPosting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="recommendations")
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=dict)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECOMMENDED, db_index=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recommended by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recommended at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "posting"],
                condition=Q(state__in=["recommended", "contacted", "interviewing", "hired"]),
                name="recommendation_one_live_per_pair",
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="recommendation_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.posting} ({self.get_state_display()})"


class RecommendationEvent(models.Model):
    """One move of a recommendation from a state to another, with who made it and a note."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=12, choices=Recommendation.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=Recommendation.State.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"
