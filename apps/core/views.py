from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.organization.selectors import jurisdiction_children_with_counts, jurisdiction_summary

from .charts import map_data, pie_data
from .models import AuditEvent
from .selectors import audit_event_list
from .views_base import FilteredListView


@login_required
def home(request):
    """The dashboard: the user's own jurisdiction (or unit) with real counts."""
    user = request.user
    context = {}
    if user.role == "unit_contact" and user.unit_id:
        context["unit"] = user.unit
    elif user.jurisdiction_id:
        node = user.jurisdiction
        summary = jurisdiction_summary(user=user, node=node)
        children = jurisdiction_children_with_counts(user=user, node=node)
        context.update(
            summary=summary,
            children=children,
            chart_data=pie_data(summary["units_by_type"], "unit_type__name"),
            map_data=map_data(node=node, points=children, boundaries=children),
        )
    return render(request, "core/home.html", context)


class AuditListView(FilteredListView):
    model = AuditEvent
    template_name = "core/audit_list.html"
    export_source = "audit"

    def get_rows(self):
        return audit_event_list(user=self.request.user, filters=self.get_filters())


def error_404(request, exception=None):
    return render(
        request,
        "errors/error.html",
        {"code": 404, "title": _("页面不存在"), "text": _("您访问的页面不存在，或不在您的管辖范围内。")},
        status=404,
    )


def error_403(request, exception=None):
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("无权访问"), "text": _("您的角色无权使用此功能。如需开通，请联系系统管理员。")},
        status=403,
    )


def error_500(request):
    return render(
        request,
        "errors/error.html",
        {"code": 500, "title": _("系统出错"), "text": _("服务器处理时出错，已记录。请稍后重试。")},
        status=500,
    )


def error_400(request, exception=None):
    return render(
        request,
        "errors/error.html",
        {"code": 400, "title": _("请求有误"), "text": _("请求无法处理，请返回上一页重试。")},
        status=400,
    )


def csrf_failure(request, reason=""):
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("页面已过期"), "text": _("页面已过期或表单已失效，请刷新页面后重试。")},
        status=403,
    )
