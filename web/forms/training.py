"""Forms of the liaison worker's training pages: enrol a resident, record attendance, close an enrolment."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.models import TrainingSession

from ..lists import ListFilterForm
from .common import DateInput

MAX_ID = 2**63 - 1  # ids are 64-bit: a longer number is no resident, not a database error


class SessionFilterForm(ListFilterForm):
    """Sessions not cancelled that are coming, running or ended within `RECENT_DAYS` (or, on asking, the earlier
    ones), by course."""

    # Sessions that ended this recently are still listed: their completions are being recorded.
    RECENT_DAYS = 14

    when = forms.ChoiceField(
        label=_("Sessions"), required=False,
        choices=[("", _("Coming and running")), ("past", _("Ended"))],
    )
    q = forms.CharField(label=_("Course"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))

    @property
    def past(self) -> bool:
        return self.is_valid() and self.cleaned_data["when"] == "past"

    def apply(self, rows):
        since = timezone.localdate() - dt.timedelta(days=self.RECENT_DAYS)
        rows = rows.exclude(status=TrainingSession.Status.CANCELLED)
        rows = rows.filter(end_date__lt=since) if self.cleaned_data["when"] == "past" else rows.filter(
            end_date__gte=since)
        text = self.cleaned_data["q"].strip()
        return rows.filter(course__name__icontains=text) if text else rows


class EnrolForm(forms.Form):
    """The resident to enrol: one of the worker's residents, picked from the search results."""

    resident = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput, error_messages={
        key: _("Choose a resident to enrol.") for key in ("required", "invalid", "min_value", "max_value")})


class AttendanceForm(forms.Form):
    date = forms.DateField(label=_("Day attended"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours that day"), max_digits=4, decimal_places=1,
                               widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}))


class CompleteForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Passed the assessment?"), choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    certificate_number = forms.CharField(label=_("Certificate number (if passed)"), max_length=40, required=False)


class ActionForm(forms.Form):
    """A drop-out or a cancellation: no fields, only the errors the service gives."""
