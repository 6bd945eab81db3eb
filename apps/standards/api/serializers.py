from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.standards.choices import Comparator, ItemKind, MeasureKind, StandardKind
from apps.standards.models import (
    EvidenceRequirement,
    Standard,
    StandardIndicator,
    StandardItem,
    StandardSection,
    StandardVersion,
)


def choice_field(choices, name: str):
    """A read-only choice with its own named enum component: "kind" names two different choice
    sets here (a standard's, an item's), which drf-spectacular could only name by a hash."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]}, component_name=name)
    class Field(serializers.ChoiceField):
        pass

    return Field(choices=choices, read_only=True)


class IndicatorSerializer(serializers.ModelSerializer):
    measure = choice_field(MeasureKind.choices, "StandardMeasureEnum")
    comparator = choice_field(Comparator.choices, "StandardComparatorEnum")

    class Meta:
        model = StandardIndicator
        fields = ["id", "name", "measure", "comparator", "threshold", "unit", "figure_key", "is_example"]


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceRequirement
        fields = ["id", "name", "min_count", "source", "category", "tag"]


class ItemSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)
    kind = choice_field(ItemKind.choices, "StandardItemKindEnum")

    class Meta:
        model = StandardItem
        fields = [
            "id",
            "code",
            "text",
            "method",
            "kind",
            "points",
            "evidence_note",
            "is_example",
            "indicators",
            "requirements",
        ]


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = StandardSection
        fields = ["id", "code", "name", "is_example", "items"]


class VersionSerializer(serializers.ModelSerializer):
    """A version with its whole tree: sections, items, indicators and evidence requirements."""

    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = StandardVersion
        fields = ["id", "number", "note", "source", "created_at", "sections"]


class StandardSerializer(serializers.ModelSerializer):
    current_version_number = serializers.IntegerField(
        source="current_version.number", read_only=True, default=None, allow_null=True
    )
    kind = choice_field(StandardKind.choices, "StandardKindEnum")

    class Meta:
        model = Standard
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "issuer",
            "year",
            "description",
            "is_example",
            "is_active",
            "current_version",
            "current_version_number",
            "version",
        ]


class StandardDetailSerializer(StandardSerializer):
    """A standard with its current version's tree and the numbers of all its versions."""

    current = VersionSerializer(source="current_version", read_only=True, allow_null=True)
    version_numbers = serializers.SerializerMethodField()

    class Meta(StandardSerializer.Meta):
        fields = [*StandardSerializer.Meta.fields, "version_numbers", "current"]

    def get_version_numbers(self, obj) -> list[int]:
        return sorted((v.number for v in obj.versions.all()), reverse=True)
