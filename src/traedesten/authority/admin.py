from django.contrib import admin

from .models import DecisionMandate, FollowUpCadence


@admin.register(FollowUpCadence)
class FollowUpCadenceAdmin(admin.ModelAdmin):
    list_display = ("legal_basis", "first_weeks", "every_months", "note")


@admin.register(DecisionMandate)
class DecisionMandateAdmin(admin.ModelAdmin):
    """Bevillingskompetencer (decision 0058): who may decide which service, up to which limits, when."""

    list_display = ("legal_basis", "department", "role", "user", "max_hours_per_week", "max_amount_per_year",
                    "starts_on", "ends_on")
    list_filter = ("department", "role")
    raw_id_fields = ("user",)
