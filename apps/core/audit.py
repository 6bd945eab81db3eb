"""Writing audit events. Called by services only, inside their transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .models import AuditEvent
from .registry import registry


def _plain(value):
    """A JSON-safe form of a field value, readable in the audit trail."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """Field values of `obj` for a before/after comparison (FKs as their text)."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            related = getattr(obj, name)
            result[name] = str(related) if related is not None else None
        elif field.choices:
            result[name] = str(getattr(obj, f"get_{name}_display")())
        else:
            result[name] = _plain(getattr(obj, name))
    return result


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as {field: [before, after]}."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_record(*, actor, obj: models.Model, action: str, data: dict | None = None) -> AuditEvent:
    """Append one audit event for `obj`; scope fields come from the object's `audit_scope()`.

    An unsaved `obj` stands for something that has no row (a sign-in under an unknown account
    name, a client address): the event gets an empty object id and `str(obj)` as its text.
    """
    if settings.CHUANGWEI_REQUIRE_AUDIT_LABELS and registry.audit_label(action) is None:
        raise ImproperlyConfigured(f"audit action {action!r} has no label: add it to the app's entries.py")
    scope = obj.audit_scope() if hasattr(obj, "audit_scope") else {}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk) if obj.pk is not None else "",
        object_repr=str(obj)[:255],
        jurisdiction_path=scope.get("jurisdiction_path", ""),
        unit_id=scope.get("unit_id"),
        data=data or {},
    )
