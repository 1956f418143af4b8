from django import template

from traedesten.authority import ffb as codes

register = template.Library()


@register.filter
def ffb(code: str) -> str:
    """The Danish display name of an FFB code."""
    return codes.display(code)


@register.filter
def ffb_level(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{value} · {codes.levels()[int(value)].display}"
