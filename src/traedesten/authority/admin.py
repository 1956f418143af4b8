from django.contrib import admin

from .models import FollowUpCadence


@admin.register(FollowUpCadence)
class FollowUpCadenceAdmin(admin.ModelAdmin):
    list_display = ("legal_basis", "first_weeks", "every_months", "note")
