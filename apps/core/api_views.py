from rest_framework import serializers, viewsets

from .api import ScopedViewSetMixin
from .filters import AuditEventFilterSet
from .models import AuditEvent
from .personal import record_data


class AuditEventSerializer(serializers.ModelSerializer):
    """An audit row; a person's name or phone in its data masked, as on the audit page."""

    object_type = serializers.CharField(source="content_type.model", read_only=True)
    data = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "occurred_at", "actor_name", "action", "object_type", "object_id", "object_repr", "data"]

    def get_data(self, event) -> dict:
        return record_data(f"{event.content_type.app_label}.{event.content_type.model}", event.data)


class AuditEventViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AuditEvent.objects.select_related("content_type").order_by("-occurred_at", "-id")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
