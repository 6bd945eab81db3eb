from rest_framework import serializers

from apps.inspections.models import Inspection, InspectionResult, PublishedRanking


class InspectionResultSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_text = serializers.CharField(source="item.text", read_only=True)
    max_score = serializers.DecimalField(source="item.max_score", max_digits=6, decimal_places=1, read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True, default=None)

    class Meta:
        model = InspectionResult
        fields = [
            "item_code",
            "item_text",
            "max_score",
            "occurrences",
            "passed",
            "deduction",
            "original_deduction",
            "note",
            "case",
            "case_code",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    """A sheet with its checklist version and every recorded finding, so a score can be explained."""

    template = serializers.CharField(source="checklist.template.name", read_only=True)
    checklist_version = serializers.IntegerField(source="checklist.number", read_only=True)
    target = serializers.CharField(source="target_label", read_only=True)
    inspector_name = serializers.CharField(source="inspector.display_name", read_only=True, default=None)
    results = InspectionResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "round",
            "template",
            "checklist_version",
            "target",
            "target_unit",
            "target_jurisdiction",
            "inspector",
            "inspector_name",
            "status",
            "inspected_on",
            "max_total",
            "total",
            "percent",
            "vetoed",
            "original_total",
            "original_percent",
            "appeal_until",
            "results",
            "version",
        ]


class PublishedRankingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedRanking
        fields = [
            "id",
            "jurisdiction",
            "period_kind",
            "period_start",
            "period_end",
            "level_key",
            "level_label",
            "title",
            "number",
            "issuer",
            "weights",
            "rules",
            "rows",
            "is_public",
            "revision",
            "created_at",
            "updated_at",
        ]
