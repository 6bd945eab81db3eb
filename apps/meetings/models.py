"""Meetings (会议) with their invitations and sign-ins, decisions and attachments.

A meeting belongs to one jurisdiction (the level that held it) and moves planned → held →
closed (or planned → cancelled) only through `workflow.MEETING_WORKFLOW`. Nothing is deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, user_scope_path
from apps.core.roles import Role
from apps.photos.models import Photo

from .choices import (
    DecisionKind,
    DecisionStatus,
    InviteSource,
    MeetingKind,
    MeetingStatus,
    Recurrence,
    SignInMethod,
)

TOPIC = 200
PLACE = 200
NAME = 50
TEXT = 2000


class Meeting(TrackedModel):
    """One meeting: the header of the seeds' minutes (时间、地点、参加对象、主持人、记录人、会议主题)
    and the numbered points of its record (`points`, one point per line).

    A recurring 例会 is a series: holding one schedules the next (`previous` links them)."""

    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    recurrence = models.CharField(_("重复"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE)
    topic = models.CharField(_("会议主题"), max_length=TOPIC)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("召开辖区"), on_delete=models.PROTECT, related_name="meetings"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("创建项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("会议时间"))
    held_at = models.DateTimeField(_("实际召开时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=PLACE)
    host = models.CharField(_("主持人"), max_length=NAME, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_meetings",
    )
    invited_groups = models.ManyToManyField(
        "organization.WorkGroup", verbose_name=_("参加小组"), blank=True, related_name="meetings"
    )
    invited_units = models.ManyToManyField(
        "organization.Unit", verbose_name=_("参加单位"), blank=True, related_name="meetings"
    )
    guests = models.CharField(_("其他参加人员"), max_length=TOPIC, blank=True)
    points = models.TextField(_("会议主要内容记录"), max_length=20000, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    cancel_reason = models.CharField(_("取消原因"), max_length=TOPIC, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上次会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_meetings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="meeting_status_starts_idx")]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def point_list(self) -> list[str]:
        """The numbered points of the record: one per non-empty line, numbers typed by hand dropped."""
        import re

        lines = [line.strip() for line in (self.points or "").splitlines()]
        return [re.sub(r"^\s*(\d+|[一二三四五六七八九十]+)\s*[、.．:：)）]\s*", "", line) for line in lines if line]

    @property
    def occurred_at(self):
        return self.held_at or self.starts_at

    @classmethod
    def scope_q(cls, user) -> Q:
        """The user's subtree, plus the meetings they are invited to, record, or own a decision of
        (for a unit contact: only those, their unit's decisions included)."""
        owned = Q(owner_user_id=user.pk)
        if user.role == Role.UNIT_CONTACT and user.unit_id:
            owned |= Q(owner_unit_id=user.unit_id)
        concerned = (
            Q(pk__in=Attendee.objects.filter(user_id=user.pk, invited=True).values("meeting_id"))
            | Q(pk__in=Decision.objects.filter(owned).values("meeting_id"))
            | Q(recorder_id=user.pk)
        )
        if user.role == Role.UNIT_CONTACT:
            return concerned
        path = user_scope_path(user)
        return concerned | Q(jurisdiction__path__within=path) if path else concerned

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class Attendee(models.Model):
    """One person invited to a meeting (from a group, a unit or by name) and their sign-in.

    Taken off the invitation list, a row stays (`invited` False) so a sign-in is never lost."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    staff = models.ForeignKey(
        "organization.Staff",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    name = models.CharField(_("姓名"), max_length=NAME)
    post = models.CharField(_("单位/职务"), max_length=TOPIC, blank=True)
    source = models.CharField(_("邀请方式"), max_length=10, choices=InviteSource.choices, default=InviteSource.PERSON)
    invited = models.BooleanField(_("在邀请名单"), default=True)
    signed_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=SignInMethod.choices, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="attendee_user_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "staff"], condition=Q(staff__isnull=False), name="attendee_staff_once"
            ),
        ]

    def __str__(self):
        return self.name

    def audit_scope(self) -> dict:
        return self.meeting.audit_scope()


class Decision(TrackedModel):
    """What a meeting decided (会议议定/强调/认为): text, owner (a person, a unit or an area) and
    deadline. With a campaign it is tracked as a campaign task (`task`, whose status it reads);
    without one it is a stand-alone follow-up moved by `workflow.DECISION_WORKFLOW`."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("序号"), default=1)
    kind = models.CharField(_("类别"), max_length=12, choices=DecisionKind.choices, default=DecisionKind.AGREED)
    text = models.TextField(_("议定事项"), max_length=TEXT)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    owner_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    owner_jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("责任区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    task = models.OneToOneField(
        "campaigns.Task",
        verbose_name=_("创卫任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decision",
    )
    status = models.CharField(_("状态"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    done_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    done_note = models.CharField(_("落实情况"), max_length=TOPIC, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议议定事项")
        verbose_name_plural = _("会议议定事项")
        ordering = ["meeting", "number", "id"]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#decision-{self.pk}"

    @property
    def owner_label(self) -> str:
        parts = [
            str(x)
            for x in (self.owner_user and self.owner_user.display_name, self.owner_unit, self.owner_jurisdiction)
            if x
        ]
        return pgettext("separator", "、").join(parts)

    @property
    def tracked_status(self) -> str:
        """落实中/已落实/已取消: the task's when linked (in progress counts as 落实中)."""
        if self.task_id:
            from .campaign_link import decision_status_of_task

            return decision_status_of_task(self.task.status)
        return self.status

    @property
    def tracked_status_label(self) -> str:
        return str(DecisionStatus(self.tracked_status).label)

    @property
    def tracked_done_at(self):
        if self.task_id:
            return self.task.completed_at if self.tracked_status == DecisionStatus.DONE else None
        return self.done_at

    @property
    def done_on_time(self) -> bool | None:
        done = self.tracked_done_at
        if done is None or self.deadline is None:
            return None
        return timezone.localdate(done) <= self.deadline

    @property
    def overdue(self) -> bool:
        return bool(
            self.tracked_status == DecisionStatus.OPEN and self.deadline and self.deadline < timezone.localdate()
        )

    @classmethod
    def scope_q(cls, user) -> Q:
        """The decisions of the meetings the user sees (which include those they own one of)."""
        return Q(meeting__in=Meeting.objects.filter(Meeting.scope_q(user)).values("pk"))

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.meeting.jurisdiction.path, "unit_id": self.owner_unit_id}


class MeetingDocument(models.Model):
    """A slide deck or document of a meeting, checked by content (apps/documents/uploads)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(_("文件名"), max_length=TOPIC)
    file = models.FileField(_("文件"), upload_to="meetings/documents/%Y/%m/")
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name

    def audit_scope(self) -> dict:
        return self.meeting.audit_scope()


class MeetingPhoto(Photo):
    """A photo of a meeting (served only to those who may see the meeting)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="photos")

    upload_folder = "meetings"
    serve_url_name = "meetings:photo"

    class Meta(Photo.Meta):
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")

    def audit_scope(self) -> dict:
        return self.meeting.audit_scope()
