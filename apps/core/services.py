"""Write helpers shared by every domain's services."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import personal
from .audit import audit_record, diff, snapshot
from .audit_guard import audit_maintenance
from .exceptions import ConcurrentEdit, DomainError
from .models import AuditEvent, TrackedModel

AUDIT_RETENTION_FLOOR_DAYS = 180  # 等保 2.0 / 网络安全法 第二十一条: logs kept at least six months


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


def audit_retention_days() -> int:
    """How long audit events are kept at least: the setting, never under the 180-day floor."""
    return max(AUDIT_RETENTION_FLOOR_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", AUDIT_RETENTION_FLOOR_DAYS)))


def audit_purge(*, before: date, actor=None) -> int:
    """Delete the audit events that occurred before the local date `before`; returns how many.

    Refuses a date inside the retention period (`audit_retention_days()` back from today). The
    deletion runs inside the audit maintenance switch (the table's trigger refuses it otherwise)
    and the purge records itself: one `core.auditevent.purged` event with the cut-off and the
    count, which is never purged by the same run.
    """
    days = audit_retention_days()
    latest_allowed = timezone.localdate() - timedelta(days=days)
    if before > latest_allowed:
        raise DomainError(
            _("审计记录至少保留{days}天：只能清理{date}之前的记录。").format(days=days, date=latest_allowed.isoformat())
        )
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    with audit_maintenance():
        doomed = AuditEvent.objects.filter(occurred_at__lt=cutoff)
        paths = doomed.values_list("jurisdiction_path", flat=True).distinct()
        roots = {path.split("/")[0] + "/" for path in paths if path}
        count, _by_model = doomed.delete()
        AuditEvent.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else "system",
            action="core.auditevent.purged",
            content_type=ContentType.objects.get_for_model(AuditEvent),
            object_id="-",
            object_repr=str(_("{date}之前的审计记录")).format(date=before.isoformat())[:255],
            # Shown to whoever sees the whole deployment (one city: its root jurisdiction).
            jurisdiction_path=roots.pop() if len(roots) == 1 else "",
            data={"purged_before": before.isoformat(), "deleted": count, "retention_days": days},
        )
    return count
