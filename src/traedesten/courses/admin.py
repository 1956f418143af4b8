"""The catalogue is configuration an administrator edits: legal bases and offers with their rules."""

from django.contrib import admin

from .models import LegalBasis, Offer


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ["code", "name"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "legal_basis", "max_weeks", "max_months", "front_door", "active")
    list_filter = ("kind", "legal_basis", "active")
    search_fields = ["name"]
