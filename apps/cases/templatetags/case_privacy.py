"""The reporter rule (apps/cases/privacy.py) for templates: `{% load case_privacy %}`, then
`{{ case|reporter_for:request.user }}`, `{{ case|reporter_phone_for:request.user }}` and
`{{ event|actor_for:request.user }}`, so no template reads `reporter_name` or `actor_name` itself.
Where the reporter's name or phone is printed with its 显示, use core's `{% personal case "reporter_phone" %}`."""

from django import template

from .. import privacy

register = template.Library()


@register.filter
def reporter_for(case, viewer) -> str:
    return privacy.reporter_display(case, viewer)


@register.filter
def reporter_phone_for(case, viewer) -> str:
    return privacy.reporter_phone_display(case, viewer)


@register.filter
def actor_for(event, viewer) -> str:
    return privacy.event_actor_display(event, viewer)
