from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker: to look at, not to touch (the drain sends them)."""

    list_display = ("id", "task_name", "args", "created_at", "attempts", "last_error")
    search_fields = ("task_name",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
