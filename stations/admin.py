"""Admin for liaison stations, their rooms, staff memberships and deputies; also titles the admin site."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Deputy, LiaisonRoom, LiaisonStation, StaffMembership

admin.site.site_header = _("Lianxin administration")
admin.site.site_title = _("Lianxin")
admin.site.index_title = _("Employment matching for relocated residents")


class LiaisonRoomInline(admin.TabularInline):
    model = LiaisonRoom
    fields = ("name", "places")
    autocomplete_fields = ("places",)
    extra = 0
    show_change_link = True


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    fields = ("user", "role", "room")
    autocomplete_fields = ("user",)
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            kwargs["queryset"] = LiaisonRoom.objects.select_related("station")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DeputyInline(admin.TabularInline):
    model = Deputy
    fields = ("name", "level", "room", "user")
    autocomplete_fields = ("user",)
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            kwargs["queryset"] = LiaisonRoom.objects.select_related("station")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LiaisonStation)
class LiaisonStationAdmin(admin.ModelAdmin):
    list_display = ("name", "place", "address", "room_count", "deputy_count")
    search_fields = ("name", "address")
    autocomplete_fields = ("place",)
    list_select_related = ("place",)
    inlines = (LiaisonRoomInline, StaffMembershipInline, DeputyInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            room_count=Count("rooms", distinct=True), deputy_count=Count("deputies", distinct=True)
        )

    @admin.display(description=_("rooms"), ordering="room_count")
    def room_count(self, obj) -> int:
        return obj.room_count

    @admin.display(description=_("deputies"), ordering="deputy_count")
    def deputy_count(self, obj) -> int:
        return obj.deputy_count


@admin.register(LiaisonRoom)
class LiaisonRoomAdmin(admin.ModelAdmin):
    list_display = ("name", "station", "places_served")
    list_filter = ("station",)
    search_fields = ("name", "station__name", "places__name")
    autocomplete_fields = ("places",)
    list_select_related = ("station",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("places")

    @admin.display(description=_("places served"))
    def places_served(self, obj) -> str:
        return "、".join(place.name for place in obj.places.all())


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "station", "room", "role")
    list_filter = ("role", "station")
    search_fields = ("user__username", "user__first_name", "user__last_name", "station__name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "station", "room", "room__station")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            kwargs["queryset"] = LiaisonRoom.objects.select_related("station")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "station", "room", "user")
    list_filter = ("level", "station", "room")
    search_fields = ("name",)
    autocomplete_fields = ("user",)
    list_select_related = ("station", "room", "room__station", "user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            kwargs["queryset"] = LiaisonRoom.objects.select_related("station")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
