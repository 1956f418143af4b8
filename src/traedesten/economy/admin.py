from django.contrib import admin

from .models import FixedCost, HourlyRate, Price, PriceItem


class PriceInline(admin.TabularInline):
    model = Price
    extra = 1


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_basis", "active")
    inlines = [PriceInline]


admin.site.register(HourlyRate, list_display=("amount", "valid_from", "valid_to"))
admin.site.register(FixedCost, list_display=("name", "annual_cost", "valid_from", "valid_to"))
