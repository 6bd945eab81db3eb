"""The lifecycles of campaigns and their tasks as data, on the core engine (apps/core/workflow.py).

A campaign: 筹备中 (planning: phases, groups and the task table are drawn up) → 创建中 (running)
→ 已结束 (concluded, after 考核验收); a concluded campaign can be taken up again. Only those who
manage the campaign (its jurisdiction lies in their own subtree: `Campaign.manage_q`) move it;
a community sees its district's campaign but does not start or end it.

A task: 未开始 → 进行中 → 已完成, or 已取消; a finished task can be reopened. Who may do what:
- work on it (start, complete): the managers of its area (admin, office, street or community staff
  whose subtree holds the task's area), its assignee, and the contact of its responsible unit;
- cancel and reopen: the managers of its area only (they own the breakdown, workers do not drop
  their own tasks);
- leaders and inspectors read only (their role is not in the table: 403).
Completing needs a 完成情况 note and sets progress 100 and completed_at (services/tasks.py).

A mock assessment (模拟考核): 评分中 → 已完成 (submit freezes the projected score; services/mock.py);
assessors are the admin, the office, streets and inspectors.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.core.workflow import Workflow, transition

from .choices import CampaignStatus, MockStatus, TaskStatus
from .models import Campaign, MockAssessment, Task

MANAGER_ROLES = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY}
WORKER_ROLES = {*MANAGER_ROLES, Role.GRID, Role.UNIT_CONTACT}
OPEN_TASK = {TaskStatus.OPEN, TaskStatus.IN_PROGRESS}


def manages_campaign(campaign, user) -> bool:
    """The campaign's jurisdiction lies in the user's own subtree."""
    return Campaign.objects.filter(Campaign.manage_q(user), pk=campaign.pk).exists()


def manages_area(task, user) -> bool:
    """A manager role whose own subtree holds the task's area."""
    if user.role == Role.ADMIN:
        return True
    if user.role not in MANAGER_ROLES or user.jurisdiction_id is None:
        return False
    return task.jurisdiction.path.startswith(user.jurisdiction.path)


def given_to(task, user) -> bool:
    """The task's assignee, or the contact of its unit."""
    if task.assignee_id is not None and task.assignee_id == user.pk:
        return True
    return user.role == Role.UNIT_CONTACT and task.unit_id is not None and task.unit_id == user.unit_id


def mine_q(user) -> Q:
    """ "My tasks" (the home widget and the list's 我的任务 filter): those I am the assignee of,
    and for a unit contact the unit's tasks not yet given to a person."""
    q = Q(assignee_id=user.pk)
    if user.role == Role.UNIT_CONTACT and user.unit_id:
        q |= Q(unit_id=user.unit_id, assignee__isnull=True)
    return q


def works_on(task, user) -> bool:
    """Whoever the task is given to, or a manager of its area."""
    return given_to(task, user) or manages_area(task, user)


NOT_MANAGER = _("只有该项目所在辖区的管理人员可以执行此操作。")
NOT_WORKER = _("只有任务责任人、责任单位联系人或该区域的管理人员可以执行此操作。")
NOT_AREA_MANAGER = _("只有该任务所在区域的管理人员可以执行此操作。")

CAMPAIGN_WORKFLOW = Workflow(
    model=Campaign,
    audit_prefix="campaigns.campaign",
    lock_related=("jurisdiction",),
    invalid_message=_("创建项目当前为“{status}”，不能{action}。"),
    finished={CampaignStatus.CONCLUDED: None},
    transitions=[
        transition(
            "start",
            [CampaignStatus.PLANNING],
            CampaignStatus.ACTIVE,
            _("启动创建"),
            roles=MANAGER_ROLES,
            allowed=manages_campaign,
            denied=NOT_MANAGER,
            style="primary",
            audit_action="campaigns.campaign.started",
        ),
        transition(
            "conclude",
            [CampaignStatus.ACTIVE],
            CampaignStatus.CONCLUDED,
            _("结束项目"),
            roles=MANAGER_ROLES,
            allowed=manages_campaign,
            denied=NOT_MANAGER,
            confirm=_("结束后任务不再提醒和督办，确定结束该创建项目吗？"),
            audit_action="campaigns.campaign.concluded",
        ),
        transition(
            "resume",
            [CampaignStatus.CONCLUDED],
            CampaignStatus.ACTIVE,
            _("恢复创建"),
            roles=MANAGER_ROLES,
            allowed=manages_campaign,
            denied=NOT_MANAGER,
            audit_action="campaigns.campaign.resumed",
        ),
    ],
)

TASK_WORKFLOW = Workflow(
    model=Task,
    audit_prefix="campaigns.task",
    lock_related=("jurisdiction", "campaign"),
    invalid_message=_("任务当前为“{status}”，不能{action}。"),
    finished={TaskStatus.DONE: None, TaskStatus.CANCELLED: None},
    transitions=[
        transition(
            "start",
            [TaskStatus.OPEN],
            TaskStatus.IN_PROGRESS,
            _("开始办理"),
            roles=WORKER_ROLES,
            allowed=works_on,
            denied=NOT_WORKER,
            style="primary",
            audit_action="campaigns.task.started",
        ),
        transition(
            "complete",
            OPEN_TASK,
            TaskStatus.DONE,
            _("完成任务"),
            roles=WORKER_ROLES,
            allowed=works_on,
            denied=NOT_WORKER,
            style="primary",
            audit_action="campaigns.task.completed",
        ),
        transition(
            "cancel",
            OPEN_TASK,
            TaskStatus.CANCELLED,
            _("取消任务"),
            roles=MANAGER_ROLES,
            allowed=manages_area,
            denied=NOT_AREA_MANAGER,
            confirm=_("确定取消该任务吗？"),
            audit_action="campaigns.task.cancelled",
        ),
        transition(
            "reopen",
            [TaskStatus.DONE, TaskStatus.CANCELLED],
            TaskStatus.IN_PROGRESS,
            _("重新打开"),
            roles=MANAGER_ROLES,
            allowed=manages_area,
            denied=NOT_AREA_MANAGER,
            audit_action="campaigns.task.reopened",
        ),
    ],
)

ASSESSORS = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.INSPECTOR}

MOCK_WORKFLOW = Workflow(
    model=MockAssessment,
    audit_prefix="campaigns.mockassessment",
    finished={MockStatus.SUBMITTED: None},
    invalid_message=_("模拟考核当前为“{status}”，不能{action}。"),
    transitions=[
        transition(
            "submit",
            [MockStatus.DRAFT],
            MockStatus.SUBMITTED,
            _("完成考核"),
            roles=ASSESSORS,
            style="primary",
            confirm=_("完成后评分不能再修改，确定完成吗？"),
            audit_action="campaigns.mockassessment.submitted",
        ),
    ],
)

# Steps whose form asks for a note, and whether it is required.
NOTE_REQUIRED = {"complete"}
