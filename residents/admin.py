"""Admin for households and residents: writes go through residents.services; personal data shown masked only."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from taxonomy.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from taxonomy.import_admin import SpreadsheetImportAdminMixin
from taxonomy.models import ImportJob

from . import imports, services
from .models import Household, PiiRevealLog, Resident, ResidentSkill

# A search term that looks like the visible tail of a masked ID number (last 4) or phone.
_TAIL = re.compile(r"^[0-9]{3}[0-9Xx]$")


@admin.register(Household)
class HouseholdAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("number", "site", "poverty_status", "relocated_on", "member_count")
    list_filter = ("poverty_status", ("site", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "address", "site__name")
    autocomplete_fields = ("site",)
    list_select_related = ("site",)
    date_hierarchy = "relocated_on"
    fields = ("number", "site", "address", "poverty_status", "relocated_on", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    def service_create(self, request, data):
        return services.household_create(**data)

    def service_update(self, request, obj, data):
        return services.household_update(household=obj, data=data)


class ResidentSkillInline(admin.TabularInline):
    """A resident's skills; saved through `resident_skills_set` (see ResidentAdmin.save_formset)."""

    model = ResidentSkill
    fields = ("skill", "level", "source")
    readonly_fields = ("source",)
    autocomplete_fields = ("skill",)
    extra = 1


class ResidentAdminForm(forms.ModelForm):
    """The resident form: the ID number and phone are typed in clear and handed to the services."""

    id_number = forms.CharField(
        label=_("ID number"), max_length=20, required=False,
        help_text=_("18 characters; leave blank to keep the stored number."),
    )
    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False,
        help_text=_("11-digit mobile number; leave blank to keep the stored number."),
    )

    class Meta:
        model = Resident
        fields = (
            "household", "name", "id_number", "phone", "ethnicity", "education", "employment_status",
            "has_disability", "disability_note", "care_duties", "consent_share_with_employers", "min_monthly_wage",
            "max_commute_km", "accepts_home_based", "accepts_outside_county", "work_time", "wanted_occupations",
            "notes", "user",
        )
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["id_number"].required = True
            self.fields["id_number"].help_text = _("18 characters, stored encrypted and shown masked.")
            self.fields["phone"].help_text = _("11-digit mobile number, stored encrypted and shown masked.")


@admin.register(Resident)
class ResidentAdmin(SpreadsheetImportAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = ResidentAdminForm
    change_list_template = "admin/spreadsheet_import/change_list.html"  # adds "import from spreadsheet"
    spreadsheet_import_kind = ImportJob.Kind.RESIDENTS
    list_display = (
        "name", "id_number_masked", "sex", "birth_date", "household", "site", "poverty_status",
        "employment_status", "has_disability",
    )
    list_filter = (
        "employment_status", "sex", "education", "care_duties", "has_disability", "accepts_home_based",
        "household__poverty_status", ("household__site", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "name_initials", "household__number")
    autocomplete_fields = ("household", "wanted_occupations", "user")
    list_select_related = ("household", "household__site")
    readonly_fields = ("id_number_masked", "phone_masked", "birth_date", "sex", "name_initials", "created_at",
                       "updated_at")
    inlines = (ResidentSkillInline,)
    fieldsets = (
        (None, {"fields": ("household", "name", "name_initials", "user")}),
        (_("Identity (stored encrypted)"), {"fields": ("id_number", "id_number_masked", "birth_date", "sex",
                                                       "phone", "phone_masked")}),
        (_("Situation"), {"fields": ("ethnicity", "education", "employment_status", "has_disability",
                                     "disability_note", "care_duties", "consent_share_with_employers")}),
        (_("Preferences"), {"fields": ("min_monthly_wage", "max_commute_km", "accepts_home_based",
                                       "accepts_outside_county", "work_time", "wanted_occupations")}),
        (None, {"fields": ("notes", "created_at", "updated_at")}),
    )

    @admin.display(description=_("site"), ordering="household__site__name")
    def site(self, obj) -> str:
        return obj.household.site.name

    @admin.display(description=_("poverty status"), ordering="household__poverty_status")
    def poverty_status(self, obj) -> str:
        return obj.household.get_poverty_status_display()

    def get_search_results(self, request, queryset, search_term):
        """Also find residents by the visible tail of the masked ID number or phone (e.g. `123X`)."""
        filtered = queryset  # list filters already applied: the tail matches must respect them too
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        tails = [term for term in search_term.split() if _TAIL.match(term)]
        if tails:
            matches = Q()
            for tail in tails:
                matches |= Q(id_number_masked__endswith=tail.upper()) | Q(phone_masked__endswith=tail)
            queryset |= filtered.filter(matches)
        return queryset, may_have_duplicates

    def service_data(self, form) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        for secret in ("id_number", "phone"):
            if form.instance.pk and not data.get(secret):
                data.pop(secret, None)  # blank on change: keep what is stored
        data["wanted_occupations"] = list(data.get("wanted_occupations") or [])
        return data

    def service_create(self, request, data):
        data = dict(data)
        return services.resident_create(
            household=data.pop("household"), name=data.pop("name"), id_number=data.pop("id_number"),
            phone=data.pop("phone", ""), wanted_occupations=data.pop("wanted_occupations"), user=data.pop("user"),
            **data,
        )

    def service_update(self, request, obj, data):
        return services.resident_update(resident=obj, data=data)

    def get_readonly_fields(self, request, obj=None):
        # resident_update does not move a login between residents: link it when creating the resident.
        return (*self.readonly_fields, "user") if obj else self.readonly_fields

    def save_formset(self, request, form, formset, change):
        if formset.model is not ResidentSkill:
            return super().save_formset(request, form, formset, change)
        wanted = [
            services.SkillLevel(skill=f.cleaned_data["skill"], level=f.cleaned_data["level"])
            for f in formset.forms
            if f.cleaned_data.get("skill") and not f.cleaned_data.get("DELETE")
        ]
        services.resident_skills_set(resident=form.instance, skills=wanted, replace=True)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    def has_spreadsheet_import_permission(self, request) -> bool:
        # Liaison staff may only import at their station's places, which residents (below stations)
        # cannot work out here: in the admin only superusers import; staff use the API or web pages.
        return bool(request.user.is_superuser) and self.has_add_permission(request)

    def spreadsheet_import_create(self, request, *, file_name, content):
        return imports.residents_import_create(file_name=file_name, content=content, created_by=request.user,
                                               allowed_place_ids=None, language=translation.get_language() or "")

    def spreadsheet_template(self):
        return imports.residents_template()


@admin.register(PiiRevealLog)
class PiiRevealLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who saw which resident's full ID number or phone, and why: the audit trail, read-only."""

    list_display = ("revealed_at", "actor", "resident", "field", "reason", "ip_address")
    list_filter = ("field",)
    search_fields = ("actor__username", "resident__name", "reason")
    list_select_related = ("actor", "resident")
    date_hierarchy = "revealed_at"
