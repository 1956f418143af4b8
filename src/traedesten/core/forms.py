"""Form pieces shared by the apps."""

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def cap_reason(request) -> str:
    """The reason given for going over a soft cap, from the warning's text field (core/cap_warning.html)."""
    return request.POST.get("cap_reason") or request.POST.get("cap_reason_text", "")
