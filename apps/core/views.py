from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework import exceptions

from .api import api_error_response, is_api_request
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


# Django's error pages; under the API's paths the same answers as JSON (apps.core.api.error_body),
# since a client of a JSON endpoint cannot read an HTML page (unknown paths, an id the URL
# pattern refuses, an exception outside DRF).


def error_404(request, exception=None):
    if is_api_request(request):
        return api_error_response(404, exceptions.NotFound.default_detail, "not_found")
    return render(
        request,
        "errors/error.html",
        {"code": 404, "title": _("页面不存在"), "text": _("您访问的页面不存在，或不在您的管辖范围内。")},
        status=404,
    )


def error_403(request, exception=None):
    if is_api_request(request):
        return api_error_response(403, exceptions.PermissionDenied.default_detail, "permission_denied")
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("无权访问"), "text": _("您的角色无权使用此功能。如需开通，请联系系统管理员。")},
        status=403,
    )


def error_500(request):
    if is_api_request(request):
        return api_error_response(500, exceptions.APIException.default_detail, "error")
    return render(
        request,
        "errors/error.html",
        {"code": 500, "title": _("系统出错"), "text": _("服务器处理时出错，已记录。请稍后重试。")},
        status=500,
    )


def error_400(request, exception=None):
    if is_api_request(request):
        return api_error_response(400, exceptions.ParseError.default_detail, "parse_error")
    return render(
        request,
        "errors/error.html",
        {"code": 400, "title": _("请求有误"), "text": _("请求无法处理，请返回上一页重试。")},
        status=400,
    )


def csrf_failure(request, reason=""):
    if is_api_request(request):
        return api_error_response(403, _("页面已过期或表单已失效，请刷新页面后重试。"), "csrf_failed")
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("页面已过期"), "text": _("页面已过期或表单已失效，请刷新页面后重试。")},
        status=403,
    )
