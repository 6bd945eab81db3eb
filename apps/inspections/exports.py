"""The inspection-sheet ledger (.xlsx), with the sheet list's filters."""

from django.utils.translation import gettext as _

from .selectors import inspection_list


def inspection_rows(user, filters):
    return inspection_list(user=user, filters=filters)


def inspection_columns():
    return [
        (_("检查对象"), lambda i: i.target_label),
        (_("所在辖区"), lambda i: i.target_jurisdiction.name),
        (_("检查表"), lambda i: str(i.checklist)),
        (_("检查轮次"), lambda i: str(i.round) if i.round_id else ""),
        (_("检查人"), lambda i: i.inspector.display_name if i.inspector_id else ""),
        (_("状态"), lambda i: i.get_status_display()),
        (_("检查日期"), lambda i: i.inspected_on.isoformat() if i.inspected_on else ""),
        (_("得分"), lambda i: float(i.total) if i.total is not None else ""),
        (_("满分"), lambda i: float(i.max_total)),
        (_("百分制得分"), lambda i: float(i.percent) if i.percent is not None else ""),
        (_("原始得分"), lambda i: float(i.original_total) if i.original_total is not None else ""),
        (_("一票否决"), lambda i: _("是") if i.vetoed else ""),
    ]
