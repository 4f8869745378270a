from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Badge, Profile, ReputationEvent, User


@admin.register(User)
class HallwayUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Hallway", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_staff")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "department", "updated_at")
    search_fields = ("user__username", "user__display_name", "office", "department")


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
