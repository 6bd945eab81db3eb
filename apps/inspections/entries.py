"""What `inspections` contributes: permission rows, menu, the sheet ledger, audit labels,
home widgets, the demo rounds and the access-matrix rows of its pages and API."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import EDIT, READ, Role

from . import evidence, exports, reporting, widgets

# The office owns the score sheets; streets plan rounds and review appeals; inspectors fill
# sheets in; units see their own submitted sheets, appeal and see the wall.
PLANNERS = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT}
WATCHERS = {Role.COMMUNITY: READ, Role.INSPECTOR: READ, Role.LEADER: READ}

register(
    "inspections",
    policy={
        "inspections.checklisttemplate": {
            Role.ADMIN: EDIT,
            Role.OFFICE: EDIT,
            Role.STREET: READ,
            **WATCHERS,
        },
        "inspections.inspectionplan": {**PLANNERS, **WATCHERS},
        "inspections.inspectionround": {**PLANNERS, **WATCHERS},
        "inspections.inspection": {
            **PLANNERS,
            Role.COMMUNITY: EDIT,
            Role.INSPECTOR: EDIT,
            Role.UNIT_CONTACT: READ,
            Role.LEADER: READ,
        },
        "inspections.appeal": {**PLANNERS, **WATCHERS, Role.UNIT_CONTACT: frozenset({"view", "add"})},
        "inspections.rankingscheme": PLANNERS,
        "inspections.publishedranking": {**{role: READ for role in Role}, **PLANNERS},
    },
    menu=[
        MenuEntry("inspections", _("检查"), "inspections:inspection_list", "inspections.inspection", order=200),
        MenuEntry("rankings", _("评比"), "inspections:ranking", "inspections.publishedranking", order=210),
    ],
    audit_labels={
        "inspections.checklisttemplate.created": pgettext_lazy("audit action", "新建检查表"),
        "inspections.checklisttemplate.updated": pgettext_lazy("audit action", "修改检查表"),
        "inspections.checklisttemplate.version_created": pgettext_lazy("audit action", "生成检查表新版本"),
        "inspections.inspectionplan.created": pgettext_lazy("audit action", "新建检查计划"),
        "inspections.inspectionplan.updated": pgettext_lazy("audit action", "修改检查计划"),
        "inspections.inspectionround.created": pgettext_lazy("audit action", "开启检查轮次"),
        "inspections.inspection.created": pgettext_lazy("audit action", "新建检查记录"),
        "inspections.inspection.started": pgettext_lazy("audit action", "开始检查"),
        "inspections.inspection.submitted": pgettext_lazy("audit action", "提交检查结果"),
        "inspections.inspection.case_opened": pgettext_lazy("audit action", "生成整改案件"),
        "inspections.inspection.correction": pgettext_lazy("audit action", "更正扣分"),
        "inspections.inspection.appeal": pgettext_lazy("audit action", "申诉改判"),
        "inspections.appeal.created": pgettext_lazy("audit action", "提出申诉"),
        "inspections.appeal.upheld": pgettext_lazy("audit action", "维持扣分"),
        "inspections.appeal.overturned": pgettext_lazy("audit action", "撤销扣分"),
        "inspections.rankingscheme.created": pgettext_lazy("audit action", "设置评比规则"),
        "inspections.rankingscheme.updated": pgettext_lazy("audit action", "修改评比规则"),
        "inspections.publishedranking.created": pgettext_lazy("audit action", "发布评比结果"),
        "inspections.publishedranking.updated": pgettext_lazy("audit action", "重新发布评比结果"),
        "inspections.publishedranking.recalculated": pgettext_lazy("audit action", "重新计算评比结果"),
    },
    exports=[
        ExportSource(
            "inspections", _("检查记录"), "inspections.inspection", exports.inspection_rows, exports.inspection_columns
        )
    ],
    widgets=[
        Widget(
            "inspections.todays_sheets",
            "inspections/widgets/todays_sheets.html",
            widgets.todays_sheets,
            frozenset({Role.INSPECTOR}),
            10,
        ),
        Widget(
            "inspections.appeal_windows",
            "inspections/widgets/appeal_windows.html",
            widgets.appeal_windows,
            frozenset({Role.UNIT_CONTACT}),
            30,
        ),
        Widget(
            "inspections.my_scores",
            "inspections/widgets/my_scores.html",
            widgets.my_scores,
            frozenset({Role.UNIT_CONTACT}),
            40,
        ),
        Widget(
            "inspections.ranking_movement",
            "inspections/widgets/ranking_movement.html",
            widgets.ranking_movement,
            frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.LEADER}),
            20,
        ),
    ],
    evidence_providers=[evidence.SHEETS, evidence.RANKINGS],
    figures=[evidence.AVERAGE_PERCENT, evidence.SHEET_COUNT, evidence.RED_FLAGS, evidence.YELLOW_FLAGS],
    report_sections=[reporting.SECTION],
    demo=[DemoBuilder("inspections", "apps.inspections.demo.build", after=("organization", "cases"))],
    urls=[("inspections/", "apps.inspections.urls")],
    api_routes=[
        ("inspections", "apps.inspections.api.views.InspectionViewSet"),
        ("rankings", "apps.inspections.api.views.PublishedRankingViewSet"),
    ],
    access_world="apps.inspections.tests.world.extend",
    access=[
        AccessRow("inspections:inspection_list", allowed="unit_contact", forbidden="grid"),
        AccessRow("inspections:inspection_create", allowed="inspector", forbidden="grid"),
        AccessRow(
            "inspections:inspection_detail",
            args=lambda o: [o.sheet.pk],
            allowed="unit_contact",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow(
            "inspections:inspection_fill",
            args=lambda o: [o.draft.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
        ),
        AccessRow(
            "inspections:inspection_item_save",
            args=lambda o: [o.draft.pk, o.item.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
            method="post",
            data=lambda o: {"occurrences": "1", "note": "x", "stamp": "5"},
            json=True,
        ),
        AccessRow(
            "inspections:inspection_photo_upload",
            args=lambda o: [o.draft.pk, o.item.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
            method="post",
            data=lambda o: {"photo": o.rewinding_jpeg(), "key": "k"},
            json=True,
        ),
        AccessRow(
            "inspections:inspection_submit",
            args=lambda o: [o.draft.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
            method="post",
        ),
        AccessRow(
            "inspections:inspection_correct",
            args=lambda o: [o.sheet.pk, o.item.pk],
            allowed="street",
            other="street_other",
            forbidden="grid",
        ),
        AccessRow(
            "inspections:finding_case",
            args=lambda o: [o.sheet.pk, o.result.pk],
            allowed="inspector",
            other="street_other",
            forbidden="grid",
            method="post",
        ),
        AccessRow(
            "inspections:appeal_create",
            args=lambda o: [o.sheet.pk, o.result.pk],
            allowed="unit_contact",
            forbidden="community",
        ),
        AccessRow(
            "inspections:photo",
            args=lambda o: [o.sheet_photo.pk, "thumb"],
            allowed="unit_contact",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow(
            "inspections:photo_delete",
            args=lambda o: [o.draft_photo.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
            method="post",
            json=True,
        ),
        AccessRow("inspections:appeal_list", allowed="unit_contact", forbidden="grid"),
        AccessRow(
            "inspections:appeal_detail",
            args=lambda o: [o.appeal.pk],
            allowed="unit_contact",
            other="community_other",
            forbidden="grid",
        ),
        AccessRow("inspections:template_list", allowed="inspector", forbidden="unit_contact"),
        AccessRow("inspections:template_create", allowed="office", forbidden="street"),
        AccessRow(
            "inspections:template_detail", args=lambda o: [o.template.pk], allowed="street", forbidden="unit_contact"
        ),
        AccessRow("inspections:template_update", args=lambda o: [o.template.pk], allowed="office", forbidden="street"),
        AccessRow(
            "inspections:section_add",
            args=lambda o: [o.template.pk],
            allowed="office",
            forbidden="street",
            method="post",
            data=lambda o: {"name": "二、台账"},
        ),
        AccessRow("inspections:item_create", args=lambda o: [o.template.pk], allowed="office", forbidden="street"),
        AccessRow(
            "inspections:item_update", args=lambda o: [o.template.pk, o.item.pk], allowed="office", forbidden="street"
        ),
        AccessRow(
            "inspections:item_delete",
            args=lambda o: [o.template.pk, o.item.pk],
            allowed="office",
            forbidden="street",
            method="post",
        ),
        AccessRow("inspections:plan_list", allowed="inspector", forbidden="unit_contact"),
        AccessRow("inspections:plan_create", allowed="street", forbidden="community"),
        AccessRow(
            "inspections:plan_detail",
            args=lambda o: [o.plan.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
        ),
        AccessRow(
            "inspections:plan_update",
            args=lambda o: [o.plan.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
        ),
        AccessRow(
            "inspections:round_open",
            args=lambda o: [o.plan.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
        ),
        AccessRow(
            "inspections:round_detail",
            args=lambda o: [o.round.pk],
            allowed="inspector",
            other="street_other",
            forbidden="unit_contact",
        ),
        AccessRow("inspections:ranking", allowed="leader"),
        AccessRow("inspections:ranking_publish", allowed="street", forbidden="community", method="post"),
        AccessRow("inspections:scheme_edit", allowed="street", forbidden="community"),
        AccessRow("inspections:flag_history", allowed="unit_contact"),
        AccessRow(
            "inspections:published_detail",
            args=lambda o: [o.published.pk],
            allowed="unit_contact",
            other="street_other",
        ),
        AccessRow(
            "inspections:published_docx", args=lambda o: [o.published.pk], allowed="unit_contact", other="street_other"
        ),
        AccessRow("inspections:wall", allowed="unit_contact"),
        AccessRow("inspection-list", allowed="unit_contact", forbidden="grid", api=True),
        AccessRow(
            "inspection-detail",
            args=lambda o: [o.sheet.pk],
            allowed="unit_contact",
            other="community_other",
            forbidden="grid",
            api=True,
        ),
        AccessRow("publishedranking-list", allowed="grid", api=True),
        AccessRow(
            "publishedranking-detail",
            args=lambda o: [o.published.pk],
            allowed="unit_contact",
            other="street_other",
            api=True,
        ),
    ],
)
