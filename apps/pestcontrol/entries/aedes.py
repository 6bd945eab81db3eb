"""The aedes part of pestcontrol's entries (joined in entries/__init__.py): audit labels, the
home widget, the evidence source and the BI figure, the demo and the access rows of the Aedes
household survey's pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, Widget
from apps.core.roles import Role

from ..evidence import aedes as evidence
from ..widgets import aedes as widgets

AUDIT_LABELS = {
    "pestcontrol.survey.household_opened": pgettext_lazy("audit action", "开始伊蚊入户调查"),
    "pestcontrol.survey.household_submitted": pgettext_lazy("audit action", "提交伊蚊入户调查"),
    "pestcontrol.householdvisit.created": pgettext_lazy("audit action", "登记入户调查记录"),
    "pestcontrol.householdvisit.case_opened": pgettext_lazy("audit action", "孳生地生成整改案件"),
    "pestcontrol.vectoralert.created": pgettext_lazy("audit action", "发出布雷图指数预警"),
    "pestcontrol.vectoralert.escalated": pgettext_lazy("audit action", "升级布雷图指数预警"),
    "pestcontrol.aedessetting.updated": pgettext_lazy("audit action", "修改伊蚊风险设置"),
}

AUDIT_FIELDS = {
    "medium_from": _("中风险起点（BI）"),
    "high_from": _("高风险起点（BI）"),
    "severe_from": _("极高风险起点（BI）"),
    "alert_level": _("预警级别"),
    "containers_wet": _("积水容器数"),
    "containers_positive": _("阳性容器数"),
}

WIDGETS = [
    Widget(
        "pestcontrol.aedes_week",
        "pestcontrol/widgets/aedes_week.html",
        widgets.this_week,
        frozenset({Role.STREET, Role.COMMUNITY}),
        70,
    ),
]

EVIDENCE = evidence.EVIDENCE

DEMO = [
    DemoBuilder("pestcontrol_aedes", "apps.pestcontrol.demo.aedes.build", after=("campaigns_assessment",)),
]

ACCESS = [
    AccessRow("pestcontrol:aedes_home", allowed="grid", forbidden="unit_contact"),
    AccessRow("pestcontrol:aedes_map_data", allowed="leader", forbidden="unit_contact"),
    AccessRow(
        "pestcontrol:aedes_trend",
        args=lambda o: [o.comm_a1.pk],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("pestcontrol:aedes_setting", allowed="street", forbidden="unit_contact"),
    AccessRow("pestcontrol:aedes_survey_new", allowed="grid", forbidden="leader"),
    AccessRow(
        "pestcontrol:aedes_survey",
        args=lambda o: [o.aedes_survey.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "pestcontrol:aedes_survey_fill",
        args=lambda o: [o.aedes_survey.pk],
        allowed="grid",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow(
        "pestcontrol:aedes_visit_save",
        args=lambda o: [o.aedes_survey.pk],
        allowed="grid",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"data": o.aedes_visit_body()},
        json=True,
    ),
    AccessRow(
        "pestcontrol:aedes_survey_submit",
        args=lambda o: [o.aedes_survey_full.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow(
        "pestcontrol:aedes_visit_case",
        args=lambda o: [o.aedes_visit_positive.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
    ),
    AccessRow(
        "pestcontrol:visit_photo",
        args=lambda o: [o.aedes_photo.pk, "thumb"],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
]
