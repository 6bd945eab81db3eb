from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .filters import AuditEventFilterSet
from .models import AuditEvent
from .registry import registry


def audit_event_list(*, user, filters=None) -> QuerySet[AuditEvent]:
    """Audit events the user may see, searchable by text, action, actor and date range (AuditEventFilterSet)."""
    qs = AuditEvent.objects.restrict(user, "view").select_related("content_type")
    return AuditEventFilterSet.apply(qs, filters, user=user).order_by("-occurred_at", "-id")


def audit_events_for(*, user, obj) -> QuerySet[AuditEvent]:
    """The audit trail of one object, empty when the user may not read the audit log."""
    content_type = ContentType.objects.get_for_model(obj)
    return (
        AuditEvent.objects.restrict(user, "view")
        .filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("content_type")
    )


def audit_action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The labelled audit actions, grouped by app, for the audit log's action filter."""
    from django.apps import apps

    groups = []
    for label, app in registry.apps.items():
        if app.audit_labels:
            choices = sorted(((code, str(text)) for code, text in app.audit_labels.items()), key=lambda c: c[1])
            groups.append((str(apps.get_app_config(label).verbose_name), choices))
    return groups
