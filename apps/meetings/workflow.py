"""Lifecycles as data on the core engine (apps/core/workflow.py).

A meeting: 计划召开 → 已召开 (the record is written: 召开) → 已归档; 计划召开 → 已取消. A
stand-alone follow-up of a decision (no campaign): 落实中 → 已落实 / 已取消. Nothing else
assigns either status; the pages' buttons and the services read these tables.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import DESK_ROLES, Role
from apps.core.workflow import Workflow, transition

from .choices import DecisionStatus as D
from .choices import MeetingStatus as S
from .models import Decision, Meeting

DESK = DESK_ROLES


def manages(meeting, user) -> bool:
    """Desk roles whose subtree holds the meeting (an invited street cadre at a district meeting
    only reads it), or the meeting's recorder."""
    if user is None:
        return False
    if meeting.recorder_id and meeting.recorder_id == user.pk:
        return True
    if user.role not in DESK:
        return False
    if user.role == Role.ADMIN:
        return True
    own = getattr(user, "jurisdiction", None)
    return bool(own and meeting.jurisdiction.path.startswith(own.path))


NOT_MANAGER = _("只有会议所属辖区的管理人员或记录人可以办理。")

MEETING_WORKFLOW = Workflow(
    model=Meeting,
    audit_prefix="meetings.meeting",
    lock_related=("jurisdiction",),
    invalid_message=_("会议当前为“{status}”，不能{action}。"),
    finished={S.CLOSED: _("已归档"), S.CANCELLED: _("已取消")},
    transitions=[
        transition(
            "hold",
            [S.PLANNED],
            S.HELD,
            _("记录召开"),
            roles=DESK,
            allowed=manages,
            denied=NOT_MANAGER,
            style="primary",
        ),
        transition(
            "close",
            [S.HELD],
            S.CLOSED,
            _("归档"),
            roles=DESK,
            allowed=manages,
            denied=NOT_MANAGER,
            confirm=_("归档后会议记录不能再修改，确定归档吗？"),
        ),
        transition(
            "cancel",
            [S.PLANNED],
            S.CANCELLED,
            _("取消会议"),
            roles=DESK,
            allowed=manages,
            denied=NOT_MANAGER,
            confirm=_("取消后会议不再召开，确定取消吗？"),
        ),
    ],
)


def answers_for(decision, user) -> bool:
    """A follow-up is reported done by its owner (person or unit contact) or the meeting's managers."""
    if decision.owner_user_id and decision.owner_user_id == user.pk:
        return True
    if user.role == Role.UNIT_CONTACT:
        return bool(decision.owner_unit_id and decision.owner_unit_id == user.unit_id)
    return manages(decision.meeting, user)


def untracked(decision, user) -> bool:
    return decision.task_id is None and answers_for(decision, user)


FOLLOW_UP_ROLES = DESK | {Role.GRID, Role.UNIT_CONTACT, Role.INSPECTOR, Role.LEADER}

DECISION_WORKFLOW = Workflow(
    model=Decision,
    audit_prefix="meetings.decision",
    lock_related=("meeting__jurisdiction",),
    invalid_message=_("议定事项当前为“{status}”，不能{action}。"),
    finished={D.DONE: _("已落实"), D.CANCELLED: _("已取消")},
    transitions=[
        transition(
            "complete",
            [D.OPEN],
            D.DONE,
            _("已落实"),
            roles=FOLLOW_UP_ROLES,
            allowed=untracked,
            denied=_("只有责任人、责任单位或会议管理人员可以反馈落实情况；关联创卫任务的事项在任务中办理。"),
            style="primary",
        ),
        transition(
            "cancel",
            [D.OPEN],
            D.CANCELLED,
            _("取消事项"),
            roles=DESK,
            allowed=lambda d, u: d.task_id is None and manages(d.meeting, u),
            denied=NOT_MANAGER,
            confirm=_("取消后该事项不再跟踪，确定取消吗？"),
        ),
    ],
)
