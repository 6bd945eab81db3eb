"""Serializers of the case API: read shapes (list, detail with timeline and photos) and the
input of each workflow step. Writes never go through `save()`: the views call the services."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core import personal
from apps.core.api import VersionField
from apps.core.api_fields import FieldsBuiltOnceMixin
from apps.core.exceptions import DomainError
from apps.organization.models import Jurisdiction, Staff, Unit
from apps.photos.services import check_count, check_upload

from .. import limits, privacy, workflow
from ..choices import CaseSource, CaseStatus, PhotoStage
from ..models import Case, CaseEvent, CasePhoto
from ..selectors import category_choices

SIX_PLACES = Decimal("0.000001")

# Each step of CASE_WORKFLOW -> its API route (POST /api/v1/cases/{id}/{route}/): the step's
# own name, except 核查 (one route, passed=true/false); 合并 is on the page only (it needs the
# duplicate picker).
API_GROUPS = {"verify_pass": "verify", "verify_fail": "verify"}
PAGE_ONLY = {"merge"}
API_ACTIONS = {
    t.name: API_GROUPS.get(t.name, t.name) for t in workflow.CASE_WORKFLOW.transitions if t.name not in PAGE_ONLY
}


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CaseStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=CaseStatus.choices, **kwargs)


class CaseStatusFieldSchema(OpenApiSerializerFieldExtension):
    """The case status as one named enum component, so it never collides with other "status" enums."""

    target_class = CaseStatusField

    def get_name(self):
        return "CaseStatusEnum"

    def map_serializer_field(self, auto_schema, direction):
        return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)


# Read shapes ---------------------------------------------------------------------------------


class CasePhotoSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    # Served through the scoped photo view: media files are never public.
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_image(self, photo) -> str:
        return self._absolute(photo.image_url)

    def get_thumbnail(self, photo) -> str:
        return self._absolute(photo.thumbnail_url)

    class Meta:
        model = CasePhoto
        fields = [
            "id",
            "event",
            "stage",
            "stage_label",
            "image",
            "thumbnail",
            "taken_at",
            "taken_lat",
            "taken_lng",
            "created_at",
        ]
        read_only_fields = fields


class CaseEventSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """One step of the timeline; `actor_name` follows the reporter rule (apps/cases/privacy.py)."""

    action_label = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()
    to_status_label = serializers.CharField(read_only=True)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "to_status_label",
            "actor_name",
            "note",
            "data",
            "photos",
            "created_at",
        ]
        read_only_fields = fields

    def get_action_label(self, event) -> str:
        return workflow.label(event.action)

    def get_actor_name(self, event) -> str:
        user = _request_user(self)
        return privacy.event_actor_display(event, user if user is not None and user.is_authenticated else None)


class CaseSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """A case as listed: what, where, who is responsible, and the clock."""

    status = CaseStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    category_group = serializers.SerializerMethodField()
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    assignee_unit_name = serializers.CharField(source="assignee_unit.name", read_only=True, default=None)
    assignee_staff_name = serializers.CharField(source="assignee_staff.name", read_only=True, default=None)
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "status",
            "status_label",
            "source",
            "source_label",
            "category",
            "category_code",
            "category_name",
            "category_group",
            "description",
            "address",
            "lat",
            "lng",
            "jurisdiction",
            "jurisdiction_name",
            "assignee_unit",
            "assignee_unit_name",
            "assignee_staff",
            "assignee_staff_name",
            "registered_at",
            "dispatched_at",
            "deadline_at",
            "deadline_state",
            "handled_at",
            "closed_at",
            "handled_on_time",
            "closed_on_time",
            "rework_count",
            "escalation_level",
            "listed_for_bulletin",
            "is_recurrence",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_category_group(self, case) -> str | None:
        parent = case.category.parent
        return parent.name if parent else None

    def get_deadline_state(self, case) -> str:
        """ "overdue", "due_soon", "ok", or "" when no clock runs."""
        return case.deadline_state()


class CaseDetailSerializer(CaseSerializer):
    """One case with its timeline and photos, and the steps the caller may take now.

    The reporter's name and phone follow the reporter rule (apps/cases/privacy.py) and the
    personal-data policy (apps/core/personal.py): masked (`139****5678`) for every role that
    may read them, the dispatchers included (the full value is a separate, audited 显示 on the
    page); null for the unit or person the case is about, and for a role that reads none of it.
    """

    reporter_name = serializers.SerializerMethodField(help_text="上报人姓名（脱敏）；无权查看时为 null")
    reporter_phone = serializers.SerializerMethodField(help_text="联系电话（脱敏）；无权查看时为 null")
    merged_into_code = serializers.CharField(source="merged_into.code", read_only=True, default=None)
    recurrence_of_code = serializers.CharField(source="recurrence_of.code", read_only=True, default=None)
    allowed_actions = serializers.SerializerMethodField()
    events = CaseEventSerializer(many=True, read_only=True)
    photos = CasePhotoSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "tracking_code",
            "reporter_name",
            "reporter_phone",
            "hotline_ticket",
            "answer_due_at",
            "viewed_at",
            "answered_at",
            "suspension_plan",
            "review_on",
            "merged_into",
            "merged_into_code",
            "recurrence_of",
            "recurrence_of_code",
            "allowed_actions",
            "events",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=sorted(set(API_ACTIONS.values()))))
    )
    def get_allowed_actions(self, case) -> list[str]:
        user = _request_user(self)
        if user is None or not user.is_authenticated:
            return []
        actions = []
        for action in workflow.allowed_actions(case, user):
            api_action = API_ACTIONS.get(action)
            if api_action and api_action not in actions:
                actions.append(api_action)
        return actions

    def get_reporter_name(self, case) -> str | None:
        return personal.api_value(_request_user(self), case, "reporter_name")

    def get_reporter_phone(self, case) -> str | None:
        return personal.api_value(_request_user(self), case, "reporter_phone")


# Input shapes -------------------------------------------------------------------------------


class CaseReportSerializer(serializers.Serializer):
    """上报: a problem of a 小类 at a place (point, or a jurisdiction of the caller's scope)."""

    category = serializers.PrimaryKeyRelatedField(queryset=category_choices(), help_text="问题小类 id")
    source = serializers.ChoiceField(
        choices=CaseSource.choices, required=False, help_text="缺省按角色：巡查/检查/领导督查；12345热线仅限调度人员"
    )
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.DESCRIPTION)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.ADDRESS)
    # GPS gives more digits than the case keeps; they are rounded to 6 places (about 0.1 m).
    lat = serializers.DecimalField(
        max_digits=20, decimal_places=14, required=False, allow_null=True, min_value=-90, max_value=90
    )
    lng = serializers.DecimalField(
        max_digits=20, decimal_places=14, required=False, allow_null=True, min_value=-180, max_value=180
    )
    jurisdiction = serializers.PrimaryKeyRelatedField(
        queryset=Jurisdiction.objects.none(),
        required=False,
        allow_null=True,
        help_text="无坐标时的所在辖区（须在本人管辖范围内）",
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.REPORTER_NAME)
    reporter_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.REPORTER_PHONE
    )
    hotline_ticket = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=limits.HOTLINE_TICKET
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True, help_text="热线受理时间")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None and user.is_authenticated:
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user)

    def validate(self, attrs):
        if (attrs.get("lat") is None) != (attrs.get("lng") is None):
            raise serializers.ValidationError({"lng": [_("经纬度必须同时填写或同时为空。")]})
        for name in ("lat", "lng"):
            if attrs.get(name) is not None:
                attrs[name] = attrs[name].quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        return attrs


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class PhotosField(serializers.ListField):
    """Repeated multipart `photos` parts (JPEG, PNG or WebP), at most PHOTO_MAX_PER_REQUEST;
    each checked from its header here (type, bytes, sides, pixels, frames), decoded and resized
    by the service before its transaction opens."""

    child = serializers.FileField(allow_empty_file=False)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        try:
            check_count(len(files))
            for upload in files:
                check_upload(upload)
        except DomainError as error:
            raise serializers.ValidationError(str(error.message)) from None
        return files


