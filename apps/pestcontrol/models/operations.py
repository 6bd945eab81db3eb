"""除四害作业: campaigns (春季/秋季灭鼠, 夏季灭蚊灭蝇, the 统一行动 on one evening with one time,
standard and drug: `001` L527) and the operations (rounds) each jurisdiction records, with the
drugs used as packages × size (`001` L25: 105 袋 × 1000 g) and the household follow-up checks
that give 购药率 and 保留率."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.photos.models import Photo

from ..choices import CampaignKind, CampaignStatus, ExecutorKind, OperationKind, PackageUnit

MAX_COUNT = 1_000_000
MAX_AREA = Decimal("100000000")  # m²
MAX_PACKAGES = 1_000_000
MAX_PACKAGE_SIZE = Decimal("1000000")  # g or ml in one package


class PestCampaign(TrackedModel):
    """A campaign a jurisdiction (usually the street) runs over its subtree: a season's rat or
    mosquito campaign, or a 统一行动 at one time (`unified_at`) with one standard and one drug.
    The operations of its communities name it; surveys before and after it give 灭效."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("组织辖区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("行动类型"), max_length=24, choices=CampaignKind.choices)
    title = models.CharField(_("行动名称"), max_length=100)
    pests = models.JSONField(_("防制对象"), default=list)  # list of choices.Pest values
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    unified_at = models.DateTimeField(_("统一行动时间"), null=True, blank=True)
    standard = models.CharField(_("统一标准"), max_length=500, blank=True)
    product = models.ForeignKey(
        "pestcontrol.Product",
        verbose_name=_("统一药物"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("行动方案"), blank=True, max_length=4000)
    status = models.CharField(_("状态"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("除四害行动")
        verbose_name_plural = _("除四害行动")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "start_date"], name="pest_campaign_jur_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="pest_campaign_dates"),
        ]

    def __str__(self):
        return f"{self.start_date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("pestcontrol:campaign_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        # A street's campaign is seen by the communities taking part: the campaign's area
        # contains theirs, or theirs contains the campaign's.
        if not getattr(user, "jurisdiction_id", None):
            return Q(pk__in=[])
        ancestors = [int(pk) for pk in user.jurisdiction.path.strip("/").split("/") if pk]
        return jurisdiction_scope_q(user, "jurisdiction") | Q(jurisdiction_id__in=ancestors)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class Operation(TrackedModel):
    """One round of pest control in a jurisdiction on a day: what was treated, how, by whom,
    with which drugs (`drugs`), and the households it reached."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("作业辖区"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        PestCampaign,
        verbose_name=_("所属行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operations",
    )
    kind = models.CharField(_("作业类型"), max_length=12, choices=OperationKind.choices, default=OperationKind.ROUTINE)
    performed_on = models.DateField(_("作业日期"))
    started_at = models.TimeField(_("开始时间"), null=True, blank=True)
    pests = models.JSONField(_("防制对象"), default=list)  # choices.Pest values
    methods = models.JSONField(_("防制方法"), default=list)  # choices.ControlMethod values
    place = models.CharField(_("作业地点"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("处理面积（平方米）"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AREA)],
    )
    drains_cleared = models.PositiveIntegerField(
        _("清理排污管道（条）"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    channels_cleared = models.PositiveIntegerField(
        _("清理沟渠（条）"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    breeding_sites_cleared = models.PositiveIntegerField(
        _("清除孳生地（处）"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    households_covered = models.PositiveIntegerField(
        _("覆盖住户（户）"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    executor_kind = models.CharField(_("实施方"), max_length=12, choices=ExecutorKind.choices, default=ExecutorKind.OWN)
    contractor = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("防制公司"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField(_("作业队伍"), max_length=100, blank=True)
    notes = models.TextField(_("作业情况"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("除四害作业")
        verbose_name_plural = _("除四害作业")
        ordering = ["-performed_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "performed_on"], name="pest_operation_jur_date_idx"),
            models.Index(fields=["performed_on"], name="pest_operation_date_idx"),
        ]

    def __str__(self):
        return f"{self.performed_on:%Y-%m-%d} {self.jurisdiction}"

    def get_absolute_url(self):
        return reverse("pestcontrol:operation_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class OperationDrug(models.Model):
    """A drug used in an operation: `packages` × `package_size` (g or ml, copied from the product
    when recorded, so a later change of the product does not change history). The quantity in
    kg or L is computed (`quantity`), never typed. `movement` is the store issue it drew on, if
    the drug came from a store of the ledger."""

    operation = models.ForeignKey(Operation, verbose_name=_("作业"), on_delete=models.PROTECT, related_name="drugs")
    product = models.ForeignKey(
        "pestcontrol.Product", verbose_name=_("药物"), on_delete=models.PROTECT, related_name="+"
    )
    packages = models.PositiveIntegerField(
        _("数量（包/瓶）"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PACKAGES)]
    )
    package_size = models.DecimalField(
        _("规格（每包/瓶）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PACKAGE_SIZE)],
    )
    package_unit = models.CharField(_("规格单位"), max_length=2, choices=PackageUnit.choices)
    movement = models.OneToOneField(
        "pestcontrol.StockMovement",
        verbose_name=_("出库记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operation_drug",
    )

    class Meta:
        verbose_name = _("作业用药")
        verbose_name_plural = _("作业用药")
        ordering = ["id"]

    def __str__(self):
        return f"{self.product} {self.packages} × {self.package_size.normalize():f}{self.package_unit}"

    @property
    def quantity(self) -> Decimal:
        """kg (for g packages) or L (for ml packages): packages × size / 1000."""
        return (Decimal(self.packages) * self.package_size / 1000).quantize(Decimal("0.001"))


class FollowUpCheck(TrackedModel):
    """A household follow-up (回访) after an operation: of the households checked, how many
    had bought/received the drug (购药) and how many had kept it in place (保留)."""

    operation = models.ForeignKey(
        Operation, verbose_name=_("作业"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    checked_on = models.DateField(_("回访日期"))
    households_checked = models.PositiveIntegerField(
        _("回访户数"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)]
    )
    households_bought = models.PositiveIntegerField(_("购药户数"), validators=[MaxValueValidator(MAX_COUNT)])
    households_retained = models.PositiveIntegerField(_("药物保留户数"), validators=[MaxValueValidator(MAX_COUNT)])
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("回访检查")
        verbose_name_plural = _("回访检查")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(households_bought__lte=models.F("households_checked"))
                & Q(households_retained__lte=models.F("households_checked")),
                name="pest_followup_within_checked",
            ),
        ]

    def __str__(self):
        return f"{self.operation_id} {self.checked_on:%Y-%m-%d}"


class OperationPhoto(Photo):
    """A photo of an operation, served only to those who may see the operation."""

    operation = models.ForeignKey(Operation, verbose_name=_("作业"), on_delete=models.PROTECT, related_name="photos")

    upload_folder = "pestcontrol/operations"
    serve_url_name = "pestcontrol:operation_photo"

    class Meta(Photo.Meta):
        verbose_name = _("作业照片")
        verbose_name_plural = _("作业照片")

    def __str__(self):
        return f"{self.operation_id} {self.pk}"

    def upload_subfolder(self) -> str:
        return str(self.operation_id)
