from django import template

from traedesten.insights.tables import ROUNDING_NOTE, shown

register = template.Library()


@register.simple_tag
def cell(value, columns, index: int) -> str:
    return shown(value, columns[index].kind if index < len(columns) else "count")


@register.simple_tag
def rounding_note() -> str:
    return str(ROUNDING_NOTE)
