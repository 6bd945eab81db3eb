"""API of the evidence ledger: /api/v1/campaign-evidence/, the pieces filed under items (read-only,
scoped like the ledger: a community reads the pieces filed inside its area)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin
from apps.core.filters import FlagFilter, IntegerFilter, StrictFilterSet

from ..models import EvidenceLink


class EvidenceLinkFilterSet(StrictFilterSet):
    campaign = IntegerFilter(label=_("创建项目"), field_name="campaign_id")
    item = IntegerFilter(label=_("标准小项"), field_name="item_id")
    active = FlagFilter(label=_("有效"), field_name="is_active")

    class Meta:
        model = EvidenceLink
        fields = []


class EvidenceLinkSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    requirement_name = serializers.CharField(source="requirement.name", read_only=True, default=None)

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "campaign",
            "item",
            "item_code",
            "requirement",
            "requirement_name",
            "kind",
            "source",
            "object_id",
            "title",
            "occurred_on",
            "jurisdiction_path",
            "url",
            "document",
            "added_at",
            "is_active",
        ]


class EvidenceLinkViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Pieces of evidence filed under the items of campaigns, newest first."""

    queryset = EvidenceLink.objects.select_related("item", "requirement").order_by("-added_at", "-id")
    serializer_class = EvidenceLinkSerializer
    filterset_class = EvidenceLinkFilterSet
