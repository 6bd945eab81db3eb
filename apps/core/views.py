from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import AuditEvent
from .registry import registry
from .selectors import audit_action_choices, audit_event_list
from .views_base import FilteredListView, requires


@requires()
def home(request):
    """The home page: the panels the apps registered for this user's role, in their order.

    Each panel's `context(request)` returns None when it has nothing for this user.
    """
    panels = []
    for widget in registry.widgets():
        if request.user.role not in widget.roles:
            continue
        context = widget.context(request)
        if context is not None:
            # Rendered without the request: the context processors (menu, unread count) ran once
            # for the page already; panels get the user and request they need explicitly.
            html = render_to_string(widget.template, {"user": request.user, "request": request, **context})
            panels.append({"html": html, "wide": widget.wide, "key": widget.key})
    return render(request, "core/home.html", {"widgets": panels})


class AuditListView(FilteredListView):
    model = AuditEvent
    template_name = "core/audit_list.html"
    export_source = "audit"

    def get_rows(self):
        return audit_event_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self) -> dict:
        return {"action_choices": audit_action_choices()}


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
        {
            "code": 400,
            "title": _("请求有误"),
            # Only messages written to be shown (apps.core.middleware); never a SuspiciousOperation's text.
            "text": getattr(exception, "public_message", None) or _("请求无法处理，请返回上一页重试。"),
        },
        status=400,
    )


def csrf_failure(request, reason=""):
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("页面已过期"), "text": _("页面已过期或表单已失效，请刷新页面后重试。")},
        status=403,
    )
