"""Open311 GeoReport v2 (JSON only): https://wiki.open311.org/GeoReport_v2

The service list, service definitions and service requests are public on purpose:
GeoReport is the interface residents' apps and the 12345 platform use without an
account. Reads therefore return only public fields (never the reporter's name or
phone, the assignee or internal notes), and anonymous posts are throttled and must
carry a point inside one of our jurisdictions. A token or session user posts as
themselves (a 12345 hotline case, scope and role checked by the service).

`service_request_id` is the case code; no `token` is issued (requests are created
in real time). Errors are GeoReport error lists: `[{"code": 400, "description": "..."}]`.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import exception_handler
from apps.core.filters import InvalidFilters
from apps.core.ratelimit import SharedAnonRateThrottle

from .. import limits, services, workflow
from ..choices import CaseSource, CaseStatus
from ..filters import Open311RequestFilterSet
from ..models import Case
from ..selectors import category_choices
from .serializers import SIX_PLACES

# GeoReport knows two states; a case is "closed" once nothing more will be done.
CLOSED_STATUSES = [CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.VOIDED]
DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


def open311_status(case_status: str) -> str:
    return "closed" if case_status in CLOSED_STATUSES else "open"


# Errors ---------------------------------------------------------------------------------------


def open311_exception_handler(exc, context):
    """The project's handler (one error body for every API error), reshaped as a GeoReport error list."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = [{"code": response.status_code, "description": response.data["detail"]}]
    return response


# A list body on an error status: spelled out, since list wrapping applies to 2xx only.
OPEN311_ERROR_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}


def _errors(*codes):
    return {code: OpenApiResponse(OPEN311_ERROR_SCHEMA, description="GeoReport 错误列表") for code in codes}


class AnonymousPostThrottle(SharedAnonRateThrottle):
    """Anonymous posts per client address and hour (OPEN311_POSTS_PER_HOUR), counted in the
    cache all web processes share."""

    scope = "open311_anonymous_post"

    def get_rate(self):
        return f"{settings.OPEN311_POSTS_PER_HOUR}/hour"


class Open311View(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    # Every error this view answers, in the schema too (apps.core.api_schema.AutoSchema).
    error_response_schema = OPEN311_ERROR_SCHEMA

    def get_exception_handler(self):
        return open311_exception_handler


class NotFoundView(Open311View):
    """Any other path under the GeoReport root: a GeoReport 404, not the project's error body."""

    schema = None  # no operation of its own

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound()

    options = http_method_not_allowed


# Services ------------------------------------------------------------------------------------


class Open311ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="code")
    service_name = serializers.CharField(source="name")
    description = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    keywords = serializers.SerializerMethodField()
    group = serializers.CharField(source="parent.name")

    def get_description(self, category) -> str:
        return _("{group}/{name}，处置时限 {deadline}").format(
            group=category.parent.name, name=category.name, deadline=category.deadline_text
        )

    def get_metadata(self, category) -> bool:
        return False  # no extra attributes beyond the standard fields

    def get_type(self, category) -> str:
        return "realtime"

    def get_keywords(self, category) -> str:
        return ",".join([category.parent.name, str(category.get_kind_display())])


class Open311ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = serializers.ListField(child=serializers.DictField(), help_text="始终为空：无附加属性")


class ServiceListView(Open311View):
    @extend_schema(
        operation_id="open311_services",
        summary="Open311：服务（问题小类）列表",
        responses={200: Open311ServiceSerializer(many=True)},
        tags=["open311"],
    )
    def get(self, request):
        return Response(Open311ServiceSerializer(category_choices(), many=True).data)


class ServiceDefinitionView(Open311View):
    @extend_schema(
        operation_id="open311_service_definition",
        summary="Open311：服务定义",
        responses={200: Open311ServiceDefinitionSerializer, **_errors(404)},
        tags=["open311"],
    )
    def get(self, request, service_code):
        if not category_choices().filter(code=service_code).exists():
            raise NotFound(_("没有该服务代码。"))
        return Response({"service_code": service_code, "attributes": []})


# Service requests ------------------------------------------------------------------------------


class Open311RequestSerializer(serializers.Serializer):
    """The public face of a case: no reporter, no assignee, no internal notes."""

    service_request_id = serializers.CharField(source="code")
    status = serializers.SerializerMethodField()
    status_notes = serializers.CharField(source="get_status_display")
    service_name = serializers.CharField(source="category.name")
    service_code = serializers.CharField(source="category.code")
    description = serializers.CharField()
    requested_datetime = serializers.DateTimeField(source="created_at")
    updated_datetime = serializers.DateTimeField(source="updated_at")
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(source="lng", allow_null=True)

    def get_status(self, case) -> str:
        return open311_status(case.status)


