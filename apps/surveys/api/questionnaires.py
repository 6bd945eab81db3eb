"""Read-only JSON API: /api/v1/questionnaires/ — surveys in the caller's scope (and the levels
above it), each with its current version's questions and options; filtered like the list."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.builder import QuestionnaireFilterSet
from ..models import Option, Question, Questionnaire


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
