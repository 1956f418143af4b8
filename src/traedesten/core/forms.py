"""Form pieces shared by the apps."""

from typing import TypeVar

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

F = TypeVar("F", bound=forms.Field)


def declared(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, which the form declares as a `kind` (to set its choices, queryset or limits)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def cap_reason(request) -> str:
    """The reason given for going over a soft cap, from the warning's text field (core/cap_warning.html)."""
    return request.POST.get("cap_reason") or request.POST.get("cap_reason_text", "")
