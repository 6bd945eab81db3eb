"""Guards used by services: role permission and jurisdiction scope, checked in one place."""

from django.db import models

from .exceptions import OutsideJurisdiction, PermissionDeniedForRole


def ensure_role_allows(actor, model: type[models.Model], action: str) -> None:
    """Raise unless `actor`'s role may `action` on `model`. `actor=None` is the system."""
    if actor is None:
        return
    if not actor.can(model._meta.label_lower, action):
        raise PermissionDeniedForRole()


def ensure_in_scope(actor, obj: models.Model, action: str = "change") -> None:
    """Raise unless `obj` is inside the rows `actor` may `action` (same rule as the views)."""
    if actor is None:
        return
    ensure_role_allows(actor, type(obj), action)
    if not type(obj).objects.restrict(actor, action).filter(pk=obj.pk).exists():
        raise OutsideJurisdiction()


def ensure_jurisdiction_in_scope(actor, jurisdiction) -> None:
    """Raise unless `jurisdiction` lies in `actor`'s subtree (admins everywhere)."""
    if actor is None or actor.role == "admin":
        return
    own = actor.jurisdiction
    if own is None or jurisdiction is None or not jurisdiction.path.startswith(own.path):
        raise OutsideJurisdiction()
