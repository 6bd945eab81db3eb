"""Read-only JSON API: /api/v1/activities/ (with participants and outputs) and
/api/v1/volunteers/ (name and phone masked as on the pages), scoped and filtered like the lists."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin, VersionField
from apps.core.personal import MaskedPersonalFieldsSerializerMixin

from .filters import ActivityFilterSet, VolunteerFilterSet
from .models import Activity, Output, Participation, Volunteer


class ParticipationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participation
        fields = ["kind", "count"]


class OutputSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code", read_only=True)
    measure_name = serializers.CharField(source="measure.label", read_only=True)
    unit = serializers.CharField(source="measure.unit_label", read_only=True)

    class Meta:
        model = Output
        fields = ["measure", "measure_name", "unit", "quantity", "material", "location"]


class ActivitySerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    participants = ParticipationSerializer(many=True, read_only=True)
    outputs = OutputSerializer(many=True, read_only=True)
    version = VersionField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "place",
            "jurisdiction",
            "jurisdiction_name",
            "areas",
            "organiser",
            "organiser_unit",
            "description",
            "status",
            "cancel_reason",
            "participants",
            "outputs",
            "version",
        ]


class ActivityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Activities in the caller's scope (owned or covering an area there); filters as the list."""

    queryset = (
        Activity.objects.select_related("jurisdiction")
        .prefetch_related(
            "areas",
            Prefetch("participants", queryset=Participation.objects.filter(count__gt=0)),
            Prefetch("outputs", queryset=Output.objects.select_related("measure")),
        )
        .order_by("-held_on", "-id")
    )
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet


class VolunteerSerializer(MaskedPersonalFieldsSerializerMixin, serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True, default=None)
    full_name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    version = VersionField(read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "full_name", "phone", "team", "team_name", "skills", "jurisdiction", "is_active", "version"]


class VolunteerViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The volunteer register in the caller's scope; names and phones masked (null where withheld)."""

    queryset = Volunteer.objects.select_related("team").order_by("jurisdiction__path", "id")
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilterSet
