"""The liaison desk's lists of its station's recommendations and placements: filtered, sorted, paged, counted
and exported like every staff list (web/lists.py); each row opens into the resident's page."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from config.roles import Role
from jobs.wages import wage_text
from matching.models import Placement, Recommendation
from matching.selectors import recommendation_list

from ..lists import Column, DateRangeFilterForm, ListFilterForm, Sort, StaffList
from .common import role_required, visible_residents

liaison_only = role_required(Role.LIAISON)


class ResidentOrJobForm(ListFilterForm):
    """Rows of a resident and a posting, found by the resident's name, the job's title or its employer."""

    q = forms.CharField(label=_("Resident or job"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def apply(self, rows):
        text = self.cleaned_data["q"].strip()
        if not text:
            return rows
        return rows.filter(Q(resident__name__icontains=text) | Q(posting__title__icontains=text)
                           | Q(posting__employer__name__icontains=text))


class _TextAndDates(DateRangeFilterForm, ResidentOrJobForm):
    """Besides the words, a range of days (`DAY_FIELD`) and a state (`STATE_FIELD`)."""

    STATE_FIELD = ""

    def apply(self, rows):
        rows = super().apply(rows)
        if self.cleaned_data.get("state"):
            rows = rows.filter(**{self.STATE_FIELD: self.cleaned_data["state"]})
        return rows


class RecommendationFilterForm(_TextAndDates):
    DAY_FIELD = "recommended_on"
    STATE_FIELD = "state"
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("all")), *Recommendation.State.choices])


class PlacementFilterForm(_TextAndDates):
    DAY_FIELD = "start_date"
    STATE_FIELD = "status"
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Placement.Status.choices])


RECOMMENDATIONS = StaffList(
    name="recommendations", title=_("Recommendations"), filters=RecommendationFilterForm,
    sorts={"newest": Sort(_("newest first"), ("-recommended_on", "-id")),
           "oldest": Sort(_("oldest first"), ("recommended_on", "id")),
           "resident": Sort(_("resident"), ("resident__name", "-recommended_on", "-id")),
           "score": Sort(_("best match first"), ("-score", "-id"))},
    columns=(Column(_("resident"), lambda r: r.resident.name),
             Column(_("ID number"), lambda r: r.resident.id_number_masked),
             Column(_("job"), lambda r: r.posting.title), Column(_("employer"), lambda r: r.posting.employer.name),
             Column(_("state"), lambda r: r.get_state_display()),
             Column(_("recommended on"), lambda r: r.recommended_on), Column(_("outcome on"), lambda r: r.decided_on),
             Column(_("recommended by"), lambda r: r.recommended_by.get_full_name() or r.recommended_by.username)),
)

PLACEMENTS = StaffList(
    name="placements", title=_("Placements"), filters=PlacementFilterForm,
    sorts={"newest": Sort(_("newest first"), ("-start_date", "-id")),
           "oldest": Sort(_("oldest first"), ("start_date", "id")),
           "resident": Sort(_("resident"), ("resident__name", "-start_date", "-id"))},
    columns=(Column(_("resident"), lambda p: p.resident.name),
             Column(_("ID number"), lambda p: p.resident.id_number_masked),
             Column(_("job"), lambda p: p.posting.title), Column(_("employer"), lambda p: p.posting.employer.name),
             Column(_("start date"), lambda p: p.start_date),
             Column(_("agreed wage"), lambda p: wage_text(p.wage, None, p.wage_unit)),
             Column(_("status"), lambda p: p.get_status_display()), Column(_("ended on"), lambda p: p.ended_on),
             Column(_("end reason"), lambda p: p.get_end_reason_display())),
)


@require_GET
@liaison_only
def recommendations(request):
    rows = recommendation_list(residents=visible_residents(request)).select_related("resident__household__site")
    return RECOMMENDATIONS.respond(request, rows, "web/liaison/recommendations.html")


@require_GET
@liaison_only
def placements(request):
    rows = Placement.objects.filter(resident__in=visible_residents(request)).select_related(
        "resident__household__site", "posting__employer")
    return PLACEMENTS.respond(request, rows, "web/liaison/placements.html")
