"""Admin for employers and job postings: writes, publishing and closing go through jobs.services; export to files."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields
from import_export.admin import ExportMixin

from taxonomy.admin import SafeModelResource, ServiceAdminMixin
from taxonomy.import_admin import SpreadsheetImportAdminMixin
from taxonomy.models import ImportJob

from . import imports, services
from .models import Employer, JobPosting, JobSkill


class EmployerResource(SafeModelResource):
    """Employers as a spreadsheet: one row each, the place by code and name."""

    place_code = fields.Field(attribute="place__code", column_name="place_code")
    place_name = fields.Field(attribute="place__name", column_name="place_name")

    class Meta:
        model = Employer
        fields = ("id", "name", "uscc", "place_code", "place_name", "address", "contact_name", "contact_phone",
                  "is_poverty_workshop", "created_at")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("place")


class JobPostingResource(SafeModelResource):
    """Postings as a spreadsheet, with the employer, occupation code and skills (code:level, * = mandatory)."""

    employer_name = fields.Field(attribute="employer__name", column_name="employer")
    employer_uscc = fields.Field(attribute="employer__uscc", column_name="employer_uscc")
    occupation_code = fields.Field(attribute="occupation__code", column_name="occupation_code")
    occupation_name = fields.Field(attribute="occupation__name", column_name="occupation_name")
    place_name = fields.Field(attribute="place__name", column_name="place")
    required_skills = fields.Field(column_name="required_skills")
    preferred_skills = fields.Field(column_name="preferred_skills")

    class Meta:
        model = JobPosting
        fields = (
            "id", "employer_name", "employer_uscc", "title", "occupation_code", "occupation_name", "openings",
            "filled", "wage_min", "wage_max", "wage_unit", "piece_monthly_estimate", "work_mode", "work_time",
            "place_name", "hours_per_day", "hours_note", "age_min", "age_max", "status", "valid_until",
            "published_at", "required_skills", "preferred_skills", "description",
        )
        export_order = fields

    def get_queryset(self):
        return (super().get_queryset().select_related("employer", "occupation", "place")
                .prefetch_related("skill_links__skill"))

    @staticmethod
    def _skills(posting: JobPosting, kind: str) -> str:
        return "|".join(
            f"{link.skill.code}:{link.level}{'*' if link.mandatory else ''}"
            for link in sorted(posting.skill_links.all(), key=lambda link: link.skill.code)
            if link.kind == kind
        )

    def dehydrate_required_skills(self, posting: JobPosting) -> str:
        return self._skills(posting, JobSkill.Kind.REQUIRED)

    def dehydrate_preferred_skills(self, posting: JobPosting) -> str:
        return self._skills(posting, JobSkill.Kind.PREFERRED)


@admin.register(Employer)
class EmployerAdmin(ServiceAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = (EmployerResource,)
    list_display = ("name", "uscc", "place", "contact_name", "is_poverty_workshop", "created_at")
    list_filter = ("is_poverty_workshop", ("place", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "uscc", "contact_name")
    autocomplete_fields = ("place",)
    list_select_related = ("place",)
    date_hierarchy = "created_at"
    fields = ("name", "uscc", "place", "address", "contact_name", "contact_phone", "is_poverty_workshop",
              "created_by", "created_at", "updated_at")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def service_create(self, request, data):
        data = dict(data)
        return services.employer_create(name=data.pop("name"), uscc=data.pop("uscc"), place=data.pop("place"),
                                        created_by=request.user, **data)

    def service_update(self, request, obj, data):
        return services.employer_update(employer=obj, data=data)


class JobSkillInline(admin.TabularInline):
    """The skills a posting asks for; saved through `posting_skills_set` (see JobPostingAdmin.save_formset)."""

    model = JobSkill
    fields = ("skill", "kind", "level", "mandatory")
    autocomplete_fields = ("skill",)
    extra = 1


@admin.register(JobPosting)
class JobPostingAdmin(SpreadsheetImportAdminMixin, ServiceAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = (JobPostingResource,)
    # django-import-export's change list with an "import from spreadsheet" link (see SpreadsheetImportAdminMixin)
    import_export_change_list_template = "admin/spreadsheet_import/change_list_export.html"
    spreadsheet_import_kind = ImportJob.Kind.POSTINGS
    list_display = ("title", "employer", "occupation", "status", "openings", "filled", "wage_min", "wage_max",
                    "wage_unit", "work_mode", "valid_until")
    list_filter = ("status", "work_mode", "work_time", "wage_unit", "employer__is_poverty_workshop", "valid_until")
    search_fields = ("title", "employer__name", "employer__uscc", "occupation__code", "occupation__name")
    autocomplete_fields = ("employer", "occupation", "place")
    list_select_related = ("employer", "occupation")
    date_hierarchy = "published_at"
    readonly_fields = ("status", "filled", "published_at", "posted_by", "created_at", "updated_at")
    inlines = (JobSkillInline,)
    actions = ("publish_postings", "close_postings")
    fieldsets = (
        (None, {"fields": ("employer", "title", "occupation", "occupation_confidence", "description")}),
        (_("Openings and pay"), {"fields": ("openings", "filled", "wage_min", "wage_max", "wage_unit",
                                            "piece_monthly_estimate")}),
        (_("Work"), {"fields": ("work_mode", "work_time", "place", "hours_per_day", "hours_note", "age_min",
                                "age_max")}),
        (_("State"), {"fields": ("status", "valid_until", "published_at", "posted_by", "created_at",
                                 "updated_at")}),
    )

    def service_create(self, request, data):
        data = dict(data)
        return services.posting_create(employer=data.pop("employer"), title=data.pop("title"),
                                       posted_by=request.user, **data)

    def service_update(self, request, obj, data):
        return services.posting_update(posting=obj, data=data, changed_by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not JobSkill:
            return super().save_formset(request, form, formset, change)
        wanted = [
            services.SkillRequirementInput(skill=f.cleaned_data["skill"], level=f.cleaned_data["level"],
                                           kind=f.cleaned_data["kind"], mandatory=f.cleaned_data["mandatory"])
            for f in formset.forms
            if f.cleaned_data.get("skill") and not f.cleaned_data.get("DELETE")
        ]
        services.posting_skills_set(posting=form.instance, skills=wanted)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    def get_readonly_fields(self, request, obj=None):
        # posting_update keeps a posting with its employer: choose the employer when creating it.
        return (*self.readonly_fields, "employer") if obj else self.readonly_fields

    def _apply(self, request, queryset, service) -> int:
        done = 0
        for posting in queryset:
            try:
                service(posting=posting)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{posting.title}: {'; '.join(exc.messages)}", messages.ERROR)
        return done

    @admin.action(description=_("Publish the selected postings"))
    def publish_postings(self, request, queryset):
        done = self._apply(request, queryset, services.posting_publish)
        if done:
            self.message_user(request, ngettext("%(count)d posting published.", "%(count)d postings published.",
                                                done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Close the selected postings"))
    def close_postings(self, request, queryset):
        done = self._apply(request, queryset, services.posting_close)
        if done:
            self.message_user(request, ngettext("%(count)d posting closed.", "%(count)d postings closed.",
                                                done) % {"count": done}, messages.SUCCESS)

    def spreadsheet_import_create(self, request, *, file_name, content):
        return imports.postings_import_create(file_name=file_name, content=content, created_by=request.user,
                                              language=translation.get_language() or "")

    def spreadsheet_template(self):
        return imports.postings_template()
