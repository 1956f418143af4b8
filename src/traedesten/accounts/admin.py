"""Django admin for administrators: users and teams only. Citizens' data is never exposed here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Department, Recusal, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Trædesten", {"fields": ("role", "background", "teams")}),)
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "teams")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Recusal)
class RecusalAdmin(admin.ModelAdmin):
    """Conflicts of interest are set by administrators; the citizen is chosen by id, never shown by CPR."""

    list_display = ("user", "person_id", "reason", "created_at")
    raw_id_fields = ("person",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


admin.site.register(Department, list_display=("code", "name", "owns_plans"))
