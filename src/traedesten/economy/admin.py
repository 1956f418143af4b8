from django import forms
from django.contrib import admin

from .models import FixedCost, HourlyRate, Price, PriceItem
from .services import check_fixed_cost, check_payer_shares


class PriceItemForm(forms.ModelForm):
    """The same rules as the import (docs/interchange.md): the payer shares add up to 1."""

    class Meta:
        model = PriceItem
        fields = ["name", "legal_basis", "share_kommune", "share_region", "share_stat", "active"]

    def clean(self):
        data = super().clean()
        check_payer_shares(data.get("share_kommune"), data.get("share_region"), data.get("share_stat"))
        return data


class FixedCostForm(forms.ModelForm):
    class Meta:
        model = FixedCost
        fields = ["name", "annual_cost", "valid_from", "valid_to"]

    def clean(self):
        data = super().clean()
        if data.get("valid_from") is not None:
            check_fixed_cost(name=data.get("name", ""), annual_cost=data.get("annual_cost"),
                             valid_from=data["valid_from"], valid_to=data.get("valid_to"))
        return data


class PriceInline(admin.TabularInline):
    model = Price
    extra = 1


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    form = PriceItemForm
    list_display = ("name", "legal_basis", "active")
    inlines = [PriceInline]


admin.site.register(HourlyRate, list_display=("amount", "valid_from", "valid_to"))
admin.site.register(FixedCost, form=FixedCostForm, list_display=("name", "annual_cost", "valid_from", "valid_to"))
