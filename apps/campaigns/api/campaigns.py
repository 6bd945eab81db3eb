"""Campaigns and their tasks over the API: scoped reads; a task's progress changes by PATCH through
the same service as the pages (who works on it, version check: a stale version answers 409)."""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from apps.core.api import ErrorSerializer, ScopedViewSetMixin

from ..filters.campaigns import CampaignFilterSet
from ..filters.tasks import TaskFilterSet
from ..models import Campaign, CampaignGroup, Task
from ..services import tasks as services
from .campaign_serializers import CampaignSerializer, TaskProgressSerializer, TaskSerializer


class CampaignViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns the caller sees (their area's and those above it) with phases and groups."""

    queryset = (
        Campaign.objects.select_related("jurisdiction", "standard_version__standard")
        .prefetch_related("phases", Prefetch("groups", queryset=CampaignGroup.objects.select_related("group")))
        .order_by("-starts_on", "-id")
    )
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet


@extend_schema_view(
    partial_update=extend_schema(
        request=TaskProgressSerializer,
        responses={
            200: TaskSerializer,
            400: OpenApiResponse(ErrorSerializer, description="输入无效或任务已完成"),
            403: OpenApiResponse(ErrorSerializer, description="不是该任务的责任人或区域管理人员"),
            404: OpenApiResponse(ErrorSerializer, description="任务不存在或不在管辖范围内"),
            409: OpenApiResponse(ErrorSerializer, description="version 已过期：他人已修改该任务"),
        },
        summary="更新任务进度",
    )
)
class TaskViewSet(ScopedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks of the breakdown in the caller's scope (filter by campaign, status, area, overdue…)."""

    queryset = Task.objects.select_related("item", "jurisdiction", "assignee").order_by("deadline", "id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        # Progress is changed by whoever works on the task (service check), so read with "view".
        return self.queryset.restrict(self.request.user, "view")

    def get_serializer_class(self):
        return TaskProgressSerializer if self.action == "partial_update" else TaskSerializer

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        serializer = TaskProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            task = services.task_progress(
                actor=request.user,
                task=task,
                progress=data["progress"],
                expected_version=data["version"],
                note=data.get("note", ""),
            )
        task = self.queryset.get(pk=task.pk)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)
