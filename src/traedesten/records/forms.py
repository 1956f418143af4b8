from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.authority.models import Grant, Handover
from traedesten.core.forms import DATE_INPUT, declared
from traedesten.courses.models import Course

from . import letters, uploads
from .models import Letter, NoteKind


class NoteFields(forms.Form):
    """The note part: on its own page, and inside the activity form (prefix "notat")."""

    note_kind = forms.ChoiceField(label=_("Notattype"), choices=NoteKind.choices, initial=NoteKind.CONVERSATION)
    note_text = forms.CharField(label=_("Journalnotat"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    sensitive = forms.BooleanField(label=_("Følsomt notat (kun for dem, der arbejder med borgerens sag)"),
                                   required=False)

    def __init__(self, *args, may_mark_sensitive: bool = True, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_mark_sensitive:
            self.fields.pop("sensitive")
        if optional:
            self.fields["note_kind"].required = False
            self.fields["note_text"].required = False
            self.fields["note_text"].label = _("Journalnotat (valgfrit)")

    def note(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["note_kind"] or NoteKind.CONVERSATION, "text": d["note_text"],
                "sensitive": d.get("sensitive", False)}


class NoteForm(NoteFields):
    happened_on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), required=False,
                                    empty_label=_("Intet forløb"))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(person=person).select_related("offer")


class CorrectionForm(forms.Form):
    note_text = forms.CharField(label=_("Rettet tekst"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(label=_("Hvorfor rettes notatet?"), max_length=300)
    sensitive = forms.BooleanField(label=_("Følsomt notat"), required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Søg i journalen"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Alle typer")), *NoteKind.choices], required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fil"), help_text=_("PDF, billeder (JPEG, PNG) og Office- eller OpenDocument-filer. "
                                                      "Højst %(max)s MB.") % {"max": uploads.max_bytes() // 1048576})
    title = forms.CharField(label=_("Titel"), max_length=200)
    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), required=False,
                                    empty_label=_("Intet forløb"))
    grant = forms.ModelChoiceField(label=_("Bevilling"), queryset=Grant.objects.none(), required=False,
                                   empty_label=_("Ingen bevilling"))
    handover = forms.ModelChoiceField(label=_("Overdragelse"), queryset=Handover.objects.none(), required=False,
                                      empty_label=_("Ingen overdragelse"))

    def __init__(self, *args, person, authority: bool, **kwargs):
        super().__init__(*args, **kwargs)
        declared(self, "course", forms.ModelChoiceField).queryset = Course.objects.filter(person=person).select_related(
            "offer")
        if authority:
            declared(self, "grant", forms.ModelChoiceField).queryset = Grant.objects.filter(person=person)
            declared(self, "handover", forms.ModelChoiceField).queryset = Handover.objects.filter(person=person)
        else:
            self.fields.pop("grant")
            self.fields.pop("handover")


class LetterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Send med"), choices=Letter.Channel.choices,
                                initial=Letter.Channel.DIGITAL_POST,
                                widget=forms.RadioSelect)
    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), required=False,
                                    empty_label=_("Intet forløb"))

    def __init__(self, *args, template: letters.Template, person, initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        declared(self, "course", forms.ModelChoiceField).queryset = Course.objects.filter(person=person).select_related(
            "offer")
        for field in template.fields:
            form_field: forms.Field
            if field.kind == "date":
                form_field = forms.DateField(label=field.label, widget=DATE_INPUT)
            elif field.kind == "text":
                form_field = forms.CharField(label=field.label, max_length=4000,
                                             widget=forms.Textarea(attrs={"rows": 4}))
            else:
                form_field = forms.CharField(label=field.label, max_length=200)
            form_field.initial = initial_values.get(field.name)
            self.fields[f"v_{field.name}"] = form_field

    def values(self) -> dict:
        return {f.name: self.cleaned_data[f"v_{f.name}"] for f in self.template.fields}