class Open311CreateSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    address_string = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.ADDRESS)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.DESCRIPTION)
    media_url = serializers.CharField(required=False, allow_blank=True, help_text="忽略")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.REPORTER_PHONE)
    first_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.REPORTER_NAME // 2
    )
    last_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.REPORTER_NAME // 2
    )
    email = serializers.CharField(required=False, allow_blank=True, help_text="忽略")
    api_key = serializers.CharField(required=False, allow_blank=True, help_text="忽略")

    def validate_service_code(self, value):
        category = category_choices().filter(code=value).first()
        if category is None:
            raise serializers.ValidationError(_("没有该服务代码。"))
        return category

    def validate(self, attrs):
        lat, lng = attrs.get("lat"), attrs.get("long")
        if (lat is None) != (lng is None):
            raise serializers.ValidationError({"long": [_("经纬度必须同时填写或同时为空。")]})
        if lat is not None:
            attrs["lat"] = Decimal(str(lat)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
            attrs["long"] = Decimal(str(lng)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        return attrs


class Open311CreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField()
    account_id = serializers.CharField(allow_null=True)


REQUEST_FILTERS = [
    OpenApiParameter("service_request_id", str, description="案件编号，逗号分隔；给出时忽略其他条件"),
    OpenApiParameter("service_code", str, description="服务代码，逗号分隔"),
    OpenApiParameter("start_date", str, description="ISO 8601 时间：受理时间不早于"),
    OpenApiParameter("end_date", str, description="ISO 8601 时间：受理时间不晚于"),
    OpenApiParameter("status", str, description="open 或 closed（可逗号分隔）"),
]


def _public_cases(request):
    """Anonymous callers see residents' own reports only (public fields); staff see their scope.

    Internal patrol, inspection and hotline cases carry staff notes and callers' details.
    """
    qs = Case.objects.select_related("category").order_by("-created_at", "-id")
    if request.user.is_authenticated:
        return qs.restrict(request.user)
    return qs.filter(source=CaseSource.RESIDENT)


class RequestListView(Open311View):
    def get_throttles(self):
        return [AnonymousPostThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="open311_requests",
        summary="Open311：查询服务请求（案件的公开字段）",
        description="不带时间条件时返回最近 90 天内受理的请求，最多 1000 条，按受理时间倒序。",
        parameters=REQUEST_FILTERS,
        responses={200: Open311RequestSerializer(many=True), **_errors(400)},
        tags=["open311"],
    )
    def get(self, request):
        filterset = Open311RequestFilterSet(request.query_params, Case.objects.none(), request=request)
        try:
            params = filterset.params()
        except InvalidFilters as error:
            raise ValidationError(error.messages) from None
        cases = _public_cases(request)
        if params["service_request_id"]:
            cases = cases.filter(code__in=params["service_request_id"])
        else:
            if params["service_code"]:
                cases = cases.filter(category__code__in=params["service_code"])
            start, end = params["start_date"], params["end_date"]
            if start is None and end is None:
                start = timezone.now() - DEFAULT_WINDOW
            if start is not None:
                cases = cases.filter(created_at__gte=start)
            if end is not None:
                cases = cases.filter(created_at__lte=end)
            wanted = set(params["status"])
            if wanted == {"open"}:
                cases = cases.exclude(status__in=CLOSED_STATUSES)
            elif wanted == {"closed"}:
                cases = cases.filter(status__in=CLOSED_STATUSES)
        return Response(Open311RequestSerializer(cases[:MAX_RESULTS], many=True).data)

    @extend_schema(
        operation_id="open311_request_create",
        summary="Open311：提交服务请求",
        description=(
            "匿名提交视为群众举报（须提供落在本系统辖区内的 lat/long，按来源地址限流）；"
            "登录用户（Token 或会话）提交视为 12345 热线案件，由本人上报。"
        ),
        request={
            "application/x-www-form-urlencoded": Open311CreateSerializer,
            "multipart/form-data": Open311CreateSerializer,
            "application/json": Open311CreateSerializer,
        },
        responses={201: Open311CreatedSerializer(many=True), **_errors(400, 403, 429)},
        tags=["open311"],
    )
    def post(self, request):
        serializer = Open311CreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lat, lng = data.get("lat"), data.get("long")
        common = {
            "category": data["service_code"],
            "description": data["description"],
            "address": data["address_string"],
            "lat": lat,
            "lng": lng,
            "reporter_name": f"{data['last_name']}{data['first_name']}".strip(),
            "reporter_phone": data["phone"],
        }
        if request.user.is_authenticated:
            source = (
                CaseSource.HOTLINE
                if request.user.role in workflow.DISPATCHERS
                else workflow.default_source(request.user)
            )
            case = services.case_report(actor=request.user, source=source, **common)
        else:
            place = services.locate_jurisdiction(lat, lng) if lat is not None else None
            if place is None:
                raise ValidationError(_("请提供问题所在位置（lat/long），且须位于本系统管辖的辖区内。"))
            case = services.case_report(actor=None, source=CaseSource.RESIDENT, jurisdiction=place, **common)
        notice = _("已受理，查询码 {tracking}。").format(tracking=case.tracking_code)
        return Response(
            [{"service_request_id": case.code, "service_notice": notice, "account_id": None}],
            status=status.HTTP_201_CREATED,
        )


class RequestDetailView(Open311View):
    @extend_schema(
        operation_id="open311_request",
        summary="Open311：单个服务请求",
        responses={200: Open311RequestSerializer(many=True), **_errors(404)},
        tags=["open311"],
    )
    def get(self, request, service_request_id):
        case = _public_cases(request).filter(code=service_request_id).first()
        if case is None:
            raise NotFound(_("没有该服务请求。"))
        return Response(Open311RequestSerializer([case], many=True).data)
