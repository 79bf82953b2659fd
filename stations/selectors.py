"""Reads about stations, and who may see which residents: the station scope of each user."""

from __future__ import annotations

from django.db.models import QuerySet

from config.roles import Role, has_role
from residents.models import Household, Resident
from taxonomy.models import Place

from .models import LiaisonRoom, LiaisonStation, StaffMembership


def place_ids_with_descendants(place_ids: set[int]) -> set[int]:
    """The places and everything below them (sites under communities, villages under towns)."""
    result = set(place_ids)
    frontier = set(place_ids)
    while frontier:
        children = set(Place.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= children
        frontier = children
    return result


def room_place_ids(room: LiaisonRoom) -> set[int]:
    return place_ids_with_descendants(set(room.places.values_list("id", flat=True)))


def station_place_ids(station: LiaisonStation) -> set[int]:
    direct = set(Place.objects.filter(liaison_rooms__station=station).values_list("id", flat=True))
    return place_ids_with_descendants(direct)


def user_stations(user) -> QuerySet[LiaisonStation]:
    return LiaisonStation.objects.filter(memberships__user=user).distinct()


def user_place_scope(user) -> set[int] | None:
    """Place ids whose residents the user may see; None means every place (admin, bureau for jobs)."""
    if getattr(user, "is_superuser", False):
        return None
    memberships = StaffMembership.objects.filter(user=user).select_related("station")
    ids: set[int] = set()
    for membership in memberships:
        ids |= station_place_ids(membership.station)
    return ids


def resident_place_scope(user) -> set[int] | None:
    """Places whose residents (by their household's site) a user may read: None for every place (admin),
    the station's places for liaison staff, none for anyone else. The same scope as residents_visible_to,
    for reads that filter an index rather than a queryset."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return None
    if has_role(user, Role.LIAISON):
        return user_place_scope(user) or set()
    return set()


def residents_in_places(scope: set[int] | None) -> QuerySet[Resident]:
    """Residents whose household lives in these places (None: every place), as resident_place_scope gives them."""
    base = Resident.objects.select_related("household", "household__site")
    return base if scope is None else base.filter(household__site_id__in=scope)


def residents_visible_to(user) -> QuerySet[Resident]:
    """Residents a user may read: liaison staff their station's, a resident themself, admin all."""
    base = residents_in_places(None)
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.is_superuser:
        return base
    if has_role(user, Role.LIAISON):
        return residents_in_places(user_place_scope(user) or set())
    if has_role(user, Role.RESIDENT):
        return base.filter(user=user)
    return base.none()


def households_visible_to(user) -> QuerySet[Household]:
    base = Household.objects.select_related("site")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.is_superuser:
        return base
    if has_role(user, Role.LIAISON):
        return base.filter(site_id__in=user_place_scope(user) or set())
    if has_role(user, Role.RESIDENT):
        return base.filter(members__user=user).distinct()
    return base.none()
