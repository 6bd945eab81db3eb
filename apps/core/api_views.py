from rest_framework import serializers, viewsets

from .api import ScopedViewSetMixin
from .filters import AuditEventFilterSet
from .models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "occurred_at", "actor_name", "action", "object_type", "object_id", "object_repr", "data"]


class AuditEventViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AuditEvent.objects.select_related("content_type").order_by("-occurred_at", "-id")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
