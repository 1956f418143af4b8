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


@register.filter
def get_item(mapping, key):
    """A value from a dict in a template (the follow-up history's cells by goal)."""
    return mapping.get(key, []) if hasattr(mapping, "get") else []
