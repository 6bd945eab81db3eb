"""The activity lifecycle as data: 计划中 → 已开展 (the date has come; outputs recorded);
计划中/已开展 → 已取消 (with a reason; nothing is deleted). Only `ACTIVITY_WORKFLOW.perform`
assigns `status`; the detail page's buttons and the step view read the same table."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.roles import DESK_ROLES, Role
from apps.core.workflow import Workflow, transition

from .choices import ActivityStatus as S
from .models import Activity

DESK = DESK_ROLES
RECORDERS = DESK | {Role.GRID}


def owns(activity, user) -> bool:
    """Whether `user` may change `activity`: its owner jurisdiction lies in the user's subtree (a
    community sees a street drive that covered it, but the street's record stays the street's);
    a grid worker only the records they entered."""
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.GRID:
        return activity.created_by_id == user.pk
    own = user.jurisdiction
    return bool(own and activity.jurisdiction.path.startswith(own.path))


def date_has_come(activity, user) -> bool:
    return owns(activity, user) and activity.held_on <= timezone.localdate()


NOT_YOURS = _("该活动由其他层级登记，只能由登记的辖区修改。")

ACTIVITY_WORKFLOW = Workflow(
    model=Activity,
    audit_prefix="activities.activity",
    lock_related=("jurisdiction",),
    invalid_message=_("活动当前为“{status}”，不能{action}。"),
    finished={S.HELD: _("已开展"), S.CANCELLED: _("已取消")},
    transitions=[
        transition(
            "hold",
            [S.PLANNED],
            S.HELD,
            _("登记为已开展"),
            roles=RECORDERS,
            allowed=date_has_come,
            denied=lambda a, u: NOT_YOURS if not owns(a, u) else _("活动日期未到，不能登记为已开展。"),
            style="primary",
        ),
        transition(
            "cancel",
            [S.PLANNED, S.HELD],
            S.CANCELLED,
            _("取消活动"),
            roles=DESK,
            allowed=owns,
            denied=NOT_YOURS,
            confirm=_("取消后该活动不再计入统计，确定取消吗？"),
        ),
    ],
)

# Steps whose form asks for a reason.
REASON_REQUIRED = {"cancel"}
