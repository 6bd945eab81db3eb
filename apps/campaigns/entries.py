"""What `campaigns` contributes: permission rows, menu, audit labels, exports, home widgets, the
demo, URL mounts, API routes and the access-matrix rows of its pages (one list per concept)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register  # noqa: F401
from apps.core.roles import EDIT, READ, Role

from .views import ledger as ledger_views
from .widgets import ledger as ledger_widgets

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
    "campaigns.evidencerule.created": pgettext_lazy("audit action", "新建资料关联规则"),
    "campaigns.evidencerule.updated": pgettext_lazy("audit action", "修改资料关联规则"),
    "campaigns.evidencerule.synced": pgettext_lazy("audit action", "按规则自动关联了资料"),
    "campaigns.evidencelink.linked": pgettext_lazy("audit action", "关联台账资料"),
    "campaigns.evidencelink.unlinked": pgettext_lazy("audit action", "移出台账资料"),
    "campaigns.evidencedocument.uploaded": pgettext_lazy("audit action", "上传台账资料"),
    "campaigns.evidencedocument.superseded": pgettext_lazy("audit action", "替换台账资料"),
}

AUDIT_ASSESSMENT = {
    # the self-assessment and gaps
}

AUDIT_MOCK = {
    # mock assessments
}

AUDIT_BINDER = {
    # binder exports
}

# Labels of keys in audit data that are not model fields, one dict per concept.
AUDIT_FIELDS_CAMPAIGNS = {
    # campaigns and tasks
}

AUDIT_FIELDS_LEDGER = {
    # the evidence ledger and binder
    "added": _("新增资料数"),
    "from": _("生成方式"),
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
]

EXPORTS_LEDGER = [
    # the evidence ledger: the missing-evidence list (缺项清单)
    ExportSource(
        "campaigns.ledger_missing",
        _("台账缺项清单"),
        "campaigns.evidencelink",
        lambda user, filters: ledger_views.missing_rows(user, filters),
        lambda: ledger_views.missing_columns(),
    ),
]

API_CAMPAIGNS = [
    # campaigns and their phases/groups
]

API_LEDGER = [
    # the evidence ledger
    ("campaign-evidence", "apps.campaigns.api.ledger.EvidenceLinkViewSet"),
]

DEMO_TASKS = [
    # the campaigns and task breakdown of the demo street
]

DEMO_LEDGER = [
    # the demo's evidence rules, uploads and links
    DemoBuilder("ledger", "apps.campaigns.demo_ledger.build", after=("campaigns", "cases", "inspections")),
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
        allowed="community",
        other="community_b",
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
]

ACCESS_MOCK = [
    # mock assessments
]

ACCESS_BINDER = [
    # binder exports
]

register(
    "campaigns",
    policy=POLICY,
    menu=MENU,
    audit_labels={**AUDIT_CAMPAIGNS, **AUDIT_TASKS, **AUDIT_LEDGER, **AUDIT_ASSESSMENT, **AUDIT_MOCK, **AUDIT_BINDER},
    audit_fields={**AUDIT_FIELDS_CAMPAIGNS, **AUDIT_FIELDS_LEDGER, **AUDIT_FIELDS_ASSESSMENT},
    exports=[*EXPORTS_TASKS, *EXPORTS_LEDGER],
    widgets=[*WIDGETS_TASKS, *WIDGETS_LEDGER],
    demo=[*DEMO_TASKS, *DEMO_LEDGER, *DEMO_ASSESSMENT],
    urls=[("campaigns/", "apps.campaigns.urls")],
    api_routes=[*API_CAMPAIGNS, *API_LEDGER],
    access_world="apps.campaigns.tests.world.extend",
    access=[*ACCESS_CAMPAIGNS, *ACCESS_TASKS, *ACCESS_LEDGER, *ACCESS_ASSESSMENT, *ACCESS_MOCK, *ACCESS_BINDER],
)
