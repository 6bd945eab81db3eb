"""Write helpers shared by every domain's services."""

from django.db import models, transaction
from django.utils import translation

from . import personal
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


@transaction.atomic
def personal_reveal(*, actor, obj: models.Model, field: str) -> str:
    """显示: the full value of a person's name or phone (`obj.<field>`), recorded in the audit log.

    The caller found `obj` through the field's scoped queryset (404 outside the scope); here
    the personal-data policy is asked for this object's person (apps/core/personal.py): a role
    the policy gives less than `reveal`, or the app's own rule withholding it (a case's reporter
    from the unit), raises `RevealRefused` (403). Audits `personal.reveal` with which field
    and which kind of person, as Chinese labels (catalogue keys: they read in either language);
    never the value itself.
    """
    declared, grant = personal.viewer_level(actor, obj, field)
    if grant is None or grant < personal.Level.REVEAL:
        raise personal.RevealRefused
    with translation.override("zh-hans"):
        data = {
            "personal_field": declared.label,
            "person_kind": str(personal.PersonKind(declared.kind_of(obj)).label),
        }
    audit_record(actor=actor, obj=obj, action=personal.REVEAL_ACTION, data=data)
    return getattr(obj, field) or ""
