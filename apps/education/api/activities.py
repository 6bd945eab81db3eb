"""Read-only JSON API: /api/v1/education-activities/ (with materials), scoped and filtered like
the list. The sign-in token is not exposed (the QR on the page is the way to it)."""

from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.activities import EducationActivityFilterSet
from ..models import EducationActivity, MaterialLine


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialLine
        fields = ["title", "quantity", "unit"]


class EducationActivitySerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    version = VersionField(read_only=True)

    class Meta:
        model = EducationActivity
        fields = [
            "id",
            "kind",
            "topic",
            "held_on",
            "place",
            "jurisdiction",
            "jurisdiction_name",
            "speaker",
            "organiser_unit",
            "audience",
            "attendance",
            "signed_in",
            "description",
            "status",
            "cancel_reason",
            "materials",
            "version",
        ]


class EducationActivityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Health-education activities in the caller's scope; filters as the list."""

    queryset = (
        EducationActivity.objects.select_related("jurisdiction")
        .prefetch_related("materials")
        .order_by("-held_on", "-id")
    )
    serializer_class = EducationActivitySerializer
    filterset_class = EducationActivityFilterSet
