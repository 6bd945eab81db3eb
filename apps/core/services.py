"""Write helpers shared by every domain's services."""

from django.db import models

from .audit import audit_record, diff, snapshot
from .exceptions import ConcurrentEdit
from .models import TrackedModel


def tracked_create(*, obj: models.Model, actor, action: str, fields: list[str]) -> models.Model:
    """Validate and insert `obj`, then audit its initial values. Call inside a transaction."""
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, obj=obj, action=action, data={"after": snapshot(obj, fields)})
    return obj


def tracked_update(
    *, obj: models.Model, actor, changes: dict, expected_version: int | None, action: str
) -> models.Model:
    """Apply `changes` to `obj` under a row lock, refusing a stale `expected_version`.

    Locks the row (select_for_update), compares versions (for models that carry one),
    validates, saves only the changed fields, and records the before/after values.
    Call inside a transaction. Returns the fresh, locked instance.
    """
    locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    versioned = isinstance(locked, TrackedModel)
    if versioned and expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    fields = list(changes)
    before = snapshot(locked, fields)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    after = snapshot(locked, fields)
    changed = diff(before, after)
    if not changed:
        return locked
    update_fields = [f for f in fields if f in changed]
    if versioned:
        locked.version += 1
        update_fields += ["version", "updated_at"]
    locked.save(update_fields=update_fields)
    audit_record(actor=actor, obj=locked, action=action, data={"changes": changed})
    return locked
