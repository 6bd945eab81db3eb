from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from .models import AuditEvent
from .registry import registry


def audit_event_list(*, user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """Audit events the user may see, searchable by text, action, actor and date range."""
    filters = filters or {}
    qs = AuditEvent.objects.restrict(user, "view").select_related("content_type")
    if filters.get("q"):
        text = filters["q"].strip()
        # People search by what they read ("派遣"), so the text also matches the actions' labels.
        labelled = [code for code, label in registry.audit_labels().items() if text.lower() in str(label).lower()]
        qs = qs.filter(
            Q(object_repr__icontains=text)
            | Q(actor_name__icontains=text)
            | Q(action__icontains=text)
            | Q(action__in=labelled)
        )
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    start, end = parse_date(filters.get("start") or ""), parse_date(filters.get("end") or "")
    if start:
        qs = qs.filter(occurred_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        qs = qs.filter(occurred_at__lte=timezone.make_aware(datetime.combine(end, time.max)))
    return qs.order_by("-occurred_at", "-id")


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
