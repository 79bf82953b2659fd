"""Forms of the liaison worker's pages: search, recommendation moves, follow-ups."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import FollowUpCall, Placement, Recommendation
from residents.models import PovertyStatus, Resident

from ..lists import ListFilterForm
from .common import DateInput


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, pinyin initials, household number or last 4 of the ID number"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True,
                                      "placeholder": _("e.g. 张三, zs, 00014 (household number), 123X (ID number)")}),
    )


AGE_BANDS = {"16-29": (16, 29), "30-44": (30, 44), "45-59": (45, 59), "60-": (60, None)}


class ResidentFilterForm(forms.Form):
    """Narrow the station's residents: work status, site, household type, a skill, an age band, households with
    nobody in work. The text search (q) comes from ResidentSearchForm."""

    status = forms.ChoiceField(label=_("Work status"), required=False,
                               choices=[("", _("any")), *Resident.EmploymentStatus.choices])
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)
    poverty = forms.ChoiceField(label=_("Household type"), required=False,
                                choices=[("", _("any")), *PovertyStatus.choices])
    skill = forms.TypedChoiceField(label=_("Skill"), required=False, coerce=int, empty_value=None)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=[
        ("", _("any")), ("16-29", _("16–29")), ("30-44", _("30–44")), ("45-59", _("45–59")), ("60-", _("60 and over"))])
    zero = forms.BooleanField(label=_("Households with nobody in work"), required=False)

    def __init__(self, *args, sites, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", _("any")), *sites]
        self.fields["skill"].choices = [("", _("any")), *skills]


class PostingSearchForm(ListFilterForm):
    q = forms.CharField(label=_("Title or employer"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def apply(self, rows):
        text = self.cleaned_data["q"].strip()
        return rows.filter(Q(title__icontains=text) | Q(employer__name__icontains=text)) if text else rows


class RecommendForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RecommendationMoveForm(forms.Form):
    """A move along the recommendation's states; a hire also needs its start date (and the wage agreed)."""

    to_state = forms.ChoiceField(choices=Recommendation.State.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    wage = forms.DecimalField(label=_("Agreed wage (CNY)"), required=False, min_value=0, max_digits=9,
                              decimal_places=2)

    def clean(self):
        data = super().clean()
        if data.get("to_state") == Recommendation.State.HIRED and not data.get("start_date"):
            self.add_error("start_date", _("Give the date the resident starts work."))
        return data


class FollowUpCallForm(forms.Form):
    """What came of one call, in one step: still in work, left (with the reason), or could not be reached."""

    outcome = forms.ChoiceField(label=_("What came of the call?"), choices=FollowUpCall.Outcome.choices,
                                widget=forms.RadioSelect)
    end_reason = forms.ChoiceField(label=_("Why they left"), required=False,
                                   choices=[("", _("— only if they left —")), *Placement.EndReason.choices])
    called_on = forms.DateField(label=_("Day of the call"), required=False, widget=DateInput(),
                                help_text=_("Today if left empty."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == FollowUpCall.Outcome.LEFT and not data.get("end_reason"):
            self.add_error("end_reason", _("Say why the resident left."))
        if data.get("called_on") and data["called_on"] > timezone.localdate():
            self.add_error("called_on", _("A call cannot be dated in the future."))
        return data


class FollowUpFilterForm(forms.Form):
    """Whose follow-ups the desk shows: a worker's (who recorded the hire) and, for those who see several, a
    station's."""

    worker = forms.TypedChoiceField(label=_("Worker"), coerce=int, required=False, empty_value=None)
    station = forms.TypedChoiceField(label=_("Station"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, workers, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", _("all workers")), *workers]
        self.fields["station"].choices = [("", _("all stations")), *stations]
        if len(stations) < 2:
            del self.fields["station"]
