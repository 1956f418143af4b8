from django.contrib import admin

from .models import ExemptionKind, LegalBasisForAction, PlanTemplate


@admin.register(LegalBasisForAction)
class LegalBasisForActionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("offer",)


@admin.register(ExemptionKind)
class ExemptionKindAdmin(admin.ModelAdmin):
    """What each exemption switches off (decision 0057): requirement keys of plans.requirements.REQUIREMENTS. The
    exemptions themselves are about citizens and are recorded on the citizen's page, never here."""

    list_display = ("code", "name", "legal_basis", "waives")
