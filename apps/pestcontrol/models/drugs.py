"""The drug ledger: products (with active ingredient and 农药登记证号), the banned-substance list
that refuses a product, stores per jurisdiction and the movements in and out of them (purchase,
issue to a community or a household batch, return, disposal), by batch with its expiry date.
A store's balance of a batch is the sum of its movements and never goes below zero (the
services lock the store while they check it)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q

from ..choices import MovementKind, PackageUnit

MAX_PACKAGES = 1_000_000


class BannedSubstance(TrackedModel):
    """A substance China prohibits (e.g. 毒鼠强): a product whose name or active ingredient names
    it, or one of its `aliases`, is refused. Reference data kept by the administrator;
    deactivated rather than deleted."""

    name = models.CharField(_("禁用物质"), max_length=50, unique=True)
    aliases = models.CharField(_("别名"), max_length=300, blank=True, help_text=_("多个别名用顿号或逗号分隔"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("禁用药物")
        verbose_name_plural = _("禁用药物")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()  # reference data, the same for everyone who may read it


class Product(TrackedModel):
    """A pest-control product: name, active ingredient, registration number, its package size
    (g or ml), and the pests it is for. Shared reference data of the deployment."""

    name = models.CharField(_("药物名称"), max_length=100)
    active_ingredient = models.CharField(_("有效成分"), max_length=100)
    registration_no = models.CharField(_("农药登记证号"), max_length=40, blank=True)
    formulation = models.CharField(_("剂型"), max_length=40, blank=True)
    manufacturer = models.CharField(_("生产企业"), max_length=100, blank=True)
    pests = models.JSONField(_("防制对象"), default=list)  # choices.Pest values
    package_size = models.DecimalField(
        _("规格（每包/瓶）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000000"))],
    )
    package_unit = models.CharField(_("规格单位"), max_length=2, choices=PackageUnit.choices)
    package_name = models.CharField(_("包装"), max_length=10, default="袋", help_text=_("袋、瓶、盒 …"))
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("药物")
        verbose_name_plural = _("药物")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "registration_no"], name="pest_product_unique")]

    def __str__(self):
        return f"{self.name}（{self.package_size.normalize():f}{self.package_unit}/{self.package_name}）"

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class Store(TrackedModel):
    """A store (药品库) kept by a jurisdiction: the street's store issues to its communities."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("库房名称"), max_length=100)
    keeper = models.CharField(_("保管人"), max_length=50, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("药品库房")
        verbose_name_plural = _("药品库房")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pestcontrol:store_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class StockMovement(models.Model):
    """One movement of a batch of a product in or out of a store, in whole packages (always
    positive; `kind` gives the direction: choices.INBOUND add). Append-only: a mistake is put
    right by a counter-movement, never by editing."""

    store = models.ForeignKey(Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="movements")
    product = models.ForeignKey(Product, verbose_name=_("药物"), on_delete=models.PROTECT, related_name="movements")
    batch_no = models.CharField(_("批号"), max_length=40)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=MovementKind.choices)
    packages = models.PositiveIntegerField(
        _("数量（包/瓶）"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PACKAGES)]
    )
    moved_on = models.DateField(_("日期"))
    to_jurisdiction = models.ForeignKey(
        "organization.Jurisdiction",
        verbose_name=_("发放对象（辖区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household_batch = models.CharField(_("发放对象（住户批次）"), max_length=100, blank=True)
    supplier = models.CharField(_("供货单位"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
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
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        ordering = ["-moved_on", "-id"]
        indexes = [models.Index(fields=["store", "product", "batch_no"], name="pest_movement_batch_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.product} × {self.packages}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "store__jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.store.jurisdiction.path}
