"""Meetings over the API: scoped, read-only lists and details with the pages' filters."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from apps.core.api import ScopedViewSetMixin

from ..choices import InviteSource
from ..filters import DecisionFilterSet, MeetingFilterSet
from ..models import Attendee, Decision, Meeting


class AttendeeSerializer(serializers.ModelSerializer):
    invited_as = serializers.ChoiceField(source="source", choices=InviteSource.choices, read_only=True)

    class Meta:
        model = Attendee
        fields = ["id", "name", "post", "invited_as", "signed_at", "method"]


class DecisionSerializer(serializers.ModelSerializer):
    meeting_topic = serializers.CharField(source="meeting.topic", read_only=True)
    owner = serializers.CharField(source="owner_label", read_only=True)
    tracked_status = serializers.CharField(read_only=True)
    done_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "meeting_topic",
            "number",
            "kind",
            "text",
            "owner",
            "owner_user",
            "owner_unit",
            "owner_jurisdiction",
            "deadline",
            "task",
            "tracked_status",
            "done_on_time",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    attendees = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "recurrence",
            "topic",
            "jurisdiction",
            "jurisdiction_name",
            "campaign",
            "starts_at",
            "held_at",
            "place",
            "host",
            "recorder",
            "guests",
            "points",
            "status",
            "previous",
            "attendees",
            "decisions",
        ]

    @extend_schema_field(AttendeeSerializer(many=True))
    def get_attendees(self, obj):
        return AttendeeSerializer([a for a in obj.attendees.all() if a.invited], many=True).data

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, obj):
        return DecisionSerializer(obj.decisions.all(), many=True).data


class MeetingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings the caller sees, with the invited people's sign-in and the decisions."""

    queryset = (
        Meeting.objects.select_related("jurisdiction")
        .prefetch_related(
            "attendees",
            "decisions__meeting",
            "decisions__owner_user",
            "decisions__owner_unit",
            "decisions__owner_jurisdiction",
            "decisions__task",
        )
        .order_by("-starts_at", "-id")
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet


class DecisionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Decisions in the caller's scope, with the status they read from their task."""

    queryset = Decision.objects.select_related(
        "meeting", "owner_user", "owner_unit", "owner_jurisdiction", "task"
    ).order_by("-meeting__starts_at", "number", "id")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
