"""Places and their coordinates: where each position comes from, staff setting it on a page, and what an
estimated or unknown position does to matching."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshness.models import Domain
from freshness.selectors import versions_get
from matching.selectors import explain_match, matches_for_resident
from taxonomy.models import CoordinatesSource, Place
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_place_says_where_its_coordinates_come_from():
    assert Place.objects.get(code=f.PINGXI).coordinates_source == CoordinatesSource.SURVEYED  # a town centre
    assert Place.objects.get(code=f.ANPING).coordinates_source == CoordinatesSource.ESTIMATED  # a village
    assert Place.objects.get(code=f.HUANGCHA_SITE).coordinates_source == CoordinatesSource.ESTIMATED
    unknown = Place.objects.filter(latitude__isnull=True)
    assert set(unknown.values_list("coordinates_source", flat=True)) <= {CoordinatesSource.UNKNOWN}


def test_bureau_sets_a_village_s_position_as_surveyed(clients, world):
    anping = Place.objects.get(code=f.ANPING)
    before = versions_get()[Domain.REFERENCE]
    response = clients["bureau"].post(reverse("web:place-edit", args=[anping.pk]),
                                      {"latitude": "27.2611", "longitude": "108.9712"})
    assert response.status_code == 302
    anping.refresh_from_db()
    assert (anping.latitude, anping.longitude, anping.coordinates_source) == (27.2611, 108.9712, "surveyed")
    assert versions_get()[Domain.REFERENCE].version == before.version + 1


def test_a_position_can_be_marked_unknown(clients, world):
    anping = Place.objects.get(code=f.ANPING)
    clients["bureau"].post(reverse("web:place-edit", args=[anping.pk]), {"unknown": "on"})
    anping.refresh_from_db()
    assert (anping.latitude, anping.longitude, anping.coordinates_source) == (None, None, "unknown")


def test_bad_positions_are_refused_all_at_once_and_change_nothing(clients, world):
    anping = Place.objects.get(code=f.ANPING)
    stored = (anping.latitude, anping.longitude, anping.coordinates_source)
    response = clients["bureau"].post(reverse("web:place-edit", args=[anping.pk]),
                                      {"latitude": "108.97", "longitude": "27.26"})  # swapped
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"latitude", "longitude"} <= set(errors)
    assert "北纬" in errors["latitude"][0]
    response = clients["bureau"].post(reverse("web:place-edit", args=[anping.pk]), {"latitude": "27.26"})
    assert "longitude" in response.context["form"].errors
    anping.refresh_from_db()
    assert (anping.latitude, anping.longitude, anping.coordinates_source) == stored


def test_liaison_staff_set_only_their_own_station_s_places(clients, world):
    own = Place.objects.get(code=f.ANPING)
    other = Place.objects.get(code="520622001001")  # served by the other station
    assert clients["liaison"].get(reverse("web:place-edit", args=[own.pk])).status_code == 200
    assert clients["liaison"].post(reverse("web:place-edit", args=[other.pk]),
                                   {"latitude": "27.2", "longitude": "108.9"}).status_code == 403
    listed = {p.pk for p in clients["liaison"].get(reverse("web:places")).context["page"]}
    assert own.pk in listed
    assert other.pk not in listed
    for role in ("resident", "deputy"):
        assert clients[role].get(reverse("web:places")).status_code == 403
    assert clients["anonymous"].get(reverse("web:places")).status_code == 302


def test_estimated_distances_are_said_to_be_estimates(world, resident):
    """The resident lives at 黄岔安置点, whose position is estimated: every on-site match says so."""
    match = next(m for m in matches_for_resident(resident) if m["distance_km"])
    assert match["distance_estimated"] is True
    note = next(n for n in match["notes"] if n["code"] == "distance_estimated_from_town")
    assert "按所属乡镇估算" in note["text"]
    assert "公里" in note["text"]


def test_a_place_of_unknown_position_rules_nobody_out_by_distance(world, resident):
    from matching.engine import ExclusionReason
    from residents.services import resident_update

    far = f.PostingFactory(employer=f.EmployerFactory(place=f.place("520602001000")), title="保洁员")  # 碧江区
    resident_update(resident=resident, data={"max_commute_km": 5})
    assert ExclusionReason.TOO_FAR in explain_match(resident, far).reasons
    site = resident.household.site
    Place.objects.filter(pk=site.pk).update(latitude=None, longitude=None, coordinates_source="unknown")
    outcome = explain_match(resident, far)
    assert ExclusionReason.TOO_FAR not in getattr(outcome, "reasons", ())
