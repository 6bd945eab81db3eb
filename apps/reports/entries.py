"""What `reports` contributes: the totals page 数据汇总, the generated documents (工作总结, 汇报 …)
with reporting upward (报送), and the dashboards (驾驶舱).

Everything here reads the domains through the registry (figures: apps/core/evidence.py; report
sections and consistency checks: apps/core/reporting.py), never by importing a domain app.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.registry import AccessRow, MenuEntry, register
from apps.core.roles import DESK_ROLES, EDIT, READ, Role

from .totals import JURISDICTION

# Desk roles draft their own level's documents and handle what their senders report; leaders read.
DOCUMENT_POLICY = {**{role: EDIT for role in DESK_ROLES}, Role.LEADER: READ}

register(
    "reports",
    policy={
        "reports.report": {**DOCUMENT_POLICY, Role.INSPECTOR: READ},
        "reports.reportcall": DOCUMENT_POLICY,
        "reports.submission": DOCUMENT_POLICY,
    },
    menu=[
        # 数据汇总 (issue 11 §4): the desk roles and those who read an area; grid workers' menu stays short.
        MenuEntry(
            "totals",
            _("数据汇总"),
            "reports:totals",
            JURISDICTION,
            roles=frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER, Role.INSPECTOR}),
            order=450,
        ),
        # 驾驶舱 (issue 15 §6): who reads the reports (desk roles, leaders, inspectors); not grid workers.
        MenuEntry(
            "dashboard",
            _("驾驶舱"),
            "reports:dashboard",
            "reports.report",
            roles=frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER, Role.INSPECTOR}),
            order=440,
        ),
    ],
    urls=[("reports/", "apps.reports.urls")],
    access=[
        AccessRow("reports:totals", allowed="street", forbidden="unit_contact"),
        AccessRow(
            "reports:dashboard",
            allowed="street",
            other="street_other",
            forbidden="grid",
            data=lambda o: {"jurisdiction": o.street_a.pk},
        ),
        AccessRow(
            "reports:dashboard",
            allowed="community",
            other="community_b",
            forbidden="unit_contact",
            data=lambda o: {"jurisdiction": o.comm_a1.pk},
        ),
    ],
)
