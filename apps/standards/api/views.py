from django.db.models import Prefetch
from rest_framework import viewsets

from apps.core.api import ScopedViewSetMixin
from apps.standards.filters import StandardFilterSet
from apps.standards.models import Standard, StandardItem, StandardSection

from .serializers import StandardDetailSerializer, StandardSerializer


class StandardViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Standards (read-only): the list, and one standard with its current version's tree."""

    queryset = Standard.objects.select_related("current_version").order_by("kind", "name", "id")
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet

    def get_serializer_class(self):
        return StandardDetailSerializer if self.action == "retrieve" else StandardSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            items = StandardItem.objects.prefetch_related("indicators", "requirements")
            sections = StandardSection.objects.prefetch_related(Prefetch("items", queryset=items))
            qs = qs.prefetch_related("versions", Prefetch("current_version__sections", queryset=sections))
        return qs
