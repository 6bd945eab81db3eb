"""Serializers of campaigns and their tasks (read), and the progress change (PATCH)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api import VersionField

from ..models import Campaign, CampaignGroup, CampaignPhase, Task


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignPhase
        fields = ["kind", "name", "starts_on", "ends_on", "work"]


class GroupSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = CampaignGroup
        fields = ["group", "name", "role", "duties"]


class CampaignSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    standard = serializers.CharField(source="standard_version.standard.name", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    groups = GroupSerializer(many=True, read_only=True)
    version = VersionField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "level",
            "status",
            "jurisdiction",
            "jurisdiction_name",
            "standard_version",
            "standard",
            "parent",
            "starts_on",
            "ends_on",
            "goal",
            "guidance",
            "phases",
            "groups",
            "version",
        ]


class TaskSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True, default=None)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.display_name", read_only=True, default=None)
    version = VersionField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "item",
            "item_code",
            "title",
            "description",
            "evidence_required",
            "jurisdiction",
            "jurisdiction_name",
            "group",
            "unit",
            "assignee",
            "assignee_name",
            "deadline",
            "progress",
            "status",
            "origin",
            "completed_at",
            "completion_note",
            "version",
        ]
        read_only_fields = fields


class TaskProgressSerializer(serializers.Serializer):
    """A progress change (PATCH): the new progress and the `version` read; a stale one answers 409."""

    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = VersionField()

    def validate(self, attrs):
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("必须提供读取时的 version（乐观锁）。")]})
        return attrs
