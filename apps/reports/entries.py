"""What `reports` contributes: the totals page 数据汇总 (its menu entry, URL mount and access row).

The page reads every domain through the registry's figures (apps/core/evidence.py), never by
importing a domain app; the generated reports of a later issue will live here too.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.registry import AccessRow, MenuEntry, register
from apps.core.roles import Role

from .totals import JURISDICTION

register(
    "reports",
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
    ],
    urls=[("reports/", "apps.reports.urls")],
    access=[AccessRow("reports:totals", allowed="street", forbidden="unit_contact")],
)
