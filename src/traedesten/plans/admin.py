from django.contrib import admin

from .models import LegalBasisForAction, PlanTemplate


@admin.register(LegalBasisForAction)
class LegalBasisForActionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("offer",)
