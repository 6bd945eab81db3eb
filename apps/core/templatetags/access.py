"""Template filters that show a link only to whom it opens for (no dead ends).

    {% load access %}
    {% if user|can:"inspections.inspectionplan" %}<a href="…">…</a>{% endif %}
    {% if user|can:"cases.case:add" %}…{% endif %}
    {% if inspection.round|visible_to:user %}<a href="{{ inspection.round.get_absolute_url }}">…{% endif %}

`can` asks the permission table (the role may do the action on the model); `visible_to`
also asks the scope, as the page behind the link will (one query).
"""

from django import template

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """`user|can:"app.model"` (view) or `user|can:"app.model:action"`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    model_label, _sep, action = permission.partition(":")
    return user.can(model_label, action or "view")


@register.filter
def visible_to(obj, user) -> bool:
    """Whether `user` may open `obj`'s page: the role's permission and the object's scope."""
    if obj is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    model = type(obj)
    if not user.can(model._meta.label_lower, "view"):
        return False
    return model.objects.restrict(user, "view").filter(pk=obj.pk).exists()
