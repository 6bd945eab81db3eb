"""The operations part of pestcontrol's entries (joined in entries/__init__.py): operations,
campaigns, follow-ups and the drug ledger — audit labels, exports, API, access rows, figures,
evidence, the consistency check, the desk's widget and the demo."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, Widget
from apps.core.roles import Role

from .. import consistency
from ..evidence import operations as evidence
from ..evidence import rollups
from ..exports import operations as exports
from ..reporting import SECTION as REPORT_SECTION
from ..widgets import operations as widgets

AUDIT_LABELS = {
    "pestcontrol.pestcampaign.created": pgettext_lazy("audit action", "登记除四害行动"),
    "pestcontrol.pestcampaign.updated": pgettext_lazy("audit action", "修改除四害行动"),
    "pestcontrol.pestcampaign.hold": pgettext_lazy("audit action", "登记行动已开展"),
    "pestcontrol.pestcampaign.cancel": pgettext_lazy("audit action", "取消除四害行动"),
    "pestcontrol.operation.created": pgettext_lazy("audit action", "登记除四害作业"),
    "pestcontrol.operation.updated": pgettext_lazy("audit action", "修改除四害作业"),
    "pestcontrol.followupcheck.created": pgettext_lazy("audit action", "登记回访检查"),
    "pestcontrol.followupcheck.updated": pgettext_lazy("audit action", "修改回访检查"),
    "pestcontrol.product.created": pgettext_lazy("audit action", "新增药物"),
    "pestcontrol.product.updated": pgettext_lazy("audit action", "修改药物"),
    "pestcontrol.bannedsubstance.created": pgettext_lazy("audit action", "新增禁用药物"),
    "pestcontrol.bannedsubstance.updated": pgettext_lazy("audit action", "修改禁用药物"),
    "pestcontrol.store.created": pgettext_lazy("audit action", "新建药品库房"),
    "pestcontrol.store.updated": pgettext_lazy("audit action", "修改药品库房"),
    "pestcontrol.stockmovement.created": pgettext_lazy("audit action", "登记药品出入库"),
}

AUDIT_FIELDS = {
    "drugs": _("用药"),
    # A follow-up is audited on its operation: its fields are labelled here.
    "checked_on": _("回访日期"),
    "households_checked": _("回访户数"),
    "households_bought": _("购药户数"),
    "households_retained": _("药物保留户数"),
}

EXPORTS = [
    ExportSource(
        "pestcontrol_operations",
        _("除四害作业"),
        "pestcontrol.operation",
        exports.operation_export_rows,
        exports.operation_columns,
    ),
    ExportSource(
        "pestcontrol_movements",
        _("药品出入库台账"),
        "pestcontrol.stockmovement",
        exports.movement_export_rows,
        exports.movement_columns,
    ),
]

API_ROUTES = [("pest-operations", "apps.pestcontrol.api.operations.OperationViewSet")]

DEMO = [
    DemoBuilder("pestcontrol_operations", "apps.pestcontrol.demo.operations.build", after=("campaigns_assessment",)),
]

ACCESS = [
    AccessRow("pestcontrol:operation_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("pestcontrol:operation_create", allowed="grid", forbidden="leader"),
    AccessRow(
        "pestcontrol:operation_detail",
        args=lambda o: [o.pest_operation.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "pestcontrol:operation_edit",
        args=lambda o: [o.pest_operation.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    # A grid worker corrects the record they entered, not another's.
    AccessRow("pestcontrol:operation_edit", args=lambda o: [o.pest_grid_operation.pk], allowed="grid"),
    AccessRow(
        "pestcontrol:operation_edit",
        args=lambda o: [o.pest_desk_operation_in_grid.pk],
        allowed="community",
        forbidden="grid",
    ),
    AccessRow(
        "pestcontrol:followup_create",
        args=lambda o: [o.pest_operation.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {
            "checked_on": o.pest_operation.performed_on.isoformat(),
            "households_checked": "50",
            "households_bought": "49",
            "households_retained": "49",
        },
    ),
    AccessRow(
        "pestcontrol:followup_edit",
        args=lambda o: [o.pest_followup.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    AccessRow(
        "pestcontrol:operation_photo",
        args=lambda o: [o.pest_operation.photos.first().pk, "thumb"],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("pestcontrol:campaign_list", allowed="leader", forbidden="unit_contact"),
    AccessRow("pestcontrol:campaign_create", allowed="community", forbidden="grid"),
    AccessRow(
        "pestcontrol:campaign_detail",
        args=lambda o: [o.pest_campaign.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "pestcontrol:campaign_edit",
        args=lambda o: [o.pest_campaign.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow(
        "pestcontrol:campaign_transition",
        args=lambda o: [o.pest_campaign_to_cancel.pk, "cancel"],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
        method="post",
        data=lambda o: {"reason": "下雨", "version": o.pest_campaign_to_cancel.version},
    ),
    AccessRow("pestcontrol:product_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("pestcontrol:product_create", allowed="community", forbidden="leader"),
    AccessRow("pestcontrol:product_edit", args=lambda o: [o.pest_product.pk], allowed="office", forbidden="grid"),
    AccessRow("pestcontrol:banned_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("pestcontrol:banned_create", allowed="office", forbidden="street"),
    AccessRow("pestcontrol:banned_edit", args=lambda o: [o.pest_banned.pk], allowed="admin", forbidden="community"),
    AccessRow("pestcontrol:store_list", allowed="leader", forbidden="unit_contact"),
    AccessRow("pestcontrol:store_create", allowed="community", forbidden="grid"),
    AccessRow(
        "pestcontrol:store_detail",
        args=lambda o: [o.pest_store.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "pestcontrol:movement_create",
        args=lambda o: [o.pest_store.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {
            "kind": "issue",
            "product": o.pest_product.pk,
            "batch_no": "B1",
            "packages": "1",
            "moved_on": o.pest_today.isoformat(),
            "household_batch": "一组",
        },
    ),
    AccessRow("operation-list", allowed="grid", forbidden="unit_contact", api=True),
    AccessRow(
        "operation-detail",
        args=lambda o: [o.pest_operation.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
]

EVIDENCE = [evidence.RECORDS]
FIGURES = evidence.FIGURES
REPORT_SECTIONS = [REPORT_SECTION]
ROLLUPS = [rollups.ROLLUP]
CONSISTENCY_CHECKS = consistency.OPERATION_CHECKS

WIDGETS = [
    Widget(
        "pestcontrol.operations",
        "pestcontrol/widgets/operations.html",
        widgets.month,
        frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY}),
        65,
    ),
]
