"""The case ledger (.xlsx), with the case list's filters."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import case_list


def case_rows(user, filters):
    return case_list(user=user, filters=filters)


def case_columns():
    """The ledger's columns. No reporter (name, phone, account): the ledger is the same for
    everyone who may list cases, the unit contacts included (apps/cases/privacy.py)."""

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        (_("案件编号"), lambda c: c.code),
        (_("来源"), lambda c: c.get_source_display()),
        (_("问题类别"), lambda c: str(c.category)),
        (_("所在辖区"), lambda c: c.jurisdiction.name),
        (_("地点"), lambda c: c.address),
        (_("问题描述"), lambda c: c.description),
        (_("状态"), lambda c: c.get_status_display()),
        (_("责任单位"), lambda c: str(c.assignee) if c.assignee else ""),
        (_("上报时间"), lambda c: when(c.created_at)),
        (_("处置时限"), lambda c: when(c.deadline_at)),
        (_("结案时间"), lambda c: when(c.closed_at)),
        (_("返工次数"), lambda c: c.rework_count),
        (_("重复发生"), lambda c: _("是") if c.is_recurrence else ""),
    ]
