"""Instruments are edited as JSON; every saved change becomes a new version, so stored scores never change."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .definitions import DefinitionError, parse
from .models import Instrument, InstrumentVersion


class InstrumentForm(forms.ModelForm):
    definition = forms.CharField(label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
                                 required=False, help_text=_("Gemmes som en ny version. Tidligere målinger beholder deres version."))

    class Meta:
        model = Instrument
        fields = ["active", "offers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        newest = self.instance.versions.order_by("-number").first() if self.instance.pk else None
        if newest:
            self.fields["definition"].initial = json.dumps(newest.definition, ensure_ascii=False, indent=1)

    def clean_definition(self):
        text = self.cleaned_data["definition"].strip()
        if not text:
            return None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("Ugyldig JSON: %(error)s") % {"error": exc}) from exc

        try:
            parse(raw)
        except (DefinitionError, KeyError, TypeError) as exc:
            raise ValidationError(str(exc)) from exc
        if self.instance.pk and raw.get("code") != self.instance.code:
            raise ValidationError(_("Koden kan ikke ændres."))
        return raw


class VersionInline(admin.TabularInline):
    model = InstrumentVersion
    fields = ("number", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentForm
    list_display = ("code", "name", "active")
    inlines = [VersionInline]
    filter_horizontal = ("offers",)

    def has_add_permission(self, request):
        return False  # new instruments come as files: traedesten load_instruments FILE

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        raw = form.cleaned_data.get("definition")
        if raw:
            before = obj.current.number
            version = services.save_definition(request.user, raw)
            if version.number != before:
                messages.info(request, _("Definitionen er gemt som version %(n)s.") % {"n": version.number})
