from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class HallwayUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Hallway", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
