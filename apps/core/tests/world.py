"""Core's part of the access-matrix world: an audit event to open."""

from apps.core.models import AuditEvent


def extend(o) -> None:
    o.audit_event = AuditEvent.objects.filter(object_id=str(o.unit_a1.pk), action="organization.unit.created").get()
