"""What `reports` contributes: the totals page 数据汇总, the generated documents (工作总结, 汇报 …)
with reporting upward (报送), and the dashboards (驾驶舱).

Everything here reads the domains through the registry (figures: apps/core/evidence.py; report
sections and consistency checks: apps/core/reporting.py), never by importing a domain app.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, MenuEntry, register
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
        # 工作文稿: desk roles draft their own level's; leaders and inspectors read.
        MenuEntry("documents", _("工作文稿"), "reports:report_list", "reports.report", order=455),
        # 报送 (issue 15 §5): the desk roles send their reports up and handle their senders'; leaders read.
        MenuEntry("submissions", _("报送"), "reports:submissions", "reports.submission", order=460),
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
    audit_labels={
        "reports.report.created": pgettext_lazy("audit action", "生成文稿"),
        "reports.report.regenerated": pgettext_lazy("audit action", "按记录重新生成文稿"),
        "reports.report.part_edited": pgettext_lazy("audit action", "修改文稿段落"),
        "reports.report.updated": pgettext_lazy("audit action", "修改文稿文头"),
        "reports.report.finalized": pgettext_lazy("audit action", "文稿定稿"),
        "reports.report.pdf_requested": pgettext_lazy("audit action", "生成文稿PDF"),
        "reports.report.pdf_failed": pgettext_lazy("audit action", "文稿PDF生成失败"),
        "reports.submission.submit": pgettext_lazy("audit action", "报送文稿"),
        "reports.submission.resubmit": pgettext_lazy("audit action", "重新报送文稿"),
        "reports.submission.accept": pgettext_lazy("audit action", "采纳报送"),
        "reports.submission.return": pgettext_lazy("audit action", "退回报送"),
        "reports.report.reopened": pgettext_lazy("audit action", "文稿退回修改"),
        "reports.reportcall.created": pgettext_lazy("audit action", "发起报送要求"),
    },
    urls=[("reports/", "apps.reports.urls")],
    # Last: the summaries read every other app's demo records.
    demo=[
        DemoBuilder(
            "reports",
            "apps.reports.demo.build",
            after=("campaigns_ledger_sync", "cases_rollups", "record_rollups"),
            last=True,
        )
    ],
    access_world="apps.reports.tests.world.extend",
    access=[
        AccessRow("reports:totals", allowed="street", forbidden="unit_contact"),
        AccessRow("reports:report_list", allowed="leader", forbidden="grid"),
        AccessRow("reports:report_create", allowed="community", forbidden="leader"),
        AccessRow(
            "reports:report_detail",
            args=lambda o: [o.report.pk],
            allowed="street",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow(
            "reports:header_edit",
            args=lambda o: [o.report.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
        ),
        AccessRow(
            "reports:part_edit",
            args=lambda o: [o.report.pk, o.report_part.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
        ),
        AccessRow(
            "reports:report_regenerate",
            args=lambda o: [o.report.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"version": o.report.version},
        ),
        AccessRow(
            "reports:report_finalize",
            args=lambda o: [o.report_to_finalize.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"version": o.report_to_finalize.version},
        ),
        AccessRow(
            "reports:report_docx",
            args=lambda o: [o.report.pk],
            allowed="leader",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow(
            "reports:report_pdf",
            args=lambda o: [o.report.pk],
            allowed="community",
            other="community_other",
            forbidden="grid",
            method="post",
            data=lambda o: {"language": "zh-hans"},
        ),
        AccessRow(
            "reports:report_files",
            args=lambda o: [o.report.pk],
            allowed="leader",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow(
            "reports:file_download",
            args=lambda o: [o.report.pk, o.report_file.pk],
            allowed="leader",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow("reports:submissions", allowed="community", forbidden="grid"),
        AccessRow(
            "reports:submission_submit",
            args=lambda o: [o.report_final.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {},
        ),
        AccessRow(
            "reports:submission_return",
            args=lambda o: [o.submission.pk],
            allowed="street",
            other="street_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"version": o.submission.version, "reason": "数字与台账不符"},
        ),
        AccessRow(
            "reports:submission_accept",
            args=lambda o: [o.submission.pk],
            allowed="street",
            other="street_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"version": o.submission.version},
        ),
        AccessRow(
            "reports:submission_call_create",
            allowed="street",
            forbidden="leader",
            method="post",
            data=lambda o: {
                "kind": "year_summary",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "deadline": "2026-12-25",
            },
        ),
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
