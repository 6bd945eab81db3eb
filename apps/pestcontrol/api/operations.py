"""Read-only JSON API: /api/v1/pest-operations/ — operations with their drug lines (packages ×
size and the computed kg or L) and follow-up rates, scoped and filtered like the list."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField

from ..filters.operations import OperationFilterSet
from ..models import FollowUpCheck, Operation, OperationDrug
from ..services.operations import followup_rates


class DrugSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    active_ingredient = serializers.CharField(source="product.active_ingredient", read_only=True)
    registration_no = serializers.CharField(source="product.registration_no", read_only=True)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3, read_only=True)
    quantity_unit = serializers.SerializerMethodField()

    class Meta:
        model = OperationDrug
        fields = [
            "product",
            "product_name",
            "active_ingredient",
            "registration_no",
            "packages",
            "package_size",
            "package_unit",
            "quantity",
            "quantity_unit",
        ]

    def get_quantity_unit(self, obj) -> str:
        return "kg" if obj.package_unit == "g" else "L"


class FollowUpSerializer(serializers.ModelSerializer):
    purchase_rate = serializers.SerializerMethodField()
    retention_rate = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpCheck
        fields = [
            "checked_on",
            "households_checked",
            "households_bought",
            "households_retained",
            "purchase_rate",
            "retention_rate",
        ]

    def _rates(self, obj):
        return followup_rates(obj.households_checked, obj.households_bought, obj.households_retained)

    def get_purchase_rate(self, obj) -> str | None:
        value = self._rates(obj)["purchase_rate"]
        return None if value is None else str(value)

    def get_retention_rate(self, obj) -> str | None:
        value = self._rates(obj)["retention_rate"]
        return None if value is None else str(value)


class OperationSerializer(serializers.ModelSerializer):
    # "HH:MM" local time as a plain string: JSON Schema's "time" format asks for a UTC offset.
    started_at = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_started_at(self, obj) -> str | None:
        return obj.started_at.strftime("%H:%M") if obj.started_at else None

    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    drugs = DrugSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    version = VersionField(read_only=True)

    class Meta:
        model = Operation
        fields = [
            "id",
            "jurisdiction",
            "jurisdiction_name",
            "campaign",
            "kind",
            "performed_on",
            "started_at",
            "pests",
            "methods",
            "place",
            "area_m2",
            "drains_cleared",
            "channels_cleared",
            "breeding_sites_cleared",
            "households_covered",
            "executor_kind",
            "contractor",
            "team",
            "notes",
            "drugs",
            "follow_ups",
            "version",
        ]


class OperationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Operations in the caller's scope; filters as the list (jurisdiction, start, end, pest,
    campaign, kind)."""

    queryset = (
        Operation.objects.select_related("jurisdiction")
        .prefetch_related(Prefetch("drugs", queryset=OperationDrug.objects.select_related("product")), "follow_ups")
        .order_by("-performed_on", "-id")
    )
    serializer_class = OperationSerializer
    filterset_class = OperationFilterSet
