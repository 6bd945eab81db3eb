"""A person's name or phone on a page, as the personal-data policy lets the viewer read it.

    {% load personal %}
    {% personal case "reporter_phone" %}            masked, with 显示 for roles that may see it
    {% personal unit "contact_phone" default="—" %}  what to print when the viewer gets nothing

The tag prints the masked value (or the app's neutral stand-in, or `default`) and, for a role
the policy lets see the full value, a small 显示 button that asks `core:personal_reveal` by
HTMX (no inline script: the CSP forbids it) and puts the full value in its place. Templates
never print a declared personal field themselves.
"""

from django import template
from django.template.loader import render_to_string

from .. import personal as policy

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, obj, field: str, default: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None:
        return default
    shown = policy.shown(user, obj, field)
    return render_to_string(
        "core/_personal.html",
        {
            "shown": shown,
            "default": default,
            "model": obj._meta.label_lower,
            "pk": obj.pk,
            "field": field,
            "part": policy.field_for(obj._meta.label_lower, field).part,
        },
    )
