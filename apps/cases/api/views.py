"""Cases over the API: scoped reads, 上报, and one POST endpoint per workflow step, generated
from the case transition table (CASE_WORKFLOW) and each route's input (STEP_INPUTS).

Every step goes through the same service as the pages (lock, transition table, role,
scope, audit). Each step must send the `version` it read; a stale one answers 409.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api import ErrorSerializer, KeysetPagination, ScopedViewSetMixin

from .. import selectors, services, workflow
from ..choices import CaseSource
from ..filters import CaseFilterSet
from ..models import Case, CaseEvent, CasePhoto
from .serializers import (
    API_ACTIONS,
    CASE_STATUS_FILTER_CHOICES,
    CaseDetailSerializer,
    CasePhotoSerializer,
    CaseReportSerializer,
    CaseReportUploadSerializer,
    CaseSerializer,
    DispatchSerializer,
    HandleSerializer,
    HandleUploadSerializer,
    PhotoUploadSerializer,
    ReasonSerializer,
    RegisterSerializer,
    SuspendSerializer,
    VerifySerializer,
    VerifyUploadSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入无效或当前状态下不能执行该操作"),
    403: OpenApiResponse(ErrorSerializer, description="角色无权执行此操作"),
    404: OpenApiResponse(ErrorSerializer, description="案件不存在或不在管辖范围内"),
}
STEP_ERRORS = {**ERRORS, 409: OpenApiResponse(ErrorSerializer, description="version 已过期：他人已修改该案件")}

LIST_FILTERS = [
    OpenApiParameter(
        "status",
        str,
        description="状态；open = 所有未结案状态，overdue = 处置中且已超期",
        enum=CASE_STATUS_FILTER_CHOICES,
    ),
    OpenApiParameter("category", int, description="问题类别 id（大类时包含其全部小类）"),
    OpenApiParameter("source", str, enum=CaseSource.values),
    OpenApiParameter("jurisdiction", int, description="辖区 id（含下级辖区）"),
    OpenApiParameter("unit", int, description="责任单位 id"),
    OpenApiParameter("recurrence", bool, description="只看重复发生的案件"),
    OpenApiParameter("q", str, description="编号、地点或描述包含的文字"),
]


def _json_and_multipart(json_serializer, multipart_serializer):
    return {"application/json": json_serializer, "multipart/form-data": multipart_serializer}


@dataclass(frozen=True)
class StepInput:
    """The API's input of one step route: its serializer (and schema request), docs and the service call."""

    serializer: type
    summary: str
    call: Callable
    request: object = None
    description: str = ""


# One POST route per step of CASE_WORKFLOW (API_ACTIONS: 核查 is one route with passed=true/false;
# 合并 is on the page only), each with its input. A test checks every route has one.
STEP_INPUTS = {
    "register": StepInput(
        RegisterSerializer,
        "立案（核实）",
        lambda user, case, version, data: services.case_register(
            actor=user, case=case, expected_version=version, note=data["note"]
        ),
    ),
    "reject": StepInput(
        ReasonSerializer,
        "不予立案",
        lambda user, case, version, data: services.case_reject(
            actor=user, case=case, expected_version=version, reason=data["reason"]
        ),
    ),
    "dispatch": StepInput(
        DispatchSerializer,
        "派遣",
        lambda user, case, version, data: services.case_dispatch(
            actor=user,
            case=case,
            expected_version=version,
            unit=data.get("unit"),
            staff=data.get("staff"),
            deadline_at=data.get("deadline_at"),
            note=data["note"],
        ),
        description="派遣给责任单位（unit）或责任人（staff），可指定处置时限。",
    ),
    "handle": StepInput(
        HandleUploadSerializer,
        "处置反馈",
        lambda user, case, version, data: services.case_handle(
            actor=user, case=case, expected_version=version, note=data["note"], photos=data["photos"]
        ),
        request=_json_and_multipart(HandleSerializer, HandleUploadSerializer),
        description="责任单位联系人或责任人（以及调度人员）反馈整改结果；类别要求拍照时须以 multipart 附整改后照片。",
    ),
    "dispute": StepInput(
        ReasonSerializer,
        "回退（不属于本单位）",
        lambda user, case, version, data: services.case_dispute(
            actor=user, case=case, expected_version=version, reason=data["reason"]
        ),
    ),
    "verify": StepInput(
        VerifyUploadSerializer,
        "核查",
        lambda user, case, version, data: services.case_verify(
            actor=user,
            case=case,
            expected_version=version,
            passed=data["passed"],
            note=data["note"],
            photos=data["photos"],
        ),
        request=_json_and_multipart(VerifySerializer, VerifyUploadSerializer),
        description="passed=true 结案；false 返工。",
    ),
    "suspend": StepInput(
        SuspendSerializer,
        "挂账",
        lambda user, case, version, data: services.case_suspend(
            actor=user, case=case, expected_version=version, plan=data["plan"], review_on=data["review_on"]
        ),
    ),
    "void": StepInput(
        ReasonSerializer,
        "作废",
        lambda user, case, version, data: services.case_void(
            actor=user, case=case, expected_version=version, reason=data["reason"]
        ),
    ),
}
ROUTE_TRANSITIONS: dict[str, list[str]] = {}
for _name, _route in API_ACTIONS.items():
    ROUTE_TRANSITIONS.setdefault(_route, []).append(_name)


