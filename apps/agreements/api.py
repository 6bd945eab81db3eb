"""API of agreements: /api/v1/agreements/ (read-only, scoped like the pages, with the list's
filters); signatories masked as on the page."""

from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin
from apps.core.personal import MaskedPersonalFieldsSerializerMixin

from .filters import AgreementFilterSet
from .models import Agreement


class AgreementSerializer(MaskedPersonalFieldsSerializerMixin, serializers.ModelSerializer):
    type = serializers.CharField(source="agreement_type.code", read_only=True)
    template_version_number = serializers.IntegerField(source="template_version.number", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "type",
            "template_version",
            "template_version_number",
            "jurisdiction",
            "party_unit",
            "party_jurisdiction",
            "party_name",
            "zone",
            "duties",
            "starts_on",
            "ends_on",
            "parent",
            "renews",
            "status",
            "is_latest",
            "signatory_name",
            "signatory_phone",
            "signed_on",
            "refused_reason",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class AgreementViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Responsibility agreements (责任书), newest first."""

    queryset = Agreement.objects.select_related("agreement_type", "template_version").order_by("-created_at", "-id")
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
