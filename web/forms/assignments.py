"""Forms of the batch-assignment pages: start a run, accept proposed pairs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import AssignmentRun


class AssignmentRunForm(forms.Form):
    mode = forms.ChoiceField(label=_("How to share out the openings"), choices=AssignmentRun.Mode.choices, initial=AssignmentRun.Mode.OPTIMAL,
                             widget=forms.RadioSelect)
    k = forms.IntegerField(label=_("Postings to choose from for each resident"), min_value=1, max_value=200,
                           initial=50,
                           help_text=_("Each resident is matched only among the postings that suit them best: 50 "
                                       "means their 50 best postings (1–200)."))


class AcceptForm(forms.Form):
    """Which proposed pairs to recommend: the residents ticked on the page, or every pair of the run."""

    residents = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    everything = forms.BooleanField(required=False)

    def __init__(self, *args, resident_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = [(pk, pk) for pk in resident_ids]

    def clean(self):
        data = super().clean()
        if not data.get("everything") and not data.get("residents"):
            raise forms.ValidationError(_("Tick the residents to recommend, or recommend every proposed pair."))
        return data


class BatchWithdrawForm(forms.Form):
    """Why a batch of recommendations is withdrawn (optional, kept on each recommendation's history)."""

    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. recommended by mistake")}))