def _method_name(route: str) -> str:
    # Not named `dispatch`: that is APIView's request entry point.
    return "dispatch_case" if route == "dispatch" else route


def _step_schema(summary: str, request, description: str = ""):
    return extend_schema(
        summary=summary, description=description, request=request, responses={200: CaseDetailSerializer, **STEP_ERRORS}
    )


@extend_schema_view(
    list=extend_schema(
        summary="案件列表（仅管辖范围内）",
        description="按上报时间倒序；每页 50 条，沿应答中的 next / previous 链接（cursor）翻页。"
        "旧式 ?page= 仍可使用（应答含 count）。",
        parameters=LIST_FILTERS,
    ),
    retrieve=extend_schema(
        summary="案件详情（含流程记录与照片）", responses={200: CaseDetailSerializer, 404: ERRORS[404]}
    ),
)
class CaseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases in the caller's scope; unit contacts see only the cases dispatched to their unit."""

    queryset = Case.objects.select_related(
        "category",
        "category__parent",
        "jurisdiction",
        "assignee_unit",
        "assignee_staff",
        "merged_into",
        "recurrence_of",
    ).order_by("-created_at", "-id")
    serializer_class = CaseSerializer
    # Pages by key (`?cursor=` from `next`); `?page=` still answers with page numbers.
    pagination_class = KeysetPagination
    # The page's filters (the list's only: a detail or a step is never narrowed by the query).
    filterset_class = CaseFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_map_to_permission = {
        **ScopedViewSetMixin.action_map_to_permission,
        **{_method_name(route): "change" for route in ROUTE_TRANSITIONS},
        # Anyone who sees the case sees its photos; adding one is checked in the view.
        "photos": "view",
    }

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        if self.action == "create":
            return CaseReportUploadSerializer
        return CaseSerializer

    def get_object(self):
        case = super().get_object()
        if self.action == "retrieve":
            return self._detail_instance(case.pk)
        return case

    def _detail_instance(self, pk) -> Case:
        return (
            Case.objects.select_related(
                "category",
                "category__parent",
                "jurisdiction",
                "assignee_unit",
                "assignee_staff",
                "merged_into",
                "recurrence_of",
            )
            .prefetch_related(
                # The actor decides whether an event reports the problem (apps/cases/privacy.py).
                Prefetch(
                    "events",
                    queryset=CaseEvent.objects.select_related("actor__staff_record").prefetch_related("photos"),
                ),
                "photos",
            )
            .get(pk=pk)
        )

    def _detail_response(self, pk, status_code=status.HTTP_200_OK) -> Response:
        serializer = CaseDetailSerializer(self._detail_instance(pk), context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    # 上报 -----------------------------------------------------------------------------------

    @extend_schema(
        summary="上报案件",
        description=(
            "JSON（无照片）或 multipart/form-data（可附多张 `photos`）。巡查/检查来源的案件按类别要求必须附照片。"
        ),
        request=_json_and_multipart(CaseReportSerializer, CaseReportUploadSerializer),
        responses={201: CaseDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        serializer = CaseReportUploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("source", workflow.default_source(request.user))
        case = services.case_report(actor=request.user, **data)
        # Built from what the service wrote: a new case has nothing else to read back.
        serializer = CaseDetailSerializer(selectors.case_as_reported(case), context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    # Workflow steps: generated from CASE_WORKFLOW below (STEP_INPUTS) ---------------------------

    def _step(self, request, route: str, serializer_class, call) -> Response:
        """Role first (403), then the case in scope (404), then the input (400), then the service."""
        if not any(workflow.CASE_WORKFLOW[name].role_allows(request.user) for name in ROUTE_TRANSITIONS[route]):
            raise PermissionDenied(_("您的角色无权执行此操作。"))
        case = self.get_object()
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        updated = call(request.user, case, version, data)
        return self._detail_response(updated.pk)

    # Photos -----------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="案件照片",
        request=None,
        responses={200: CasePhotoSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="补充照片",
        description="调度人员（创卫办、街道、社区）或该案件的责任方可为未结案的案件补充照片，记入流程。",
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: CasePhotoSerializer(many=True), **ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filter_backends=[],  # the case list's filters are not this action's parameters
    )
    def photos(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            photos = CasePhoto.objects.filter(case=case).order_by("created_at", "id")
            return Response(CasePhotoSerializer(photos, many=True, context=self.get_serializer_context()).data)
        if not workflow.may_add_photos(case, request.user):
            raise PermissionDenied(_("您无权为该案件补充照片。"))
        serializer = PhotoUploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        added = services.case_add_photos(
            actor=request.user, case=case, photos=data["photos"], note=data["note"], stage=data.get("stage") or None
        )
        return Response(
            CasePhotoSerializer(added, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def _step_route(route: str, spec: StepInput):
    def step(self, request, pk=None):
        return self._step(request, route, spec.serializer, spec.call)

    step.__name__ = step.__qualname__ = _method_name(route)
    step = action(detail=True, methods=["post"], url_path=route, url_name=route)(step)
    return _step_schema(spec.summary, spec.request or spec.serializer, spec.description)(step)


for _route, _spec in STEP_INPUTS.items():
    setattr(CaseViewSet, _method_name(_route), _step_route(_route, _spec))
