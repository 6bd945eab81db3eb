"""Standards (创建标准) as versioned data: standard → version → sections → items → indicators and
evidence requirements.

A campaign is run against one version. Editing a version a campaign already uses makes a new
version (the campaign keeps the text it was assessed against); an unused version is edited in place.
Official clause text and thresholds are never invented: anything shipped without the official text
at hand is marked `is_example` and shown with an 示例 badge.
"""

from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet

from .choices import Comparator, ItemKind, MeasureKind, StandardKind

POINTS = {"max_digits": 6, "decimal_places": 1}

# Standards belong to no jurisdiction. Their audit events are filed under the editor's own
# jurisdiction (set by the services for the length of an edit), so the office that keeps the
# standards reads their history on the standard's page; the system's own writes stay unscoped.
EDITOR_PATH: ContextVar[str] = ContextVar("standards_editor_path", default="")


class Standard(TrackedModel):
    """A standard a place is assessed against (国家卫生城市和国家卫生县标准 2021, 江苏省卫生镇标准 …).

    Reference data for everyone: not scoped by jurisdiction. Its content lives in versions."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=30, choices=StandardKind.choices, default=StandardKind.LOCAL)
    issuer = models.CharField(_("发布机关"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("版本年份"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    is_example = models.BooleanField(
        _("含示例内容"), default=False, help_text=_("随系统提供的结构，条文为示例，请按官方文本导入或修改")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    current_version = models.ForeignKey(
        "StandardVersion", verbose_name=_("当前版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建标准")
        verbose_name_plural = _("创建标准")
        ordering = ["kind", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("standards:standard_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": EDITOR_PATH.get()}


class StandardVersion(models.Model):
    """One edition of a standard's content; frozen once a campaign uses it."""

    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True, help_text=_("如：官方文件名、导入文件名"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard", "-number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="standard_version_unique")]

    def __str__(self):
        return f"{self.standard.name} v{self.number}"

    def get_absolute_url(self):
        return reverse("standards:version_detail", args=[self.pk])

    @property
    def in_use(self) -> bool:
        """Whether a campaign runs against this version (reverse relation of campaigns.Campaign)."""
        return self.campaigns.exists()

    def audit_scope(self) -> dict:
        return {}


class StandardSection(models.Model):
    """A 大项 of the standard (一、爱国卫生组织管理 …)."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_example = models.BooleanField(_("示例"), default=False)

    class Meta:
        verbose_name = _("标准大项")
        verbose_name_plural = _("标准大项")
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="standard_section_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class StandardItem(models.Model):
    """A 小项/条款: its text, how it is assessed, whether it is a prerequisite or carries points,
    and the evidence it needs (its `requirements`)."""

    # `version` repeats `section.version` so a version's items are one query without a join.
    version = models.ForeignKey(StandardVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(StandardSection, verbose_name=_("大项"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编号"), max_length=20)
    text = models.TextField(_("条文"))
    method = models.TextField(_("考核方法"), blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=ItemKind.choices, default=ItemKind.PLAIN)
    points = models.DecimalField(
        _("分值"), null=True, blank=True, validators=[MinValueValidator(Decimal("0.1"))], **POINTS
    )
    evidence_note = models.TextField(_("所需资料说明"), blank=True)
    is_example = models.BooleanField(_("示例"), default=False)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("标准小项")
        verbose_name_plural = _("标准小项")
        ordering = ["section__sort", "section_id", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="standard_item_code_unique")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"

    @property
    def is_prerequisite(self) -> bool:
        return self.kind == ItemKind.PREREQUISITE

    def clean(self):
        if self.kind == ItemKind.SCORED and not self.points:
            raise ValidationError({"points": _("计分项请填写分值。")})
        if self.kind != ItemKind.SCORED and self.points:
            raise ValidationError({"points": _("只有计分项有分值。")})


class StandardIndicator(models.Model):
    """A measurable part of an item: a rate, an index or a count with its threshold and unit.

    `figure_key` names a figure a module computes (apps/core/evidence.FigureSource); the
    self-assessment then fills the value from the system's own records."""

    item = models.ForeignKey(StandardItem, verbose_name=_("小项"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标"), max_length=100)
    measure = models.CharField(_("指标类型"), max_length=10, choices=MeasureKind.choices, default=MeasureKind.RATE)
    comparator = models.CharField(_("比较"), max_length=3, choices=Comparator.choices, default=Comparator.AT_LEAST)
    threshold = models.DecimalField(_("达标值"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    figure_key = models.CharField(_("系统数据"), max_length=60, blank=True)
    is_example = models.BooleanField(_("示例值"), default=False)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name

    def meets(self, value: Decimal | None) -> bool | None:
        """Whether `value` meets the threshold; None when either is unknown."""
        if value is None or self.threshold is None:
            return None
        if self.comparator == Comparator.AT_LEAST:
            return value >= self.threshold
        if self.comparator == Comparator.AT_MOST:
            return value <= self.threshold
        return value == self.threshold


class EvidenceRequirement(models.Model):
    """One piece of evidence an item needs (领导小组成立文件, 每月健康教育宣传栏照片 …), at least
    `min_count` times. `source`/`category`/`tag` suggest the rule that links records of a module
    automatically (an EvidenceSource key of apps/core/evidence.py); empty means manual upload."""

    item = models.ForeignKey(
        StandardItem, verbose_name=_("小项"), on_delete=models.CASCADE, related_name="requirements"
    )
    name = models.CharField(_("资料名称"), max_length=150)
    min_count = models.PositiveSmallIntegerField(_("最少份数"), default=1, validators=[MinValueValidator(1)])
    source = models.CharField(_("自动关联数据"), max_length=60, blank=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    tag = models.CharField(_("标签"), max_length=60, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("资料要求")
        verbose_name_plural = _("资料要求")
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name
