"""What education's smokefree part contributes (declared by name, joined in entries/__init__.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, DemoBuilder

from ..evidence import boards as evidence

MENU = []
AUDIT_LABELS = {
    "education.smokefreeplace.created": pgettext_lazy("audit action", "登记无烟场所"),
    "education.smokefreeplace.updated": pgettext_lazy("audit action", "修改无烟场所"),
    "education.smokefreecheck.created": pgettext_lazy("audit action", "登记控烟检查"),
    "education.smokefreecheck.cases_opened": pgettext_lazy("audit action", "控烟检查生成整改案件"),
}
AUDIT_FIELDS = {
    "place": _("场所"),
    "checked_on": _("检查日期"),
    "result": _("结果"),
    "cases": _("整改案件"),
}
EXPORTS = []
WIDGETS = []
EVIDENCE = evidence.EVIDENCE[1:]
FIGURES = evidence.FIGURES[2:]
DEMO = [DemoBuilder("education_smokefree", "apps.education.demo.smokefree.build", after=("education_activities",))]
API_ROUTES = []
PUBLIC_URLS = set()
PERSONAL_DATA = []
ACCESS = [
    AccessRow("education:place_list", allowed="grid", forbidden="unit_contact"),
    AccessRow(
        "education:place_detail",
        args=lambda o: [o.place.pk],
        allowed="grid",
        other="community_other",
        forbidden="unit_contact",
    ),
    AccessRow("education:place_create", allowed="community", forbidden="grid"),
    AccessRow(
        "education:place_edit",
        args=lambda o: [o.place.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
    ),
    AccessRow(
        "education:place_check",
        args=lambda o: [o.place.pk],
        allowed="grid",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: o.place_check_data(),
    ),
]
