"""The questionnaire lifecycle as data: 草稿 → 调查中 (opening freezes the current version: later
edits make the next one) → 已结束 (closing freezes the results and refuses late answers; a
closed survey is not reopened — the next round is a copy). Only `QUESTIONNAIRE_WORKFLOW.perform`
assigns `status`; the page's buttons, the step view and the API read the same table."""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import DESK_ROLES, Role
from apps.core.workflow import Workflow, transition

from .choices import SurveyStatus as S
from .models import Questionnaire


def owns(questionnaire, user) -> bool:
    """The owner jurisdiction lies in the user's subtree (a street sees and runs its
    communities' surveys; a community does not run the street's)."""
    if user.role == Role.ADMIN:
        return True
    own = user.jurisdiction
    return bool(own and questionnaire.jurisdiction.path.startswith(own.path))


NOT_YOURS = _("该问卷由其他层级创建，只能由创建的辖区管理。")

QUESTIONNAIRE_WORKFLOW = Workflow(
    model=Questionnaire,
    audit_prefix="surveys.questionnaire",
    lock_related=("jurisdiction",),
    invalid_message=_("问卷当前为“{status}”，不能{action}。"),
    finished={S.CLOSED: _("已结束")},
    transitions=[
        transition(
            "open",
            [S.DRAFT],
            S.OPEN,
            _("开始调查"),
            roles=DESK_ROLES,
            allowed=owns,
            denied=NOT_YOURS,
            style="primary",
            confirm=_("开始后题目将冻结，修改题目会生成新版本。确定开始调查吗？"),
        ),
        transition(
            "close",
            [S.OPEN],
            S.CLOSED,
            _("结束调查"),
            roles=DESK_ROLES,
            allowed=owns,
            denied=NOT_YOURS,
            confirm=_("结束后不再接收答卷，结果将冻结。确定结束调查吗？"),
        ),
    ],
)
