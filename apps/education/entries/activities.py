"""What education's activities part contributes (declared by name, joined in entries/__init__.py):
the 健康教育 menu entry (its home), audit labels of plans and activities, the public sign-in
page and the access rows of the plan and activity pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget
from apps.core.roles import DESK_ROLES

from ..evidence import activities as evidence
from ..exports import activities as exports
from ..reporting import SECTION as REPORT_SECTION
from ..widgets import activities as widgets

MENU = [
    MenuEntry("education", _("健康教育"), "education:home", "education.educationactivity", order=355),
]
AUDIT_LABELS = {
    "education.educationplan.created": pgettext_lazy("audit action", "制定健康教育计划"),
    "education.educationplan.updated": pgettext_lazy("audit action", "修改健康教育计划"),
    "education.educationactivity.created": pgettext_lazy("audit action", "登记健康教育活动"),
    "education.educationactivity.updated": pgettext_lazy("audit action", "修改健康教育活动"),
    "education.educationactivity.hold": pgettext_lazy("audit action", "登记健康教育活动已开展"),
    "education.educationactivity.cancel": pgettext_lazy("audit action", "取消健康教育活动"),
}
AUDIT_FIELDS = {
    "targets": _("计划场次"),
    "materials": _("发放资料"),
}
EXPORTS = [
    ExportSource(
        "education_activities",
        _("健康教育活动"),
        "education.educationactivity",
        exports.activity_export_rows,
        exports.activity_columns,
    ),
]
WIDGETS = [
    Widget("education.overview", "education/widgets/overview.html", widgets.overview, frozenset(DESK_ROLES), 65),
]
EVIDENCE = evidence.EVIDENCE
FIGURES = evidence.FIGURES
REPORT_SECTIONS = [REPORT_SECTION]
DEMO = [DemoBuilder("education_activities", "apps.education.demo.activities.build", after=("campaigns_assessment",))]
API_ROUTES = [("education-activities", "apps.education.api.activities.EducationActivityViewSet")]
PUBLIC_URLS = {"education:signin"}
PERSONAL_DATA = []
ACCESS = [
    AccessRow("education:home", allowed="grid", forbidden="unit_contact"),
    AccessRow("education:plan_list", allowed="leader", forbidden="unit_contact"),
    AccessRow("education:plan_create", allowed="community", forbidden="grid"),
    AccessRow(
        "education:plan_detail",
        args=lambda o: [o.edu_plan.pk],
        allowed="street",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "education:plan_edit",
        args=lambda o: [o.edu_plan.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow("education:activity_list", allowed="grid", forbidden="unit_contact"),
    AccessRow("education:activity_create", allowed="grid", forbidden="leader"),
    AccessRow(
        "education:activity_detail",
        args=lambda o: [o.edu_activity.pk],
        allowed="street",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "education:activity_edit",
        args=lambda o: [o.edu_activity.pk],
        allowed="community",
        other="community_other",
        forbidden="leader",
    ),
    AccessRow(
        "education:activity_transition",
        args=lambda o: [o.edu_activity_planned.pk, "cancel"],
        allowed="community",
        other="community_other",
        forbidden="unit_contact",
        method="post",
        data=lambda o: {"reason": "下雨", "version": o.edu_activity_planned.version},
    ),
    AccessRow(
        "education:activity_photo",
        args=lambda o: [o.edu_activity.photos.first().pk, "thumb"],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("educationactivity-list", allowed="grid", forbidden="unit_contact", api=True),
    AccessRow(
        "educationactivity-detail",
        args=lambda o: [o.edu_activity.pk],
        allowed="leader",
        other="community_other",
        forbidden="unit_contact",
        api=True,
    ),
]
