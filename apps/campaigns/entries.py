"""What `campaigns` contributes: permission rows, menu, audit labels, exports, home widgets, the
demo, URL mounts, API routes and the access-matrix rows of its pages (one list per concept)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register  # noqa: F401
from apps.core.roles import EDIT, READ, Role

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
    # MenuEntry("campaigns", _("创建项目"), "campaigns:campaign_list", "campaigns.campaign", order=320),
    # MenuEntry("campaign_tasks", _("创卫任务"), "campaigns:task_list", "campaigns.task", order=325),
]

# Audit labels ------------------------------------------------------------------------------

AUDIT_CAMPAIGNS = {
    # campaigns and their phases/groups
}

AUDIT_TASKS = {
    # the task breakdown
    "campaigns.task.created": pgettext_lazy("audit action", "新建创卫任务"),
}

AUDIT_LEDGER = {
    # the evidence ledger
}

AUDIT_ASSESSMENT = {
    # the self-assessment and gaps
}

AUDIT_MOCK = {
    # mock assessments
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
}

AUDIT_FIELDS_LEDGER = {
    # the evidence ledger and binder
}

AUDIT_FIELDS_ASSESSMENT = {
    # the self-assessment, gaps and mock assessments
}

# Home widgets, exports, API, demo ------------------------------------------------------------

WIDGETS_TASKS = [
    # the task breakdown
]

WIDGETS_LEDGER = [
    # the evidence ledger
]

EXPORTS_TASKS = [
    # the task breakdown
]

API_CAMPAIGNS = [
    # campaigns and their phases/groups
]

API_LEDGER = [
    # the evidence ledger
]

DEMO_TASKS = [
    # the campaigns and task breakdown of the demo street
]

DEMO_LEDGER = [
    # the demo's evidence rules, uploads and links
]

DEMO_ASSESSMENT = [
    # the demo's self-assessment and a mock assessment
]

# The access matrix ---------------------------------------------------------------------------

ACCESS_CAMPAIGNS = [
    # campaigns and their phases/groups
]

ACCESS_TASKS = [
    # the task breakdown
]

ACCESS_LEDGER = [
    # the evidence ledger
]

ACCESS_ASSESSMENT = [
    # the self-assessment and gaps
]

ACCESS_MOCK = [
    # mock assessments
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
    exports=EXPORTS_TASKS,
    widgets=[*WIDGETS_TASKS, *WIDGETS_LEDGER],
    demo=[*DEMO_TASKS, *DEMO_LEDGER, *DEMO_ASSESSMENT],
    urls=[("campaigns/", "apps.campaigns.urls")],
    api_routes=[*API_CAMPAIGNS, *API_LEDGER],
    access_world="apps.campaigns.tests.world.extend",
    access=[*ACCESS_CAMPAIGNS, *ACCESS_TASKS, *ACCESS_LEDGER, *ACCESS_ASSESSMENT, *ACCESS_MOCK, *ACCESS_BINDER],
)
