from django.db.models import Prefetch
from rest_framework import viewsets

from apps.core.api import ScopedViewSetMixin
from apps.inspections.filters import InspectionFilterSet
from apps.inspections.models import Inspection, InspectionResult, PublishedRanking

from .serializers import InspectionSerializer, PublishedRankingSerializer


class InspectionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Score sheets in the caller's scope (units: their own submitted sheets), findings included."""

    queryset = (
        Inspection.objects.select_related("checklist__template", "target_unit", "target_jurisdiction", "inspector")
        .prefetch_related(Prefetch("results", queryset=InspectionResult.objects.select_related("item", "case")))
        .order_by("-inspected_on", "-id")
    )
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet


class PublishedRankingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published rankings: the caller's own area's, and public ones published above it."""

    queryset = PublishedRanking.objects.order_by("-period_start", "-id")
    serializer_class = PublishedRankingSerializer
