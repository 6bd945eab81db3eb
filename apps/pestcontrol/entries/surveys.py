"""The surveys part of pestcontrol's entries (joined in entries/__init__.py): surveys, minimum
samples, control levels, grades and 灭效 — audit labels, the .xlsx export, evidence and figures,
the consistency check, the demo, the read-only API and the access rows."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource

from .. import consistency
from ..evidence import rollups
from ..evidence import surveys as evidence
from ..exports import surveys as exports

AUDIT_LABELS = {
    "pestcontrol.survey.created": pgettext_lazy("audit action", "登记病媒生物监测"),
    "pestcontrol.survey.updated": pgettext_lazy("audit action", "修改病媒生物监测"),
    "pestcontrol.methodsetting.created": pgettext_lazy("audit action", "设置监测方法最低样本量"),
    "pestcontrol.methodsetting.updated": pgettext_lazy("audit action", "修改监测方法最低样本量"),
    "pestcontrol.controlversion.created": pgettext_lazy("audit action", "生成控制水平新版本"),
    "pestcontrol.controlversion.updated": pgettext_lazy("audit action", "修改控制水平限值"),
}

AUDIT_FIELDS = {
    "counts": _("监测记录"),
    "before": _("修改前限值"),
    "after": _("修改后限值"),
    "from_version": _("原版本"),
    "effective_from": _("实施日期"),
}

EXPORTS = [
    ExportSource(
        "pestcontrol_surveys",
        _("病媒生物监测"),
        "pestcontrol.survey",
        exports.survey_export_rows,
        exports.survey_columns,
    ),
]

EVIDENCE = [evidence.SURVEYS]
FIGURES = evidence.FIGURES
ROLLUPS = [rollups.SURVEYS_ROLLUP]
CONSISTENCY_CHECKS = consistency.SURVEY_CHECKS

DEMO = [
    DemoBuilder(
        "pestcontrol_surveys",
        "apps.pestcontrol.demo.surveys.build",
        after=("campaigns_assessment", "pestcontrol_operations"),
    )
]

API_ROUTES = [("vector-surveys", "apps.pestcontrol.api.surveys.SurveyViewSet")]

ACCESS = [
    AccessRow("pestcontrol:survey_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("pestcontrol:survey_create", allowed="inspector", forbidden="leader"),
    AccessRow(
        "pestcontrol:survey_detail",
        args=lambda o: [o.survey.pk],
        allowed="street",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "pestcontrol:survey_edit",
        args=lambda o: [o.survey.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    AccessRow("pestcontrol:method_settings", allowed="leader", forbidden="unit_contact"),
    AccessRow(
        "pestcontrol:campaign_efficacy",
        args=lambda o: [o.survey_campaign.pk],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("pestcontrol:standard_list", allowed="leader", forbidden="unit_contact"),
    AccessRow(
        "pestcontrol:version_detail", args=lambda o: [o.control_version.pk], allowed="grid", forbidden="unit_contact"
    ),
    AccessRow("pestcontrol:version_edit", args=lambda o: [o.control_version.pk], allowed="office", forbidden="street"),
    AccessRow("pestcontrol:grades", allowed="leader", forbidden="unit_contact"),
    AccessRow("survey-list", allowed="grid", forbidden="unit_contact", api=True),
    AccessRow(
        "survey-detail",
        args=lambda o: [o.survey.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
]
