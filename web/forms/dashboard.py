"""The dashboard's pickers: which scope, which period."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.statistics import Period

from .common import DateInput

MAX_CUSTOM_DAYS = 3 * 366


class DashboardForm(forms.Form):
    """Scope and period; every field is optional and falls back to the user's default scope and this month."""

    PERIODS = [("month", _("month")), ("quarter", _("quarter")), ("year", _("year")), ("custom", _("custom range"))]

    scope = forms.ChoiceField(label=_("Scope"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(label=_("Month"), choices=[(m, m) for m in range(1, 13)], coerce=int,
                                   required=False, empty_value=None)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=[(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))], coerce=int,
                                     required=False, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, data, *, scope_choices: list[tuple[str, str]], today: dt.date):
        self.today = today
        self.default_scope = scope_choices[0][0] if scope_choices else ""
        super().__init__(data)
        self.fields["scope"].choices = scope_choices

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        data["period"] = kind
        data["scope"] = data.get("scope") or self.default_scope
        data["year"] = data.get("year") or self.today.year
        if kind == "month":
            data["month"] = data.get("month") or self.today.month
        elif kind == "quarter":
            data["quarter"] = data.get("quarter") or (self.today.month - 1) // 3 + 1
        elif kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the range."))
            if not end:
                self.add_error("end", _("Give the last day of the range."))
            if start and end and end < start:
                self.add_error("end", _("The range cannot end before it starts."))
            if start and end and (end - start).days > MAX_CUSTOM_DAYS:
                self.add_error("end", _("A range can cover at most three years."))
        return data

    def built_period(self) -> Period:
        data = self.cleaned_data
        if data["period"] == "quarter":
            return Period.quarter(data["year"], data["quarter"])
        if data["period"] == "year":
            return Period.year(data["year"])
        if data["period"] == "custom":
            return Period(data["start"], data["end"])
        return Period.month(data["year"], data["month"])

    def query(self) -> dict[str, str]:
        """The normalised choices, for links to the charts, records and downloads."""
        data = self.cleaned_data
        params = {"scope": data["scope"], "period": data["period"], "year": str(data["year"])}
        if data["period"] == "month":
            params["month"] = str(data["month"])
        elif data["period"] == "quarter":
            params["quarter"] = str(data["quarter"])
        elif data["period"] == "custom":
            params["start"], params["end"] = data["start"].isoformat(), data["end"].isoformat()
            params.pop("year")
        return params
