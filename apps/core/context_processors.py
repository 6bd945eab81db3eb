"""The navigation: each entry is shown only when the user's role may view its model."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    ("home", _("首页"), "core:home", None),
    ("cases", _("案件"), "cases:case_list", "cases.case"),
    ("briefing", _("晨会"), "cases:briefing", "cases.case"),
    ("statistics", _("统计"), "cases:statistics", "cases.case"),
    ("inspections", _("检查"), "inspections:inspection_list", "inspections.inspection"),
    ("rankings", _("评比"), "inspections:ranking", "inspections.publishedranking"),
    ("jurisdictions", _("辖区"), "organization:jurisdiction_list", "organization.jurisdiction"),
    ("units", _("单位"), "organization:unit_list", "organization.unit"),
    ("zones", _("责任区"), "organization:zone_list", "organization.zone"),
    ("staff", _("人员"), "organization:staff_list", "organization.staff"),
    ("groups", _("领导/工作小组"), "organization:group_list", "organization.workgroup"),
    ("accounts", _("账号"), "accounts:user_list", "accounts.user"),
    ("reference", _("基础数据"), "organization:reference_list", "organization.jurisdictionlevel"),
    ("imports", _("导入导出"), "imports:job_list", "imports.datajob"),
    ("audit", _("审计日志"), "core:audit_list", "core.auditevent"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "map_tile_url": settings.MAP_TILE_URL}
    items = [
        {"key": key, "label": label, "url": reverse(url_name)}
        for key, label, url_name, model_label in NAV_ITEMS
        if model_label is None or user.can(model_label, "view")
    ]
    # The active entry is the one whose address is the longest prefix of this page's.
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    active = max(matches, key=lambda item: len(item["url"]))["key"] if matches else "home"
    for item in items:
        item["active"] = item["key"] == active
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "map_tile_url": settings.MAP_TILE_URL, "unread_notifications": unread}
