"""Django admin for administrators: users and teams only. Citizens' data is never exposed here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Trædesten", {"fields": ("role", "background", "teams")}),)
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "teams")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