class CaseReportUploadSerializer(CaseReportSerializer):
    photos = PhotosField(required=False, default=list)


class VersionSerializer(serializers.Serializer):
    version = VersionField()


class RegisterSerializer(VersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.NOTE)


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(help_text="理由（必填）", max_length=limits.NOTE)


class DispatchSerializer(VersionSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True)
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none(), required=False, allow_null=True)
    deadline_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="处置时限；省略时按问题类别的时限和工作日历计算"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None and user.is_authenticated:
            self.fields["unit"].queryset = Unit.objects.restrict(user)
            self.fields["staff"].queryset = Staff.objects.restrict(user)

    def validate(self, attrs):
        if not attrs.get("unit") and not attrs.get("staff"):
            raise serializers.ValidationError({"unit": [_("请选择责任单位或责任人。")]})
        return attrs


class HandleSerializer(VersionSerializer):
    note = serializers.CharField(help_text="处置情况", max_length=limits.NOTE)


class HandleUploadSerializer(HandleSerializer):
    photos = PhotosField(required=False, default=list, help_text="整改后照片")


class VerifySerializer(VersionSerializer):
    passed = serializers.BooleanField(help_text="true 结案；false 返工（须说明原因）")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.NOTE)

    def validate(self, attrs):
        # An HTML form reads a missing checkbox as false; a verdict must be sent explicitly.
        if "passed" not in self.initial_data:
            raise serializers.ValidationError({"passed": [_("请给出核查结论。")]})
        return attrs


class VerifyUploadSerializer(VerifySerializer):
    photos = PhotosField(required=False, default=list, help_text="核查照片")


class SuspendSerializer(VersionSerializer):
    plan = serializers.CharField(help_text="整改计划", max_length=limits.NOTE)
    review_on = serializers.DateField(help_text="复查日期（晚于今天）")


class PhotoUploadSerializer(serializers.Serializer):
    photos = PhotosField(min_length=1)
    stage = serializers.ChoiceField(
        choices=PhotoStage.choices, required=False, help_text="省略时：责任方为整改后，其他人为整改前"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=limits.NOTE)


CASE_STATUS_FILTER_CHOICES = ["open", "overdue", *CaseStatus.values]
