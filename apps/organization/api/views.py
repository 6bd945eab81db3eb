from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.core.api import ScopedViewSetMixin
from apps.organization import services
from apps.organization.filters import JurisdictionFilterSet, StaffFilterSet, UnitFilterSet, ZoneFilterSet
from apps.organization.models import Jurisdiction, Staff, Unit, Zone

from .serializers import JurisdictionSerializer, StaffSerializer, UnitSerializer, UnitUpdateSerializer, ZoneSerializer


class JurisdictionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Jurisdiction.objects.select_related("level").order_by("path")
    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilterSet


@extend_schema_view(
    update=extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer),
    partial_update=extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer),
)
class UnitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units; writes go through the same services as the pages (scope checks, audit, versions).

    An update must send the `version` it read; a stale version answers 409.
    """

    queryset = Unit.objects.select_related("unit_type", "jurisdiction").order_by("name", "id")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet

    def get_serializer_class(self):
        return UnitUpdateSerializer if self.action in ("update", "partial_update") else UnitSerializer

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        with transaction.atomic():
            serializer.instance = services.unit_update(
                actor=self.request.user, unit=serializer.instance, changes=changes, expected_version=version
            )


class StaffViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Staff.objects.select_related("jurisdiction").order_by("id")
    serializer_class = StaffSerializer
    filterset_class = StaffFilterSet


class ZoneViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Zone.objects.prefetch_related("assignments__unit", "assignments__staff").order_by("id")
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
