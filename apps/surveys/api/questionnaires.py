"""Read-only JSON API: /api/v1/questionnaires/ — surveys in the caller's scope (and the levels
above it), each with its current version's questions and options; filtered like the list."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.builder import QuestionnaireFilterSet
from ..models import Option, Question, Questionnaire
from ..services import questionnaires as services
from ..workflow import QUESTIONNAIRE_WORKFLOW


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "sort", "text", "is_correct", "is_healthy", "score", "value", "community"]


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "sort", "text", "kind", "role", "demographic", "required", "help_text", "options"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    version_number = serializers.IntegerField(source="current_version.number", read_only=True, allow_null=True)
    questions = serializers.SerializerMethodField()
    version = VersionField(read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "jurisdiction",
            "jurisdiction_name",
            "title",
            "description",
            "status",
            "standard",
            "aware_share",
            "behaviour_share",
            "positive_from",
            "public_enabled",
            "device_window_hours",
            "planned_start",
            "planned_end",
            "opened_at",
            "closed_at",
            "version_number",
            "questions",
            "version",
        ]

    def get_questions(self, obj) -> list[dict]:
        if obj.current_version is None:
            return []
        return QuestionSerializer(obj.current_version.questions.all(), many=True).data


class StepSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=QUESTIONNAIRE_WORKFLOW.names())
    version = VersionField()


class QuestionnaireViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Questionnaires in the caller's scope; filters as the list (status, q)."""

    queryset = (
        Questionnaire.objects.select_related("jurisdiction", "current_version")
        .prefetch_related(
            Prefetch(
                "current_version__questions",
                queryset=Question.objects.order_by("sort", "id").prefetch_related("options"),
            )
        )
        .order_by("-created_at", "-id")
    )
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilterSet

    action_map_to_permission = {"list": "view", "retrieve": "view", "step": "change"}

    @extend_schema(
        summary="开始或结束调查",
        description="按问卷流程开始（open）或结束（close，冻结结果）调查；只有创建问卷的层级可以操作。",
        request=StepSerializer,
        responses={200: QuestionnaireSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def step(self, request, pk=None):
        questionnaire = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.questionnaire_step(
            actor=request.user, questionnaire=questionnaire, step=data["name"], expected_version=data.get("version")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=questionnaire.pk)).data)
