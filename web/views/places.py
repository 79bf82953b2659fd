"""Places and their coordinates: staff correct a village's or a site's position on a page, and say where
it is only estimated or not known (distances from estimated positions carry a caveat and count for less)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.roles import Role, has_role
from stations.selectors import user_place_scope
from taxonomy.models import Place
from taxonomy.services import place_coordinates_set

from ..forms.places import PlaceCoordinatesForm, PlaceFilterForm
from .common import add_service_errors, bound, paginate, query_without_page, role_required

staff_only = role_required(Role.BUREAU, Role.LIAISON)


def _editable_places(user):
    """Bureau staff set any place of the county; liaison staff the places of their own station."""
    places = Place.objects.select_related("parent")
    if has_role(user, Role.BUREAU):
        return places
    return places.filter(pk__in=user_place_scope(user) or set())


@require_GET
@staff_only
def places(request):
    form = PlaceFilterForm(request.GET or None)
    rows = _editable_places(request.user).exclude(level__in=[Place.Level.PROVINCE, Place.Level.CITY]).order_by("code")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            rows = rows.filter(Q(name__icontains=data["q"].strip()) | Q(parent__name__icontains=data["q"].strip()))
        if data["source"]:
            rows = rows.filter(coordinates_source=data["source"])
        if data["level"]:
            rows = rows.filter(level=data["level"])
    return render(request, "web/places/places.html",
                  {"form": form, "page": paginate(request, rows), "query": query_without_page(request)})


@require_http_methods(["GET", "POST"])
@staff_only
def place_edit(request, pk: int):
    place = get_object_or_404(Place.objects.select_related("parent"), pk=pk)
    if not _editable_places(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    initial = {"latitude": place.latitude, "longitude": place.longitude,
               "unknown": place.latitude is None}
    form = PlaceCoordinatesForm(*bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            place = place_coordinates_set(place=place, latitude=form.cleaned_data["latitude"],
                                          longitude=form.cleaned_data["longitude"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The position of %(name)s is saved.") % {"name": place.name})
            return redirect("web:places")
    return render(request, "web/places/place_form.html", {"form": form, "place": place})
