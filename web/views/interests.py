"""The liaison desk's list of residents who said "我想试试这个" about a job: who, which job, when, and one click to
recommend them (the recommendation form and service every other page uses)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from config.roles import Role
from matching.selectors import interest_list

from ..lists import Column, Sort, StaffList
from .common import role_required, visible_residents
from .outcomes import ResidentOrJobForm

liaison_only = role_required(Role.LIAISON)


class InterestFilterForm(ResidentOrJobForm):
    handled = forms.ChoiceField(label=_("Recommended"), required=False, choices=[
        ("", _("all")), ("no", _("not yet recommended")), ("yes", _("already recommended"))])

    def apply(self, rows):
        rows = super().apply(rows)
        if self.cleaned_data["handled"]:
            rows = rows.filter(recommended=self.cleaned_data["handled"] == "yes")
        return rows


INTERESTS = StaffList(
    name="interests", title=_("Jobs residents want to try"), filters=InterestFilterForm,
    sorts={
        "newest": Sort(_("newest first"), ("-expressed_at", "-id")),
        "oldest": Sort(_("oldest first"), ("expressed_at", "id")),
        "resident": Sort(_("resident"), ("resident__name", "-expressed_at", "-id")),
        "job": Sort(_("job"), ("posting__title", "-expressed_at", "-id")),
    },
    columns=[
        Column(_("resident"), lambda i: i.resident.name),
        Column(_("ID number"), lambda i: i.resident.id_number_masked),
        Column(_("site"), lambda i: i.resident.household.site.name),
        Column(_("job"), lambda i: i.posting.title),
        Column(_("employer"), lambda i: i.posting.employer.name),
        Column(_("said at"), lambda i: i.expressed_at),
        Column(_("recommended"), lambda i: str(_("yes") if i.recommended else _("no"))),
    ],
)


@require_GET
@liaison_only
def interests(request):
    """The standing interests of the worker's station's residents, newest first."""
    return INTERESTS.respond(request, interest_list(residents=visible_residents(request)),
                             "web/liaison/interests.html", {"today": timezone.localdate(),
                                                            "page_path": request.get_full_path()})
