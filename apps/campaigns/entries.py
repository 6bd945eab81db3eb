"""What `campaigns` contributes: permission rows, menu, audit labels, exports, home widgets, the
demo, URL mounts, API routes and the access-matrix rows of its pages (one list per concept)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401
from django.utils.translation import pgettext_lazy  # noqa: F401

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

AUDIT_CAMPAIGNS = {}

AUDIT_TASKS = {}

AUDIT_LEDGER = {}

AUDIT_ASSESSMENT = {}

AUDIT_MOCK = {}

AUDIT_BINDER = {}

AUDIT_FIELDS = {}

# Home widgets, exports, API, demo ------------------------------------------------------------

WIDGETS_TASKS = []

WIDGETS_LEDGER = []

EXPORTS_TASKS = []

API_CAMPAIGNS = []

API_LEDGER = []

DEMO = []

# The access matrix ---------------------------------------------------------------------------

ACCESS_CAMPAIGNS = []

ACCESS_TASKS = []

ACCESS_LEDGER = []

ACCESS_ASSESSMENT = []

ACCESS_MOCK = []

ACCESS_BINDER = []

register(
    "campaigns",
    policy=POLICY,
    menu=MENU,
    audit_labels={**AUDIT_CAMPAIGNS, **AUDIT_TASKS, **AUDIT_LEDGER, **AUDIT_ASSESSMENT, **AUDIT_MOCK, **AUDIT_BINDER},
    audit_fields=AUDIT_FIELDS,
    exports=EXPORTS_TASKS,
    widgets=[*WIDGETS_TASKS, *WIDGETS_LEDGER],
    demo=DEMO,
    urls=[("campaigns/", "apps.campaigns.urls")],
    api_routes=[*API_CAMPAIGNS, *API_LEDGER],
    access_world="apps.campaigns.tests.world.extend",
    access=[*ACCESS_CAMPAIGNS, *ACCESS_TASKS, *ACCESS_LEDGER, *ACCESS_ASSESSMENT, *ACCESS_MOCK, *ACCESS_BINDER],
)
