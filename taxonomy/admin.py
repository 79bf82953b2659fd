"""Admin for the shared vocabularies, and the mixins other apps' admins use to write through services.

`ServiceAdminMixin` makes a ModelAdmin create and change objects by calling a service instead of
`obj.save()`: the form first runs the service inside a savepoint that is rolled back, so whatever
the service refuses comes back as form errors (never as a 500), then `save_model` runs it for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export import resources

from .exports import neutralise
from .models import Occupation, Place, Skill, SkillGroup
from .services import reference_changed


class SafeModelResource(resources.ModelResource):
    """A django-import-export resource whose exported cells a spreadsheet cannot run (see taxonomy.exports).

    The library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=", leaving +, -, @,
    tab and CR; every admin export goes through this instead."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class _DryRun(Exception):
    """Raised inside the savepoint of a dry run so that it rolls back."""


def service_errors(call: Callable[[], Any]) -> ValidationError | None:
    """Run a service call in a savepoint that is always rolled back; return its ValidationError, if any."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as exc:
        return exc


def adopt(target, source) -> None:
    """Make the admin's unsaved instance the row a service saved (the admin logs and redirects with it)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class ServiceAdminMixin:
    """Create and change through services. Subclasses implement `service_create` and `service_update`.

    Both receive the request and the form's `cleaned_data`; `service_update` also the stored object.
    They return the saved object. Many-to-many fields of the form are left to the services.
    """

    def service_create(self, request, data: dict[str, Any]):  # pragma: no cover - abstract
        raise NotImplementedError

    def service_update(self, request, obj, data: dict[str, Any]):  # pragma: no cover - abstract
        raise NotImplementedError

    def service_data(self, form) -> dict[str, Any]:
        """The form's values a service takes: by default every cleaned field."""
        return dict(form.cleaned_data)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                data = model_admin.service_data(self)
                if self.instance.pk:
                    stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
                    error = service_errors(lambda: model_admin.service_update(request, stored, data))
                else:
                    error = service_errors(lambda: model_admin.service_create(request, data))
                if error is not None:
                    model_admin.add_service_errors(self, error)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    @staticmethod
    def add_service_errors(form, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field != NON_FIELD_ERRORS and target is None:
                messages = [f"{field}: {message}" for message in messages]
            form.add_error(target, messages)

    def save_model(self, request, obj, form, change):
        data = self.service_data(form)
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.service_update(request, stored, data)
        else:
            saved = self.service_create(request, data)
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # The services set the many-to-many fields; only the inlines are saved here (see save_formset).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReadOnlyAdminMixin:
    """For rows only services or the system write (audit logs, enrolments, matching): look, don't touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdminMixin:
    """The vocabularies are edited here directly; every save or delete bumps the reference version, so the
    matching indexes built on them are rebuilt."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            reference_changed()

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            reference_changed()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            reference_changed()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            reference_changed()


@admin.register(Occupation)
class OccupationAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_digital", "is_green")
    list_filter = ("level", "is_digital", "is_green")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    ordering = ("code",)


class SkillInline(admin.TabularInline):
    model = Skill
    fields = ("code", "name", "aliases")
    extra = 0
    show_change_link = True


@admin.register(SkillGroup)
class SkillGroupAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "skill_count")
    search_fields = ("code", "name")
    inlines = (SkillInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(skill_count=Count("skills"))

    @admin.display(description=_("skills"), ordering="skill_count")
    def skill_count(self, obj) -> int:
        return obj.skill_count


@admin.register(Skill)
class SkillAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "group")
    list_filter = ("group",)
    search_fields = ("code", "name")
    autocomplete_fields = ("group", "occupations")
    list_select_related = ("group",)


@admin.register(Place)
class PlaceAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_resettlement_site", "latitude", "longitude",
                    "coordinates_source")
    list_filter = ("level", "is_resettlement_site", "coordinates_source")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
