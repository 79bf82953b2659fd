"""Admin for courses, sessions and enrolments: writes through training.services; enrolments are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from taxonomy.admin import ReadOnlyAdminMixin, ServiceAdminMixin, adopt, service_errors

from . import services
from .models import Attendance, Course, CourseSkill, Enrollment, TrainingSession


class CourseSkillInline(admin.TabularInline):
    """The skills a course grants; saved through `course_skills_set` (see CourseAdmin.save_formset)."""

    model = CourseSkill
    fields = ("skill", "level")
    autocomplete_fields = ("skill",)
    extra = 1


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "hours", "skills_granted")
    search_fields = ("code", "name")
    inlines = (CourseSkillInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("skill_links__skill")

    @admin.display(description=_("skills granted"))
    def skills_granted(self, obj) -> str:
        return "、".join(f"{link.skill.name} L{link.level}" for link in obj.skill_links.all())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class

        class CreateForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if not self.errors:
                    error = service_errors(lambda: services.course_create(**self.cleaned_data))
                    if error is not None:
                        ServiceAdminMixin.add_service_errors(self, error)

        return CreateForm

    def save_model(self, request, obj, form, change):
        if change:
            # training.services has no course_update yet; a course's own fields are plain, validated by the form.
            return super().save_model(request, obj, form, change)
        adopt(obj, services.course_create(**form.cleaned_data))
        return None

    def save_formset(self, request, form, formset, change):
        wanted = [
            (f.cleaned_data["skill"], f.cleaned_data["level"])
            for f in formset.forms
            if f.cleaned_data.get("skill") and not f.cleaned_data.get("DELETE")
        ]
        services.course_skills_set(course=form.instance, skills=wanted)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(TrainingSession)
class TrainingSessionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("course", "start_date", "end_date", "place", "venue", "capacity", "enrolled_count", "status",
                    "partner_department")
    list_filter = ("status", "course", "partner_department", ("place", admin.RelatedOnlyFieldListFilter))
    search_fields = ("course__name", "venue", "trainer", "partner_department")
    autocomplete_fields = ("place",)
    list_select_related = ("course", "place")
    date_hierarchy = "start_date"
    fields = ("course", "start_date", "end_date", "place", "venue", "capacity", "enrolled_count", "hours", "trainer",
              "partner_department", "status", "created_by", "created_at")
    readonly_fields = ("enrolled_count", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        # session_update keeps a session with its course.
        return (*self.readonly_fields, "course") if obj else self.readonly_fields

    def service_create(self, request, data):
        data = dict(data)
        return services.session_create(course=data.pop("course"), start_date=data.pop("start_date"),
                                       end_date=data.pop("end_date"), place=data.pop("place"),
                                       capacity=data.pop("capacity"), created_by=request.user,
                                       allow_past_start=True, **data)  # the admin also records history

    def service_update(self, request, obj, data):
        return services.session_update(session=obj, data=data, allow_past_start=True)


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    fields = ("date", "hours", "recorded_by")
    readonly_fields = fields
    extra = 0


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Enrolments change only through the enrolment services (seats are counted under a lock)."""

    list_display = ("resident", "session", "status", "hours_attended", "passed", "certificate_number", "created_at")
    list_filter = ("status", "passed", "session__course")
    search_fields = ("resident__name", "resident__name_initials", "certificate_number")
    list_select_related = ("resident", "session", "session__course")
    date_hierarchy = "created_at"
    inlines = (AttendanceInline,)
