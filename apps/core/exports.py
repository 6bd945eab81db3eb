"""The audit log as a ledger (.xlsx)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import audit_event_list


def audit_rows(user, filters):
    return audit_event_list(user=user, filters=filters)


def audit_columns():
    return [
        (_("时间"), lambda e: timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
        (_("操作人"), lambda e: e.actor_display),
        (_("动作"), lambda e: e.action_label),
        (_("对象"), lambda e: e.object_repr),
        (_("变更内容"), lambda e: e.summary()),
    ]
