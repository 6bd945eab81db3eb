from django.conf import settings
from django.core.exceptions import PermissionDenied, TooManyFilesSent
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework import exceptions

from . import personal, services
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


@require_POST
@never_cache
@requires()
def personal_reveal(request, model, pk, field):
    """显示: the full name or phone of a person, for a role the policy allows it, audited.

    `model` is the content type as "app_label.model", `field` one its app declared personal.
    A role that may never see this field in full answers 403, an object outside the viewer's
    scope 404 (the field's scoped queryset), and the policy for this object's person (and the
    app's own rule, such as the reporter's anonymity) 403. Answers the HTMX fragment that
    replaces the masked value.
    """
    declared = personal.field_for(model, field)
    if declared is None:
        raise Http404
    if not request.user.can(declared.model, "view") or not declared.may_ever_reveal(request.user.role):
        raise PermissionDenied
    try:
        obj = declared.objects_for(request.user).filter(pk=pk).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise Http404
    try:
        value = services.personal_reveal(actor=request.user, obj=obj, field=field)
    except personal.RevealRefused:
        raise PermissionDenied from None
    return render(request, "core/_personal_revealed.html", {"value": value, "part": declared.part})


# Django's error pages; under the API's paths the same answers as JSON (apps.core.api.error_body),
# since a client of a JSON endpoint cannot read an HTML page (unknown paths, an id the URL
# pattern refuses, an exception outside DRF).


def error_404(request, exception=None):
    if is_api_request(request):
        return api_error_response(404, exceptions.NotFound.default_detail, "not_found", request=request)
    return render(
        request,
        "errors/error.html",
        {"code": 404, "title": _("页面不存在"), "text": _("您访问的页面不存在，或不在您的管辖范围内。")},
        status=404,
    )


def error_403(request, exception=None):
    if is_api_request(request):
        return api_error_response(403, exceptions.PermissionDenied.default_detail, "permission_denied", request=request)
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("无权访问"), "text": _("您的角色无权使用此功能。如需开通，请联系系统管理员。")},
        status=403,
    )


def error_500(request):
    if is_api_request(request):
        return api_error_response(500, exceptions.APIException.default_detail, "error", request=request)
    return render(
        request,
        "errors/error.html",
        {"code": 500, "title": _("系统出错"), "text": _("服务器处理时出错，已记录。请稍后重试。")},
        status=500,
    )


def error_400(request, exception=None):
    # Only messages written to be shown (apps.core.middleware); never a SuspiciousOperation's text.
    text = getattr(exception, "public_message", None)
    code = "invalid"
    # Issue 9 (uploads): Django refuses a multipart request with more than
    # DATA_UPLOAD_MAX_NUMBER_FILES files while parsing it; say so.
    if isinstance(exception, TooManyFilesSent):
        text = _("一次上传的文件过多：每次最多 {n} 张照片，请减少后重试。").format(n=settings.PHOTO_MAX_PER_REQUEST)
        code = "too_many_files"
    if is_api_request(request):
        if text:
            return api_error_response(400, text, code, request=request)
        return api_error_response(400, exceptions.ParseError.default_detail, "parse_error", request=request)
    text = text or _("请求无法处理，请返回上一页重试。")
    return render(request, "errors/error.html", {"code": 400, "title": _("请求有误"), "text": text}, status=400)


def csrf_failure(request, reason=""):
    if is_api_request(request):
        return api_error_response(403, _("页面已过期或表单已失效，请刷新页面后重试。"), "csrf_failed", request=request)
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": _("页面已过期"), "text": _("页面已过期或表单已失效，请刷新页面后重试。")},
        status=403,
    )
