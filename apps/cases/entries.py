"""What `cases` contributes: permission rows, menu, the case ledger, audit labels, home
widgets, the demo cases and the access-matrix rows of its pages and API."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import EDIT, READ, Role

from . import evidence, exports, privacy, reporting, widgets

register(
    "cases",
    policy={
        # Everyone sees the cases in scope (unit contacts: those dispatched to them); who may take
        # which step is the transition table in apps/cases/workflow.py.
        "cases.case": {
            **{role: frozenset({"view", "add", "change"}) for role in Role},
            Role.UNIT_CONTACT: frozenset({"view", "change"}),
        },
        "cases.category": {Role.ADMIN: EDIT, **{role: READ for role in Role if role != Role.ADMIN}},
    },
    menu=[
        MenuEntry("cases", _("案件"), "cases:case_list", "cases.case", order=100),
        MenuEntry(
            "briefing",
            _("晨会"),
            "cases:briefing",
            "cases.case",
            roles=frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER}),
            order=110,
        ),
        MenuEntry(
            "statistics",
            _("统计"),
            "cases:statistics",
            "cases.case",
            roles=frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER}),
            order=120,
        ),
    ],
    audit_labels={
        "cases.case.reported": pgettext_lazy("audit action", "上报案件"),
        "cases.case.register": pgettext_lazy("audit action", "立案"),
        "cases.case.reject": pgettext_lazy("audit action", "不予立案"),
        "cases.case.merge": pgettext_lazy("audit action", "合并案件"),
        "cases.case.dispatch": pgettext_lazy("audit action", "派遣"),
        "cases.case.handle": pgettext_lazy("audit action", "处置反馈"),
        "cases.case.dispute": pgettext_lazy("audit action", "回退"),
        "cases.case.verify_pass": pgettext_lazy("audit action", "核查通过并结案"),
        "cases.case.verify_fail": pgettext_lazy("audit action", "核查不通过（返工）"),
        "cases.case.suspend": pgettext_lazy("audit action", "挂账"),
        "cases.case.void": pgettext_lazy("audit action", "作废"),
        "cases.case.remind": pgettext_lazy("audit action", "超期催办"),
        "cases.case.supervise": pgettext_lazy("audit action", "发出督办告知"),
        "cases.case.list": pgettext_lazy("audit action", "列入通报"),
        "cases.case.hotline_viewed": pgettext_lazy("audit action", "查看热线来电人"),
        "cases.case.hotline_answer": pgettext_lazy("audit action", "答复热线来电人"),
        "cases.case.photo_added": pgettext_lazy("audit action", "补充照片"),
        "cases.category.created": pgettext_lazy("audit action", "新建问题类别"),
        "cases.category.updated": pgettext_lazy("audit action", "修改问题类别"),
    },
    audit_fields={
        "escalation_level": _("督办级别"),
        "answer": _("答复内容"),
        "assignee": _("责任单位"),
        "deadline": _("处置时限"),
    },
    exports=[ExportSource("cases", _("案件"), "cases.case", exports.case_rows, exports.case_columns)],
    widgets=[
        # A grid worker's page: the 上报 button first, then their reports and what came back.
        Widget("cases.report", "cases/widgets/report.html", widgets.report_button, frozenset({Role.GRID}), 0, True),
        Widget("cases.my_reports", "cases/widgets/my_reports.html", widgets.my_reports, frozenset({Role.GRID}), 10),
        Widget("cases.sent_back", "cases/widgets/sent_back.html", widgets.sent_back, frozenset({Role.GRID}), 20),
        # A community's queue and today's 晨会.
        Widget("cases.queue", "cases/widgets/queue.html", widgets.queue, frozenset({Role.COMMUNITY}), 10, True),
        Widget(
            "cases.briefing", "cases/widgets/briefing.html", widgets.briefing, frozenset({Role.COMMUNITY}), 20, True
        ),
        # A unit's open cases with the time left (never who reported them).
        Widget(
            "cases.unit_open", "cases/widgets/unit_open.html", widgets.unit_open, frozenset({Role.UNIT_CONTACT}), 10
        ),
        # An inspector's 核查 work.
        Widget("cases.to_verify", "cases/widgets/to_verify.html", widgets.to_verify, frozenset({Role.INSPECTOR}), 20),
        # KPIs for those who steer (leaders read only: the panel has links, no actions).
        Widget(
            "cases.kpis",
            "cases/widgets/kpis.html",
            widgets.kpis,
            frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.LEADER}),
            10,
            True,
        ),
    ],
    evidence_providers=[evidence.CLOSED_CASES],
    report_sections=[reporting.SECTION],
    figures=[evidence.ON_TIME_RATE, evidence.CLOSURE_RATE, *evidence.SUMMARY_FIGURES],
    demo=[
        DemoBuilder("cases", "apps.cases.demo.build", after=("organization", "accounts")),
        # Every app's demo cases are in (some retimed into earlier months): the statistics'
        # rollups are built once from them, as `manage.py cases_rollups rebuild` would.
        DemoBuilder("cases_rollups", "apps.cases.demo.build_rollups", last=True),
    ],
    urls=[
        ("cases/", "apps.cases.urls"),
        ("public/", "apps.cases.urls.public_urlpatterns", "public"),
        ("api/", "apps.cases.api.urls"),
    ],
    access_world="apps.cases.tests.world.extend",
    # The reporter's name and phone: the policy of apps/core/personal.py after the anonymity rule.
    personal_data=privacy.PERSONAL_DATA,
    # Residents' pages: no login by design; they show only the public status of one tracking code.
    public_urls={"public:public_report", "public:public_track", "public:public_track_code"},
    access=[
        AccessRow("cases:case_list", allowed="grid"),
        AccessRow("cases:case_report", allowed="grid", forbidden="unit_contact"),
        AccessRow("cases:hotline_create", allowed="community", forbidden="grid"),
        AccessRow("cases:case_map", allowed="grid"),
        AccessRow("cases:case_map_data", allowed="grid"),
        AccessRow("cases:briefing", allowed="community"),
        AccessRow("cases:statistics", allowed="leader"),
        AccessRow("cases:category_list", allowed="grid"),
        AccessRow("cases:category_create", allowed="admin", forbidden="office"),
        AccessRow("cases:category_update", args=lambda o: [o.case.category_id], allowed="admin", forbidden="street"),
        AccessRow("cases:case_detail", args=lambda o: [o.case.pk], allowed="unit_contact", other="community_other"),
        # 显示 of the reporter's phone: the dispatcher; the leader reads it masked only (403).
        AccessRow(
            "core:personal_reveal",
            args=lambda o: ["cases.case", o.case.pk, "reporter_phone"],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            json=True,
        ),
        AccessRow("cases:case_notice", args=lambda o: [o.case.pk], allowed="unit_contact", other="community_other"),
        AccessRow(
            "cases:case_supervision_notice", args=lambda o: [o.case.pk], allowed="community", other="community_other"
        ),
        AccessRow(
            "cases:case_photo",
            args=lambda o: [o.case.photos.first().pk, "thumb"],
            allowed="unit_contact",
            other="community_other",
        ),
        AccessRow(
            "cases:case_action",
            args=lambda o: [o.case.pk, "photo"],
            allowed="community",
            other="community_other",
            method="post",
            data=lambda o: {"note": "补充照片", "photos": o.jpeg()},
        ),
    ],
)
