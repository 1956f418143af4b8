from django.contrib import admin

from .models import AdHocTopic, PartnerOrganisation


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    search_fields = ["name"]


@admin.register(AdHocTopic)
class AdHocTopicAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "active")
    list_editable = ("position", "active")
