from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api import VersionField
from apps.core.personal import MaskedPersonalFieldsSerializerMixin
from apps.organization.models import Jurisdiction, Staff, Unit, Zone


class JurisdictionSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.name", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = [
            "id",
            "parent",
            "level",
            "code",
            "name",
            "depth",
            "population",
            "households",
            "area_km2",
            "boundary",
            "center_lat",
            "center_lng",
            "version",
        ]


class UnitSerializer(MaskedPersonalFieldsSerializerMixin, serializers.ModelSerializer):
    """A unit as read and created (a new unit starts at version 1); its contact's phone masked
    (apps/core/personal.py), a masked value sent back kept."""

    version = VersionField(read_only=True)
    unit_type_name = serializers.CharField(source="unit_type.name", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "unit_type",
            "unit_type_name",
            "jurisdiction",
            "jurisdiction_name",
            "address",
            "lat",
            "lng",
            "contact_name",
            "contact_phone",
            "status",
            "credit_code",
            "version",
        ]
        read_only_fields = ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only jurisdictions inside the caller's scope are acceptable (others read as missing).
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(request.user)


class UnitUpdateSerializer(UnitSerializer):
    """A change to a unit (PUT or PATCH): it must carry the `version` it read; a stale one answers 409."""

    version = VersionField()

    def validate(self, attrs):
        attrs = super().validate(attrs)  # a masked phone sent back keeps the stored number
        # PATCH skips absent fields, the version included: ask for it here.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("必须提供读取时的 version（乐观锁）。")]})
        return attrs


class StaffSerializer(MaskedPersonalFieldsSerializerMixin, serializers.ModelSerializer):
    """A member of staff; the phone masked (apps/core/personal.py)."""

    class Meta:
        model = Staff
        fields = ["id", "name", "post", "phone", "jurisdiction", "unit", "is_active"]


class ZoneSerializer(serializers.ModelSerializer):
    current_holder = serializers.SerializerMethodField()

    class Meta:
        model = Zone
        fields = ["id", "name", "kind", "jurisdiction", "boundary", "addresses", "requirements", "current_holder"]

    def get_current_holder(self, zone) -> str | None:
        holder = zone.current_holder
        return str(holder) if holder else None
