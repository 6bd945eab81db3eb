"""The lifecycle of a submission (报送) as data on the core engine (apps/core/workflow.py).

未报 is the absence of a row: the first 报送 creates it (submissions.submit). Then
已报 → 已采纳 (accept) or 已报 → 退回 (return, with a reason; the report goes back to draft),
and 退回 → 已报 again (resubmit: the same row, the report finalized again). The receiver's desk
staff decide; the sender's desk staff submit. Nothing else assigns the status; the pages'
buttons and the services read this table.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.roles import DESK_ROLES
from apps.core.workflow import Workflow, transition

from .choices import SubmissionStatus as S
from .models import Submission


def own_jurisdiction(user, jurisdiction_id) -> bool:
    return user is not None and user.jurisdiction_id is not None and user.jurisdiction_id == jurisdiction_id


def receives(submission, user) -> bool:
    """The receiver's own desk staff (not a level above it, which only reads)."""
    return own_jurisdiction(user, submission.receiver_id)


def sends(submission, user) -> bool:
    return own_jurisdiction(user, submission.sender_id)


NOT_RECEIVER = _("只有接收辖区的工作人员可以处理报送。")
NOT_SENDER = _("只有报送辖区的工作人员可以报送。")

SUBMISSION_WORKFLOW = Workflow(
    model=Submission,
    audit_prefix="reports.submission",
    lock_related=("sender", "receiver", "report"),
    invalid_message=_("报送当前为“{status}”，不能{action}。"),
    finished={S.ACCEPTED: _("已采纳")},
    transitions=[
        transition(
            "accept",
            [S.SUBMITTED],
            S.ACCEPTED,
            _("采纳"),
            roles=DESK_ROLES,
            allowed=receives,
            denied=NOT_RECEIVER,
            style="primary",
        ),
        transition(
            "return",
            [S.SUBMITTED],
            S.RETURNED,
            _("退回修改"),
            roles=DESK_ROLES,
            allowed=receives,
            denied=NOT_RECEIVER,
        ),
        transition(
            "resubmit",
            [S.RETURNED],
            S.SUBMITTED,
            _("重新报送"),
            roles=DESK_ROLES,
            allowed=sends,
            denied=NOT_SENDER,
            style="primary",
        ),
    ],
)
