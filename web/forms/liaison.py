"""Forms of the liaison worker's pages: search, recommendation moves, follow-ups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Recommendation

from .common import DateInput


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, pinyin initials, household number or last 4 of the ID number"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True,
                                      "placeholder": _("e.g. 张三, zs, 00014 (household number), 123X (ID number)")}),
    )


class PostingSearchForm(forms.Form):
    q = forms.CharField(label=_("Title or employer"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))


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


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(
        label=_("Still in work?"), choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
