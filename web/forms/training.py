"""Forms of the liaison worker's training pages: enrol a resident, record attendance, close an enrolment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import DateInput

MAX_ID = 2**63 - 1  # ids are 64-bit: a longer number is no resident, not a database error


class SessionFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Sessions"), required=False,
        choices=[("", _("Coming and running")), ("past", _("Ended"))],
    )


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
