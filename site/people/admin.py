from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Profile, User


@admin.register(User)
class HallwayUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Hallway", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_staff")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "department", "updated_at")
    search_fields = ("user__username", "user__display_name", "office", "department")
