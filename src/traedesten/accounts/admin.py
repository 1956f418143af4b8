"""Django admin for administrators: users, teams and departments. No citizen data and no secret is shown here;
conflicts of interest are recorded by managers on the citizen (accounts.views.recusals)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import CaseloadNorm, Department, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Trædesten", {"fields": ("role", "background", "teams")}))
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "teams")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


admin.site.register(Department, list_display=("code", "name", "owns_plans", "decides_grants"))
admin.site.register(CaseloadNorm, list_display=("team", "role", "max_citizens", "note"))


class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators see that a user has an authenticator app and can remove it (a lost phone), never its secret."""

    list_display = ("user", "name", "confirmed")
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request):
        return False


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
