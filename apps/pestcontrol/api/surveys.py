"""Read-only JSON API /api/v1/vector-surveys/: surveys in the caller's scope with their raw
counts, computed indices (with units) and grade (by the version in force on the survey's date),
filtered like the list."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.surveys import SurveyFilterSet, min_samples
from ..grading import ThresholdCache
from ..models import Survey


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

    def _thresholds(self, survey):
        cache = self.context.setdefault("threshold_cache", ThresholdCache())
        return cache.for_date(survey.pest, survey.surveyed_on)

    @extend_schema_field(IndexSerializer(many=True))
    def get_indices(self, survey) -> list:
        thresholds = self._thresholds(survey)
        values = survey.indices()
        return [
            {
                "key": index.key,
                "label": str(index.label),
                "unit": index.unit,
                "value": values.get(index.key),
                "grade": thresholds.grade(index.key, survey.place_type, values.get(index.key))
                if index.graded
                else None,
            }
            for index in survey.definition.indices
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_grade(self, survey):
        values = {
            i.key: v for i, v in ((i, survey.indices().get(i.key)) for i in survey.definition.indices if i.graded)
        }
        return self._thresholds(survey).place_grade(values, survey.place_type)

    @extend_schema_field(serializers.BooleanField())
    def get_below_minimum(self, survey) -> bool:
        minimums = self.context.setdefault("minimums", min_samples())
        return survey.sample_size < minimums.get(survey.method, 0)


class SurveyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Vector surveys (病媒生物监测) in the caller's scope; filters as the list."""

    queryset = Survey.objects.select_related("jurisdiction").order_by("-surveyed_on", "-id")
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet
