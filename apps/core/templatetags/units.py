"""`{{ figure.unit|unit }}`: a unit in the reader's language (apps.core.units)."""

from django import template

from apps.core.units import unit_text

register = template.Library()


@register.filter(name="unit")
def unit_filter(value) -> str:
    return unit_text(value)
