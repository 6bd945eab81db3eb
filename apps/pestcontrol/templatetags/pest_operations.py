"""Labels of the stored choice lists (pests, methods) of operations and campaigns."""

from django import template
from django.utils.translation import pgettext

from ..choices import ControlMethod, Pest

register = template.Library()


def _labels(values, choices) -> str:
    names = dict(choices.choices)
    return pgettext("separator", "、").join(str(names.get(v, v)) for v in values or [])


@register.filter
def pest_labels(values) -> str:
    return _labels(values, Pest)


@register.filter
def method_labels(values) -> str:
    return _labels(values, ControlMethod)
