from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, user_scope_path
from apps.core.roles import Role

from ..choices import TaskOrigin, TaskStatus


class Task(TrackedModel):
    """One line of the task breakdown (任务分解表/责任分解表): what is to be done for a standard item
    (or a meeting decision, a gap, by hand), in which area, by whom, by when, how far along.

    `jurisdiction` is the area the task belongs to (the 区域任务表 of a community rolls up to its
    street). Visible to people of that area and above, to its assignee and to its unit's contact."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.PROTECT, related_name="tasks"
    )
    item = models.ForeignKey(
        "standards.StandardItem",
        verbose_name=_("标准小项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("责任区域"), on_delete=models.PROTECT, related_name="campaign_tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("工作要求"), blank=True)
    evidence_required = models.TextField(_("应形成的资料"), blank=True)
    group = models.ForeignKey(
        "organization.WorkGroup",
        verbose_name=_("责任小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
    )
    assignee = models.ForeignKey(
        "accounts.User",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0, validators=[MaxValueValidator(100)])
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    origin = models.CharField(_("来源"), max_length=12, choices=TaskOrigin.choices, default=TaskOrigin.MANUAL)
    origin_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completion_note = models.TextField(_("完成情况"), blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建任务")
        verbose_name_plural = _("创建任务")
        ordering = ["campaign", "deadline", "id"]
        indexes = [
            models.Index(fields=["campaign", "item"], name="task_campaign_item_idx"),
            models.Index(fields=["assignee", "status"], name="task_assignee_status_idx"),
            models.Index(fields=["status", "deadline"], name="task_status_deadline_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:task_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (TaskStatus.DONE, TaskStatus.CANCELLED)

    @classmethod
    def scope_q(cls, user) -> Q:
        mine = Q(assignee_id=user.pk)
        if user.role == Role.UNIT_CONTACT:
            return mine | (Q(unit_id=user.unit_id) if user.unit_id else Q(pk__in=[]))
        path = user_scope_path(user)
        if not path:
            return mine
        return mine | Q(jurisdiction__path__within=path)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path, "unit_id": self.unit_id}
