from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q, user_scope_path
from apps.core.roles import Role

from ..areas import Part
from ..choices import BinderStatus, EvidenceKind


def _path_scope_q(user, field: str = "jurisdiction_path") -> Q:
    """Inside the user's subtree; a unit contact (no territory) reads only the uploads of the
    tasks given to its unit or to itself (the rule of apps/campaigns/areas.py)."""
    if user.role == Role.UNIT_CONTACT:
        return _task_q(user, "document__task__")
    path = user_scope_path(user)
    if not path:
        return Q(pk__in=[])
    return Q(**{f"{field}__within": path})


def _task_q(user, prefix: str) -> Q:
    """Rows reaching (through `prefix`) a task given to the user or to its unit."""
    return Part(tasks_of=(user.pk, getattr(user, "unit_id", None))).tasks_q(prefix)


class EvidenceRule(models.Model):
    """Links the records of one evidence source (apps/core/evidence.EvidenceSource) to an item of a
    campaign automatically: records of `source` narrowed by `category`/`tag`, dated within the
    period (the campaign's when empty), inside `jurisdiction` (the campaign's when empty)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.CASCADE, related_name="evidence_rules"
    )
    item = models.ForeignKey(
        "standards.StandardItem", verbose_name=_("标准小项"), on_delete=models.PROTECT, related_name="+"
    )
    requirement = models.ForeignKey(
        "standards.EvidenceRequirement",
        verbose_name=_("资料要求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("数据来源"), max_length=60)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    tag = models.CharField(_("标签"), max_length=60, blank=True)
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    synced_at = models.DateTimeField(_("最近关联时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("资料关联规则")
        verbose_name_plural = _("资料关联规则")
        ordering = ["campaign", "item", "id"]

    def __str__(self):
        return f"{self.item.code} ← {self.source}"

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": (self.jurisdiction or self.campaign.jurisdiction).path}


class EvidenceDocument(TrackedModel):
    """A file uploaded to the ledger (a scan, a PDF, a Word file, a photo). Never deleted: a new
    file for the same piece supersedes the old one, which stays in the history."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.PROTECT, related_name="documents"
    )
    item = models.ForeignKey(
        "standards.StandardItem", verbose_name=_("标准小项"), on_delete=models.PROTECT, related_name="+"
    )
    requirement = models.ForeignKey(
        "standards.EvidenceRequirement",
        verbose_name=_("资料要求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        "campaigns.Task",
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("资料名称"), max_length=200)
    occurred_on = models.DateField(_("资料日期"))
    file = models.FileField(_("文件"), upload_to="campaigns/evidence/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("替换的旧版"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    is_current = models.BooleanField(_("现行版本"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账资料")
        verbose_name_plural = _("台账资料")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:document_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        """Inside the user's subtree, or of a task given to the user or to its unit, or uploaded by the user."""
        return jurisdiction_scope_q(user, field="jurisdiction") | _task_q(user, "task__") | Q(uploaded_by_id=user.pk)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class EvidenceLink(models.Model):
    """One piece of evidence filed under an item of a campaign: a record of a module (linked by a
    rule or by hand) or an uploaded document (`source` "campaigns.upload"). Unlinking keeps the row
    (`is_active` false, audited), so the timeline of what was added and removed is complete."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.CASCADE, related_name="evidence"
    )
    item = models.ForeignKey(
        "standards.StandardItem", verbose_name=_("标准小项"), on_delete=models.PROTECT, related_name="+"
    )
    requirement = models.ForeignKey(
        "standards.EvidenceRequirement",
        verbose_name=_("资料要求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("方式"), max_length=10, choices=EvidenceKind.choices)
    source = models.CharField(_("数据来源"), max_length=60)
    object_id = models.CharField(_("记录ID"), max_length=64)
    title = models.CharField(_("标题"), max_length=255)
    occurred_on = models.DateField(_("日期"))
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True)
    url = models.CharField(_("链接"), max_length=255, blank=True)
    rule = models.ForeignKey(
        EvidenceRule, verbose_name=_("关联规则"), null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    document = models.ForeignKey(
        EvidenceDocument, verbose_name=_("资料"), null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    added_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    added_by = models.ForeignKey(
        "accounts.User", verbose_name=_("加入人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("有效"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账资料关联")
        verbose_name_plural = _("台账资料关联")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item", "source", "object_id"], name="evidence_link_unique")
        ]
        indexes = [
            models.Index(fields=["campaign", "item", "is_active"], name="evidence_campaign_item_idx"),
            models.Index(fields=["campaign", "-added_at"], name="evidence_campaign_added_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user) -> Q:
        return _path_scope_q(user)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction_path}


class BinderExport(models.Model):
    """A binder (.zip of the ledger by section and item, with an index) built in the background
    for a campaign and an area; kept so it can be downloaded again."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.PROTECT, related_name="binders"
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=BinderStatus.choices, default=BinderStatus.PENDING)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total = models.PositiveIntegerField(_("资料总数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    file_count = models.PositiveIntegerField(_("文件数"), default=0)
    file = models.FileField(_("文件"), upload_to="campaigns/binders/%Y/%m/", blank=True)
    size = models.BigIntegerField(_("大小（字节）"), default=0)
    message = models.CharField(_("说明"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("台账 #{number}").format(number=self.pk)

    def get_absolute_url(self):
        return reverse("campaigns:binder_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == BinderStatus.SUCCEEDED:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}
