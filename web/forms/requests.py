"""Forms of the request pages: the public form (with its honeypot), a resident's own, and the desk's actions."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from receptions.models import Reception, Request, Suggestion
from receptions.selectors import request_search

from ..lists import DateRangeFilterForm

RATINGS = [(str(n), "★" * n) for n in range(5, 0, -1)]


class PublicRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=40)
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    text = forms.CharField(label=_("What is it about?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Kind of matter"), choices=Request.Category.choices,
                                 initial=Request.Category.EMPLOYMENT)
    posting = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    session = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    # Hidden from people by the stylesheet; robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))


class TrackForm(forms.Form):
    """An anonymous submitter reads their request back: the code they were given and their mobile number."""

    code = forms.CharField(label=_("Tracking code"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "K7Q4M-9PX2R"}))
    phone = forms.CharField(label=_("Mobile number, or its last four digits"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class MyRequestForm(forms.Form):
    text = forms.CharField(label=_("What is it about?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Kind of matter"), choices=Request.Category.choices)
    kind = forms.ChoiceField(label=_("A problem or an opinion?"), choices=Request.Kind.choices)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How good was the reply?"), choices=RATINGS, coerce=int,
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Request.Category.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Request.Kind.choices)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, deputies=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(f"d{d.pk}", f"{d.name}（{_('deputy')}）") for d in deputies] + [
            (f"u{u.pk}", u.get_full_name() or u.username) for u in staff]


class HandlingForm(forms.Form):
    handling = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("Reply to the person"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Suggestion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=120, required=False)
    requests = forms.ModelMultipleChoiceField(label=_("Requests it comes from"), queryset=Request.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        if requests is not None:
            self.fields["requests"].queryset = requests


class SuggestionAdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Suggestion.Status.choices)
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=120, required=False)
    response = forms.CharField(label=_("Response"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class ReceptionForm(forms.Form):
    topic = forms.ChoiceField(label=_("Asked about"), choices=Reception.Topic.choices, widget=forms.RadioSelect,
                              initial=Reception.Topic.JOB)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    min_monthly_wage = forms.DecimalField(label=_("Lowest monthly pay wanted (yuan)"), required=False, min_value=0,
                                          max_value=100000, decimal_places=0)
    accepts_home_based = forms.BooleanField(label=_("Home-based work is fine"), required=False, initial=True)
    skill_texts = forms.CharField(label=_("Skills in their own words"), required=False, max_length=200)

    def job_profile(self) -> dict:
        data = self.cleaned_data
        profile = {"accepts_home_based": data["accepts_home_based"]}
        if data.get("min_monthly_wage") is not None:
            profile["min_monthly_wage"] = data["min_monthly_wage"]
        texts = [t.strip() for t in (data.get("skill_texts") or "").replace("，", ",").replace("、", ",").split(",")
                 if t.strip()]
        if texts:
            profile["skill_texts"] = texts
        return profile


class DutyForm(forms.Form):
    day = forms.DateField(label=_("Market day"), widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.ChoiceField(label=_("Who"))

    def __init__(self, *args, deputies=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(f"d{d.pk}", f"{d.name}（{_('deputy')}）") for d in deputies] + [
            (f"u{u.pk}", u.get_full_name() or u.username) for u in staff]


class RequestFilterForm(DateRangeFilterForm):
    """The desk's requests by status, category, words (the request or the name), the day received and whether
    past their deadline."""

    DAY_FIELD = "received_at__date"

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), *Request.Status.choices])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("any")), *Request.Category.choices])
    q = forms.CharField(label=_("Words"), max_length=50, required=False, widget=forms.TextInput(attrs={"type": "search"}))
    overdue = forms.BooleanField(label=_("past the deadline"), required=False)
    field_order = ("status", "category", "q", "since", "until", "overdue")

    def apply(self, rows):
        data = self.cleaned_data
        return request_search(super().apply(rows), status=data["status"], category=data["category"],
                              text=data["q"].strip(), overdue_on=timezone.localdate() if data["overdue"] else None)


class SuggestionFilterForm(DateRangeFilterForm):
    """Deputies' suggestions by status, words (title, text or the deputy's name) and the day raised."""

    DAY_FIELD = "created_at__date"

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any")), *Suggestion.Status.choices])
    q = forms.CharField(label=_("Words"), max_length=50, required=False, widget=forms.TextInput(attrs={"type": "search"}))
    field_order = ("status", "q", "since", "until")

    def apply(self, rows):
        rows = super().apply(rows)
        text = self.cleaned_data["q"].strip()
        if text:
            rows = rows.filter(Q(title__icontains=text) | Q(body__icontains=text) | Q(deputy__name__icontains=text))
        if self.cleaned_data["status"]:
            rows = rows.filter(status=self.cleaned_data["status"])
        return rows
