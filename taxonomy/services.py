"""Writes of the shared vocabularies: a place's coordinates, and the version bump of any reference change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from freshness.models import Domain
from freshness.services import version_bump

from .models import CoordinatesSource, Occupation, OccupationCorrection, Place, Skill

# Coordinates (GCJ-02) a place of this deployment can have: Guizhou and a margin around it. A pair outside
# is a typing slip (latitude and longitude swapped, a digit lost), not a place.
LATITUDE_RANGE = (24.0, 29.5)
LONGITUDE_RANGE = (103.0, 110.0)


def reference_changed() -> int:
    """Say that skills, occupations or places changed (admin edits, a reload): every index is rebuilt, and
    this process's coders look again once the change commits."""
    from .coding import recheck_now

    version = version_bump(Domain.REFERENCE)
    recheck_now()  # inside the transaction, this thread already reads the change …
    transaction.on_commit(recheck_now)  # … and after it, every thread of this process
    return version


@transaction.atomic
def place_coordinates_set(*, place: Place, latitude: float | None, longitude: float | None) -> Place:
    """Set a place's coordinates as surveyed, or clear them (unknown: no distance rule excludes anyone who
    lives or works there)."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    errors: dict[str, list[str]] = {}
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        errors[missing] = [_("Give both latitude and longitude, or neither (the place's position is unknown).")]
    if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        errors["latitude"] = [_("A latitude here lies between %(low)s° and %(high)s° north.")
                              % {"low": LATITUDE_RANGE[0], "high": LATITUDE_RANGE[1]}]
    if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        errors["longitude"] = [_("A longitude here lies between %(low)s° and %(high)s° east.")
                               % {"low": LONGITUDE_RANGE[0], "high": LONGITUDE_RANGE[1]}]
    if errors:
        raise ValidationError(errors)
    place.latitude, place.longitude = latitude, longitude
    place.coordinates_source = CoordinatesSource.UNKNOWN if latitude is None else CoordinatesSource.SURVEYED
    place.save(update_fields=["latitude", "longitude", "coordinates_source"])
    reference_changed()
    return place


@transaction.atomic
def occupation_correction_record(
    *,
    title: str,
    occupation: Occupation | None,
    source: str = OccupationCorrection.Source.ALTERNATIVE,
    coded_as: str = "",
    created_by=None,
) -> OccupationCorrection:
    """Keep a clerk's choice of occupation for a job title as a labelled title for the coder.

    The coder (taxonomy.coding) refits with it at its next rebuild, and `manage.py train_coder`
    refits on the development titles plus every correction.
    """
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the job title the occupation is for.")]
    elif len(title) > 200:
        errors["title"] = [_("A job title has at most 200 characters.")]
    if occupation is None:
        errors["occupation"] = [_("Choose an occupation.")]
    if source not in OccupationCorrection.Source.values:
        errors["source"] = [_("Unknown source of a correction.")]
    if errors:
        raise ValidationError(errors)
    correction = OccupationCorrection.objects.create(
        title=title, occupation=occupation, source=source, coded_as=coded_as or "", created_by=created_by
    )
    reference_changed()  # the title coder is refitted with it
    return correction


@transaction.atomic
def skill_alias_add(*, skill: Skill, alias: str) -> Skill:
    """Teach the skill resolver a word for a skill (a resident's own words that staff mapped to it)."""
    alias = (alias or "").strip()
    if not alias or len(alias) > 60:
        raise ValidationError({"alias": [_("A word for a skill has 1 to 60 characters.")]})
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    if alias != skill.name and alias not in skill.aliases:
        skill.aliases = [*skill.aliases, alias]
        skill.save(update_fields=["aliases"])
        reference_changed()  # the resolver is rebuilt with it
    return skill
