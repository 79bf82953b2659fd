"""Forms of the places page: find a place, and set where it is."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.models import CoordinatesSource, Place


class PlaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=40)
    source = forms.ChoiceField(label=_("Coordinates from"), required=False,
                               choices=[("", _("any"))] + list(CoordinatesSource.choices))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("any"))] + list(Place.Level.choices))


class PlaceCoordinatesForm(forms.Form):
    """Latitude and longitude as read off a map (GCJ-02, as Chinese map apps show them), or unknown."""

    latitude = forms.FloatField(label=_("Latitude (north)"), required=False,
                                widget=forms.NumberInput(attrs={"step": "0.000001"}))
    longitude = forms.FloatField(label=_("Longitude (east)"), required=False,
                                 widget=forms.NumberInput(attrs={"step": "0.000001"}))
    unknown = forms.BooleanField(label=_("The position is not known"), required=False,
                                 help_text=_("Then no distance rule rules anyone out who lives or works here."))

    def clean(self):
        data = super().clean()
        if data.get("unknown"):
            data["latitude"] = data["longitude"] = None
        elif data.get("latitude") is None and data.get("longitude") is None and not self.errors:
            self.add_error("latitude", _("Give the latitude and longitude, or tick “not known”."))
        return data
