"""Read-only JSON API /api/v1/vector-surveys/: surveys in the caller's scope with their raw
counts, computed indices (with units) and grade (by the version in force on the survey's date),
filtered like the list."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.surveys import SurveyFilterSet
from ..grading import ThresholdCache
from ..models import MethodSetting, Survey
from ..selectors.surveys import decorate


class IndexSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_null=True)


class SurveySerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    indices = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    below_minimum = serializers.SerializerMethodField()
    version = VersionField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "method",
            "pest",
            "jurisdiction",
            "jurisdiction_name",
            "place_type",
            "unit",
            "place_name",
            "surveyed_on",
            "campaign",
            "phase",
            "status",
            "counts",
            "sample_size",
            "below_minimum",
            "indices",
            "grade",
            "version",
        ]

    def _decorated(self, survey) -> Survey:
        """The survey with its indices, grade and minimum as the pages show them (one rule:
        selectors.surveys.decorate), computed once per survey."""
        if not hasattr(survey, "computed"):
            decorate(
                [survey],
                cache=self.context.setdefault("threshold_cache", ThresholdCache()),
                minimums=self.context.setdefault("minimums", MethodSetting.minimums()),
            )
        return survey

    @extend_schema_field(IndexSerializer(many=True))
    def get_indices(self, survey) -> list:
        return [
            {
                "key": row["index"].key,
                "label": str(row["index"].label),
                "unit": row["index"].unit,
                # a decimal string, as the schema (IndexSerializer.value) says
                "value": None if row["value"] is None else f"{row['value']:.2f}",
                "grade": row["grade"],
            }
            for row in self._decorated(survey).computed
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_grade(self, survey):
        return self._decorated(survey).grade

    @extend_schema_field(serializers.BooleanField())
    def get_below_minimum(self, survey) -> bool:
        return self._decorated(survey).below_minimum


class SurveyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Vector surveys (病媒生物监测) in the caller's scope; filters as the list."""

    queryset = Survey.objects.select_related("jurisdiction").order_by("-surveyed_on", "-id")
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet
