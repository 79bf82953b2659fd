"""The liaison worker registers residents and keeps their profiles: household, situation, preferences, skills.

Households and sites come from the worker's station only; another station's resident is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.http import RevealThrottle, client_ip
from config.roles import Role
from residents.models import Household, PiiRevealLog, Resident, ResidentSkill
from residents.services import (
    household_create,
    household_update,
    resident_create,
    resident_pii_reveal,
    resident_update,
)
from stations.selectors import households_visible_to, user_place_scope
from taxonomy.models import Place

from ..forms.profile import ResidentProfileForm, RevealForm
from .common import add_service_errors, bound, role_required, visible_residents

liaison_only = role_required(Role.LIAISON)

# Where the services' field names differ from the form's.
SERVICE_FIELDS = {"number": "household_number", "household": "household_number"}


def places_of(user):
    """The places whose households the user may register (their stations' places; every place for an admin)."""
    scope = user_place_scope(user)
    return Place.objects.all() if scope is None else Place.objects.filter(pk__in=scope)


def _household_for(form: ResidentProfileForm) -> Household:
    """The form's household: the existing one (its poverty status brought up to date) or a new one."""
    data = form.household_data()
    household = form.cleaned_data["household"]
    if household is None:
        return household_create(**data)
    if "poverty_status" in data and household.poverty_status != data["poverty_status"]:
        household = household_update(household=household, data={"poverty_status": data["poverty_status"]})
    return household


def resident_form_save(form: ResidentProfileForm, resident: Resident | None) -> Resident | None:
    """Household and resident in one transaction: a refused resident leaves no new household behind. Also the
    reception desk's quick registration; None when a service refused (its errors are on the form)."""
    try:
        with transaction.atomic():
            household = _household_for(form)
            data = form.resident_data()
            if resident is None:
                if "id_number" not in data:
                    raise ValidationError({"id_number": [_("Give the resident's ID number.")]})
                return resident_create(household=household, **data)
            return resident_update(resident=resident, data={**data, "household": household})
    except ValidationError as exc:
        add_service_errors(form, exc, SERVICE_FIELDS)
        return None


def _form_page(request, form: ResidentProfileForm, resident: Resident | None):
    return render(request, "web/liaison/resident_form.html", {"form": form, "resident": resident})


@require_http_methods(["GET", "POST"])
@liaison_only
def resident_new(request):
    form = ResidentProfileForm(*bound(request), households=households_visible_to(request.user),
                               places=places_of(request.user))
    if request.method == "POST" and form.is_valid():
        resident = resident_form_save(form, None)
        if resident is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": resident.name})
            return redirect("web:liaison-resident", pk=resident.pk)
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@liaison_only
def resident_edit(request, pk: int):
    links = Prefetch("skill_links", queryset=ResidentSkill.objects.select_related("skill").order_by("skill__name"))
    resident = get_object_or_404(visible_residents(request).prefetch_related(links), pk=pk)
    form = ResidentProfileForm(*bound(request), households=households_visible_to(request.user),
                               places=places_of(request.user), resident=resident,
                               initial=ResidentProfileForm.initial_for(resident))
    if request.method == "POST" and form.is_valid():
        saved = resident_form_save(form, resident)
        if saved is not None:
            messages.success(request, _("The profile of %(name)s is saved.") % {"name": saved.name})
            return redirect("web:liaison-resident", pk=saved.pk)
    return _form_page(request, form, resident)


@require_POST
@liaison_only
def reveal(request, pk: int):
    """Show a resident's full ID number or phone once, for a reason that is logged with who, when and from
    where; the same hourly budget as the API's reveal. The answer is never cached."""
    resident = get_object_or_404(visible_residents(request), pk=pk)
    form = RevealForm(request.POST)
    value, status = None, 200
    if not RevealThrottle().allow_request(request, None):
        form.add_error(None, _("Too many reveals in the last hour; please try again later."))
        status = 200 if request.htmx else 429  # htmx swaps only 2xx answers: the message must show
    elif form.is_valid():
        try:
            value = resident_pii_reveal(resident=resident, actor=request.user, ip_address=client_ip(request),
                                        **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    field = request.POST.get("field")
    if field not in PiiRevealLog.Field.values:
        field = PiiRevealLog.Field.PHONE  # the form says what was wrong
    masked = resident.id_number_masked if field == PiiRevealLog.Field.ID_NUMBER else resident.phone_masked
    template = "web/liaison/_reveal.html" if request.htmx else "web/liaison/reveal.html"
    context = {"resident": resident, "form": form, "value": value, "field": field, "masked": masked}
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response
