"""Scoping every domain query by the user's role and jurisdiction (NetBox's `restrict`).

A model opts in by using `RestrictedQuerySet` and implementing `scope_q(user)`,
the filter that keeps only rows inside the user's jurisdiction subtree (or unit).
Rows outside it are indistinguishable from missing rows: views answer 404.
"""

from django.db import models
from django.db.models import Q

from .roles import Role, role_allows


def user_scope_path(user) -> str | None:
    """The materialised path of the user's jurisdiction, or None when not bound."""
    jurisdiction = getattr(user, "jurisdiction", None)
    return jurisdiction.path if jurisdiction is not None else None


def jurisdiction_scope_q(user, field: str, unit_field: str | None = None) -> Q:
    """Rows whose jurisdiction (via `field`, a path to Jurisdiction) lies in the user's subtree.

    Unit contacts are bound to a unit, not a territory: they see rows of their unit
    through `unit_field`, and nothing when the model has no unit relation.
    """
    if user.role == Role.UNIT_CONTACT:
        if unit_field is None or not user.unit_id:
            return Q(pk__in=[])
        return Q(**{unit_field: user.unit_id})
    path = user_scope_path(user)
    if not path:
        return Q(pk__in=[])
    prefix = f"{field}__path__within" if field else "path__within"
    return Q(**{prefix: path})


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Only the rows `user` may perform `action` on; empty for anonymous users."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not role_allows(user.role, self.model._meta.label_lower, action):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        return self.filter(self.model.scope_q(user))
