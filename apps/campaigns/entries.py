"""What `campaigns` contributes: permission rows, menu, audit labels, exports, home widgets, the
demo, URL mounts, API routes and the access-matrix rows of its pages (one list per concept)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import EDIT, READ, Role

from . import exports as _task_exports
from . import figures as _figures
from . import reporting as _reporting
from .widgets import ledger as ledger_widgets
from .widgets import tasks as _task_widgets

# Who runs a campaign: the office and streets over their area, a community over its own; grid
# workers and unit contacts work on the tasks given to them; inspectors and leaders read.
MANAGERS = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT, Role.COMMUNITY: EDIT}
READERS = {Role.INSPECTOR: READ, Role.LEADER: READ}
WORKERS = {Role.GRID: frozenset({"view", "change"}), Role.UNIT_CONTACT: frozenset({"view", "change"})}
CONTRIBUTORS = {Role.GRID: frozenset({"view", "add"}), Role.UNIT_CONTACT: frozenset({"view", "add"})}

POLICY = {
    "campaigns.campaign": {**MANAGERS, **READERS, Role.GRID: READ, Role.UNIT_CONTACT: READ},
    "campaigns.task": {**MANAGERS, **READERS, **WORKERS},
    "campaigns.itemassessment": {**MANAGERS, **READERS},
    "campaigns.evidencelink": {**MANAGERS, **READERS, **CONTRIBUTORS},
    "campaigns.evidencedocument": {**MANAGERS, **READERS, **CONTRIBUTORS},
    "campaigns.binderexport": {
        Role.ADMIN: frozenset({"view", "add"}),
        Role.OFFICE: frozenset({"view", "add"}),
        Role.STREET: frozenset({"view", "add"}),
        Role.COMMUNITY: frozenset({"view", "add"}),
        Role.LEADER: READ,
    },
    # Mock assessments are scored by street and office assessors (and inspectors); communities read theirs.
    "campaigns.mockassessment": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: EDIT,
        Role.INSPECTOR: EDIT,
        Role.COMMUNITY: READ,
        Role.LEADER: READ,
    },
}

MENU = [
    MenuEntry("campaigns", _("创建项目"), "campaigns:campaign_list", "campaigns.campaign", order=320),
    MenuEntry("campaign_tasks", _("创卫任务"), "campaigns:task_list", "campaigns.task", order=325),
]

# Audit labels ------------------------------------------------------------------------------

AUDIT_CAMPAIGNS = {
    # campaigns and their phases/groups
    "campaigns.campaign.created": pgettext_lazy("audit action", "新建创建项目"),
    "campaigns.campaign.updated": pgettext_lazy("audit action", "修改创建项目"),
    "campaigns.campaign.started": pgettext_lazy("audit action", "启动创建"),
    "campaigns.campaign.concluded": pgettext_lazy("audit action", "结束创建项目"),
    "campaigns.campaign.resumed": pgettext_lazy("audit action", "恢复创建"),
    "campaigns.campaign.tasks_generated": pgettext_lazy("audit action", "按标准生成任务分解表"),
}

AUDIT_TASKS = {
    # the task breakdown
    "campaigns.task.created": pgettext_lazy("audit action", "新建创卫任务"),
    "campaigns.task.updated": pgettext_lazy("audit action", "修改创卫任务"),
    "campaigns.task.assigned": pgettext_lazy("audit action", "分配创卫任务"),
    "campaigns.task.progress_updated": pgettext_lazy("audit action", "更新任务进度"),
    "campaigns.task.started": pgettext_lazy("audit action", "开始办理任务"),
    "campaigns.task.completed": pgettext_lazy("audit action", "完成任务"),
    "campaigns.task.cancelled": pgettext_lazy("audit action", "取消任务"),
    "campaigns.task.reopened": pgettext_lazy("audit action", "重新打开任务"),
    "campaigns.task.reminded": pgettext_lazy("audit action", "任务到期提醒"),
    "campaigns.task.escalated": pgettext_lazy("audit action", "任务逾期督办"),
}

AUDIT_LEDGER = {
    # the evidence ledger
    "campaigns.evidencerule.created": pgettext_lazy("audit action", "新建资料关联规则"),
    "campaigns.evidencerule.updated": pgettext_lazy("audit action", "修改资料关联规则"),
    "campaigns.evidencerule.synced": pgettext_lazy("audit action", "按规则自动关联了资料"),
    "campaigns.evidencelink.linked": pgettext_lazy("audit action", "关联台账资料"),
    "campaigns.evidencelink.unlinked": pgettext_lazy("audit action", "移出台账资料"),
    "campaigns.evidencedocument.uploaded": pgettext_lazy("audit action", "上传台账资料"),
    "campaigns.evidencedocument.superseded": pgettext_lazy("audit action", "替换台账资料"),
    "campaigns.campaign.ledger_sync_requested": pgettext_lazy("audit action", "要求立即自动关联台账资料"),
}

AUDIT_ASSESSMENT = {
    # the self-assessment and gaps
    "campaigns.itemassessment.created": pgettext_lazy("audit action", "填写了自查结果"),
    "campaigns.itemassessment.changed": pgettext_lazy("audit action", "修改了自查结果"),
    "campaigns.campaign.gap_task_created": pgettext_lazy("audit action", "由自查缺项生成了任务"),
    "campaigns.campaign.gap_case_opened": pgettext_lazy("audit action", "由自查缺项上报了案件"),
}

AUDIT_MOCK = {
    # mock assessments
    "campaigns.mockassessment.created": pgettext_lazy("audit action", "新建了模拟考核"),
    "campaigns.mockassessment.scored": pgettext_lazy("audit action", "填写了模拟考核评分"),
    "campaigns.mockassessment.submitted": pgettext_lazy("audit action", "完成了模拟考核"),
    "campaigns.mockassessment.tasks_created": pgettext_lazy("audit action", "由模拟考核生成了任务"),
}

AUDIT_BINDER = {
    # binder exports
    "campaigns.binder.started": pgettext_lazy("audit action", "发起台账导出"),
    "campaigns.binder.succeeded": pgettext_lazy("audit action", "生成了台账压缩包"),
    "campaigns.binder.failed": pgettext_lazy("audit action", "台账导出失败"),
}

# Labels of keys in audit data that are not model fields, one dict per concept.
AUDIT_FIELDS_CAMPAIGNS = {
    # campaigns and tasks
    "phases": _("工作阶段"),
    "groups": _("项目小组"),
    "generated": _("生成任务数"),
    "recipients": _("通知人数"),
    "rules_removed": _("移除的自动关联规则"),
}

AUDIT_FIELDS_LEDGER = {
    # the evidence ledger and binder
    "added": _("新增资料数"),
    "from": _("生成方式"),
}

AUDIT_FIELDS_ASSESSMENT = {
    # the self-assessment, gaps and mock assessments
    "item": _("小项"),
    "result": _("结果"),
    "score": _("得分"),
    "score_note": _("扣分说明"),
    "task": _("任务"),
    "case": _("案件"),
    "area": _("区域"),
    "tasks": _("生成的任务"),
}

# Home widgets, exports, API, demo ------------------------------------------------------------

WIDGETS_TASKS = [
    # the task breakdown
    Widget(
        "campaigns.my_tasks",
        "campaigns/task/widgets/my_tasks.html",
        _task_widgets.my_tasks,
        frozenset(POLICY["campaigns.task"]),
        25,
    ),
    Widget(
        "campaigns.overdue_areas",
        "campaigns/task/widgets/overdue_areas.html",
        _task_widgets.overdue_areas,
        frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.LEADER}),
        30,
    ),
]

WIDGETS_LEDGER = [
    # the evidence ledger
    Widget(
        "campaigns.ledger_readiness",
        "campaigns/ledger/widgets/readiness.html",
        ledger_widgets.readiness,
        frozenset({Role.OFFICE, Role.STREET, Role.LEADER}),
        40,
    ),
]

EXPORTS_TASKS = [
    # the task breakdown
    ExportSource(
        "campaign_tasks", _("创卫任务"), "campaigns.task", _task_exports.task_rows, _task_exports.task_columns
    ),
]

EXPORTS_LEDGER = [
    # the evidence ledger: the missing-evidence list (缺项清单)
    ExportSource(
        "campaigns.ledger_missing",
        _("台账缺项清单"),
        "campaigns.evidencelink",
        _task_exports.missing_rows,
        _task_exports.missing_columns,
    ),
]

API_CAMPAIGNS = [
    # campaigns and their phases/groups
    ("campaigns", "apps.campaigns.api.campaigns.CampaignViewSet"),
    ("campaign-tasks", "apps.campaigns.api.campaigns.TaskViewSet"),
]

API_LEDGER = [
    # the evidence ledger
    ("campaign-evidence", "apps.campaigns.api.ledger.EvidenceLinkViewSet"),
]

DEMO_TASKS = [
    # the campaigns and task breakdown of the demo street
    DemoBuilder(
        "campaigns",
        "apps.campaigns.demo.build",
        after=("organization", "accounts", "standards", "cases", "inspections"),
    ),
]

DEMO_LEDGER = [
    # the demo's evidence rules, uploads and links
    DemoBuilder("campaigns_ledger", "apps.campaigns.demo_ledger.build", after=("campaigns", "cases", "inspections")),
]

DEMO_SYNC = [
    # after every other builder (their records included): one run of the campaigns' rules
    DemoBuilder("campaigns_ledger_sync", "apps.campaigns.demo_ledger.sync", last=True),
]

DEMO_ASSESSMENT = [
    # the demo's self-assessment and a mock assessment
    DemoBuilder(
        "campaigns_assessment", "apps.campaigns.demo_assessment.build", after=("campaigns", "campaigns_ledger")
    ),
]

# The access matrix ---------------------------------------------------------------------------

ACCESS_CAMPAIGNS = [
    # campaigns and their phases/groups
    AccessRow("campaigns:campaign_list", allowed="unit_contact"),
    AccessRow("campaigns:campaign_create", allowed="street", forbidden="leader"),
    AccessRow("campaigns:campaign_detail", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow(
        "campaigns:campaign_edit",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
    ),
    AccessRow(
        "campaigns:campaign_transition",
        args=lambda o: [o.campaign.pk, "start"],
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"version": o.campaign.version},
    ),
    AccessRow("campaign-list", allowed="grid", api=True),
    AccessRow("campaign-detail", args=lambda o: [o.campaign.pk], allowed="grid", other="community_b", api=True),
]

ACCESS_TASKS = [
    # the task breakdown
    AccessRow("campaigns:task_list", allowed="unit_contact"),
    AccessRow("campaigns:campaign_tasks", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow(
        "campaigns:tasks_generate",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow(
        "campaigns:tasks_assign",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"task": [f"{o.task.pk}:{o.task.version}"], "deadline": "2026-07-20"},
    ),
    AccessRow("campaigns:campaign_tasks_docx", args=lambda o: [o.campaign.pk], allowed="leader", other="community_b"),
    AccessRow("campaigns:area_tasks", args=lambda o: [o.campaign.pk], allowed="street", other="street_other"),
    AccessRow("campaigns:task_detail", args=lambda o: [o.task.pk], allowed="community", other="community_other"),
    AccessRow(
        "campaigns:task_edit",
        args=lambda o: [o.task.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow(
        "campaigns:task_progress",
        args=lambda o: [o.task.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"progress": "40", "version": o.task.version},
    ),
    AccessRow(
        "campaigns:task_transition",
        args=lambda o: [o.tasks_step_task.pk, "start"],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"version": o.tasks_step_task.version},
    ),
    AccessRow("task-list", allowed="unit_contact", api=True),
    AccessRow("task-detail", args=lambda o: [o.task.pk], allowed="community", other="community_other", api=True),
]

ACCESS_LEDGER = [
    # the evidence ledger
    AccessRow("campaigns:ledger", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow(
        "campaigns:ledger_item",
        args=lambda o: [o.campaign.pk, o.std_item.pk],
        allowed="community",
        other="community_b",
    ),
    AccessRow(
        "campaigns:evidence_upload",
        args=lambda o: [o.campaign.pk, o.std_item.pk],
        allowed="community",
        other="community_b",
        forbidden="leader",
        method="post",
        data=lambda o: o.ledger_upload_data(),
    ),
    AccessRow(
        "campaigns:task_evidence_upload",
        args=lambda o: [o.task.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: o.ledger_upload_data(),
    ),
    AccessRow(
        "campaigns:evidence_link",
        args=lambda o: [o.campaign.pk, o.std_item.pk],
        allowed="community",
        other="community_b",
        forbidden="leader",
        method="post",
        data=lambda o: {"source": "cases.closed", "object_id": str(o.ledger_case.pk)},
    ),
    AccessRow(
        "campaigns:evidence_unlink",
        args=lambda o: [o.evidence_link.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow("campaigns:evidence_rules", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow(
        "campaigns:ledger_sync",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow("campaigns:ledger_missing", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow("campaigns:ledger_timeline", args=lambda o: [o.campaign.pk], allowed="community", other="community_b"),
    AccessRow(
        "campaigns:document_detail",
        args=lambda o: [o.evidence_document.pk],
        allowed="community",
        other="community_other",
    ),
    AccessRow(
        "campaigns:document_download",
        args=lambda o: [o.evidence_document.pk],
        allowed="community",
        other="community_other",
    ),
    AccessRow(
        "campaigns:document_supersede",
        args=lambda o: [o.evidence_document.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: o.ledger_upload_data(),
    ),
    AccessRow("evidencelink-list", allowed="grid", api=True),
    AccessRow(
        "evidencelink-detail",
        args=lambda o: [o.evidence_link.pk],
        allowed="community",
        other="community_other",
        api=True,
    ),
]

ACCESS_ASSESSMENT = [
    # the self-assessment and gaps
    AccessRow(
        "campaigns:assessment",
        args=lambda o: [o.campaign.pk],
        allowed="community",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "campaigns:assessment_item",
        args=lambda o: [o.campaign.pk, o.assess_item.pk],
        allowed="leader",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "campaigns:assessment_item",
        args=lambda o: [o.campaign.pk, o.assess_item.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"result": "partly", "score": "6", "note": "access", "version": o.assessment.version},
    ),
    AccessRow(
        "campaigns:gaps", args=lambda o: [o.campaign.pk], allowed="inspector", other="street_other", forbidden="grid"
    ),
    AccessRow(
        "campaigns:gap_task",
        args=lambda o: [o.campaign.pk, o.assess_item.pk],
        allowed="community",
        other="street_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"jurisdiction": o.comm_a1.pk, "deadline": "2026-12-01"},
    ),
    AccessRow(
        "campaigns:gap_case",
        args=lambda o: [o.campaign.pk, o.assess_item.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"category": o.gap_category.pk, "jurisdiction": o.comm_a1.pk, "description": "access"},
    ),
]

ACCESS_MOCK = [
    # mock assessments
    AccessRow(
        "campaigns:mock_list",
        args=lambda o: [o.campaign.pk],
        allowed="community",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "campaigns:mock_create",
        args=lambda o: [o.campaign.pk],
        allowed="inspector",
        other="street_other",
        forbidden="community",
    ),
    AccessRow(
        "campaigns:mock_create",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="community",
        method="post",
        data=lambda o: {"conducted_on": "2026-10-20", "jurisdiction": o.street_a.pk, "sample_size": 3},
    ),
    AccessRow(
        "campaigns:mock_detail", args=lambda o: [o.mock.pk], allowed="leader", other="street_other", forbidden="grid"
    ),
    AccessRow(
        "campaigns:mock_score",
        args=lambda o: [o.mock.pk, o.assess_item.pk],
        allowed="street",
        other="street_other",
        forbidden="community",
        method="post",
        data=lambda o: {"result": "unmet", "note": "access", "version": o.mock.version},
    ),
    AccessRow(
        "campaigns:mock_submit",
        args=lambda o: [o.mock.pk],
        allowed="inspector",
        other="street_other",
        forbidden="community",
        method="post",
        data=lambda o: {"version": o.mock.version},
    ),
    AccessRow(
        "campaigns:mock_tasks",
        args=lambda o: [o.mock.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"count": 2, "deadline": "2026-12-01"},
    ),
]

ACCESS_BINDER = [
    # binder exports
    AccessRow(
        "campaigns:binder_list",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "campaigns:binder_start",
        args=lambda o: [o.campaign.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"jurisdiction": o.comm_a2.pk},
    ),
    AccessRow(
        "campaigns:binder_detail",
        args=lambda o: [o.binder.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "campaigns:binder_download",
        args=lambda o: [o.binder.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
    ),
]

register(
    "campaigns",
    policy=POLICY,
    menu=MENU,
    audit_labels={**AUDIT_CAMPAIGNS, **AUDIT_TASKS, **AUDIT_LEDGER, **AUDIT_ASSESSMENT, **AUDIT_MOCK, **AUDIT_BINDER},
    audit_fields={**AUDIT_FIELDS_CAMPAIGNS, **AUDIT_FIELDS_LEDGER, **AUDIT_FIELDS_ASSESSMENT},
    exports=[*EXPORTS_TASKS, *EXPORTS_LEDGER],
    figures=_figures.FIGURES,
    report_sections=[_reporting.SECTION],
    widgets=[*WIDGETS_TASKS, *WIDGETS_LEDGER],
    demo=[*DEMO_TASKS, *DEMO_LEDGER, *DEMO_ASSESSMENT, *DEMO_SYNC],
    urls=[("campaigns/", "apps.campaigns.urls")],
    api_routes=[*API_CAMPAIGNS, *API_LEDGER],
    access_world="apps.campaigns.tests.world.extend",
    access=[*ACCESS_CAMPAIGNS, *ACCESS_TASKS, *ACCESS_LEDGER, *ACCESS_ASSESSMENT, *ACCESS_MOCK, *ACCESS_BINDER],
)
