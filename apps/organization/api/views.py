from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from apps.core.api import ScopedViewSetMixin
from apps.core.filters import parse_strict_int
from apps.organization import services
from apps.organization.filters import JurisdictionFilterSet, StaffFilterSet, UnitFilterSet, ZoneFilterSet
from apps.organization.models import Jurisdiction, Staff, Unit, Zone

from .serializers import JurisdictionSerializer, StaffSerializer, UnitSerializer, ZoneSerializer


class JurisdictionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Jurisdiction.objects.select_related("level").order_by("path")
    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilterSet


class UnitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units; writes go through the same services as the pages (scope checks, audit, versions).

    An update must send the `version` it read; a stale version answers 409.
    """

    queryset = Unit.objects.select_related("unit_type", "jurisdiction").order_by("name", "id")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        version = self.request.data.get("version")
        if version in (None, ""):
            raise ValidationError({"version": ["必须提供读取时的 version（乐观锁）。"]})
        try:
            version = parse_strict_int(version, label=_("版本号"))
        except DjangoValidationError as error:
            raise ValidationError({"version": error.messages}) from None
        with transaction.atomic():
            serializer.instance = services.unit_update(
                actor=self.request.user,
                unit=serializer.instance,
                changes=serializer.validated_data,
                expected_version=version,
            )


class StaffViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Staff.objects.select_related("jurisdiction").order_by("id")
    serializer_class = StaffSerializer
    filterset_class = StaffFilterSet


class ZoneViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Zone.objects.prefetch_related("assignments__unit", "assignments__staff").order_by("id")
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
