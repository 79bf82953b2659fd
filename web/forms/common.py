"""Widgets and fields shared by the page forms."""

from __future__ import annotations

from django import forms

from taxonomy.models import Place


class DateInput(forms.DateInput):
    """A browser date picker (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PlaceChoiceField(forms.ModelChoiceField):
    """A place, listed by code so that a town's villages and sites follow it."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Place.objects.order_by("code"), **kwargs)

    def label_from_instance(self, obj: Place) -> str:
        indent = {"town": "· ", "village": "· · ", "site": "· · "}.get(obj.level, "")
        return f"{indent}{obj.name}"


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
