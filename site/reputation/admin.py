from django.contrib import admin

from .models import Badge, ReputationEvent


@admin.register(ReputationEvent)
class ReputationEventAdmin(admin.ModelAdmin):
    """The ledger is append-only: readable here, never edited."""

    list_display = ("user", "kind", "points", "source_kind", "source_id", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "awarded_at")
    list_filter = ("kind",)
