"""The lifecycles of inspections as data, on the core engine (apps/core/workflow.py).

A score sheet: 待检查 (planned, drawn for a round) → 检查中 (the inspector opened it or saved
a first item) → 已提交 (frozen; later changes are corrections or appeal decisions, which
change scores, not the status). An ad-hoc sheet is created planned and started at once.
An appeal: 待复核 → 维持扣分 (upheld) or 撤销扣分 (overturned), by a reviewer who did not
score the sheet. The services perform these steps and nothing else assigns `status`; the
pages ask `available()` which buttons to show, with the same predicates.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.core.workflow import Workflow, transition

from .choices import AppealStatus, InspectionStatus
from .models import Appeal, Inspection

REVIEWERS = {Role.ADMIN, Role.OFFICE, Role.STREET}
INSPECTORS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.INSPECTOR}

OWN_WORK = _("检查人员不能检查本人所在的单位或本社区。")
TAKEN = _("该检查已分配给其他检查人员。")


def judges_own_work(user, unit, place=None) -> bool:
    """Whether `user` would be judging their own work, which they may not score.

    A unit's contact or staff may not inspect that unit; community staff may not score their
    own community or a 小区 in it (those places are ranked against other communities').
    """
    if unit is not None:
        if user.unit_id == unit.pk:
            return True
        staff = getattr(user, "staff_record", None)
        return bool(staff and staff.unit_id == unit.pk)
    own = user.jurisdiction.path if user.role == Role.COMMUNITY and user.jurisdiction_id else None
    return bool(place is not None and own and place.path.startswith(own))


def may_fill(sheet, user) -> bool:
    """The sheet's inspector (anyone entitled, while none is assigned), never for their own work."""
    return sheet.inspector_id in (None, user.pk) and not judges_own_work(
        user, sheet.target_unit, sheet.target_jurisdiction
    )


def why_not_fill(sheet, user) -> str:
    return TAKEN if sheet.inspector_id not in (None, user.pk) else OWN_WORK


SHEET_WORKFLOW = Workflow(
    model=Inspection,
    audit_prefix="inspections.inspection",
    lock_related=("target_unit", "target_jurisdiction", "checklist"),
    invalid_message=_("检查当前为“{status}”，不能{action}。"),
    finished={InspectionStatus.SUBMITTED: None},
    transitions=[
        transition(
            "start",
            [InspectionStatus.PLANNED],
            InspectionStatus.IN_PROGRESS,
            _("开始检查"),
            roles=INSPECTORS,
            allowed=may_fill,
            denied=why_not_fill,
            style="primary",
            audit_action="inspections.inspection.started",
        ),
        transition(
            "submit",
            [InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS],
            InspectionStatus.SUBMITTED,
            _("提交检查结果"),
            roles=INSPECTORS,
            allowed=may_fill,
            denied=why_not_fill,
            style="primary",
            confirm=_("提交后不能再修改，确定提交吗？"),
            audit_action="inspections.inspection.submitted",
        ),
    ],
)


def not_own_sheet(appeal, user) -> bool:
    """A reviewer may not decide an appeal against their own scoring."""
    return appeal.inspection.inspector_id != user.pk


APPEAL_WORKFLOW = Workflow(
    model=Appeal,
    audit_prefix="inspections.appeal",
    lock_related=("result__item", "inspection"),
    invalid_message=_("该申诉已复核。"),
    finished={AppealStatus.UPHELD: None, AppealStatus.OVERTURNED: None},
    transitions=[
        transition(
            "overturn",
            [AppealStatus.PENDING],
            AppealStatus.OVERTURNED,
            _("撤销扣分"),
            roles=REVIEWERS,
            role_denied=_("只有创卫办或街道可以复核申诉。"),
            allowed=not_own_sheet,
            denied=_("检查人不能复核针对本人检查的申诉。"),
            confirm=_("复核结论提交后不能更改，确定撤销扣分吗？"),
            audit_action="inspections.appeal.overturned",
        ),
        transition(
            "uphold",
            [AppealStatus.PENDING],
            AppealStatus.UPHELD,
            _("维持扣分"),
            roles=REVIEWERS,
            role_denied=_("只有创卫办或街道可以复核申诉。"),
            allowed=not_own_sheet,
            denied=_("检查人不能复核针对本人检查的申诉。"),
            confirm=_("复核结论提交后不能更改，确定维持扣分吗？"),
            audit_action="inspections.appeal.upheld",
        ),
    ],
)
