"""Control levels (GB/T 27770–27773: A/B/C) as versioned data. A standard per pest has versions
(the fly standard GB/T 27772 was revised in 2025 and is its own version); a version is in force
from `effective_from` until the next one; its thresholds say, per index and place type, the
highest (or, for 合格率, the lowest) value that still meets a level. A version whose thresholds
have graded a survey is never edited: editing makes the next version (services). Shipped values
are examples (`is_example`), never presented as the official figures."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet

from ..choices import Grade, Pest, PlaceType


class ControlStandard(TrackedModel):
    """A control-level standard for one pest, e.g. GB/T 27770 鼠类控制水平."""

    pest = models.CharField(_("病媒种类"), max_length=12, choices=Pest.choices, unique=True)
    code = models.CharField(_("标准号"), max_length=30)
    title = models.CharField(_("标准名称"), max_length=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("控制水平标准")
        verbose_name_plural = _("控制水平标准")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class ControlVersion(TrackedModel):
    """One version of a standard (e.g. GB/T 27772-2011, GB/T 27772-2025), in force from
    `effective_from`. `is_example` badges values that are not the official figures."""

    standard = models.ForeignKey(
        ControlStandard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(_("版本"), max_length=30)
    effective_from = models.DateField(_("实施日期"))
    is_example = models.BooleanField(_("示例值"), default=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("控制水平版本")
        verbose_name_plural = _("控制水平版本")
        ordering = ["standard", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "effective_from"], name="pest_control_version_once_a_day"),
        ]

    def __str__(self):
        return f"{self.standard.code}-{self.label}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class ControlThreshold(models.Model):
    """The limit of one level for one index at one place type ('' = every place type without a
    row of its own): a value meets the level when it is ≤ `limit` (≥ for indices that are better
    higher, methods.Index.better)."""

    version = models.ForeignKey(
        ControlVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="thresholds"
    )
    index = models.CharField(_("指标"), max_length=40)  # methods.Index.key
    place_type = models.CharField(_("场所类型"), max_length=16, choices=PlaceType.choices, blank=True, default="")
    level = models.CharField(_("级别"), max_length=4, choices=[c for c in Grade.choices if c[0] != Grade.FAIL])
    limit = models.DecimalField(_("限值"), max_digits=10, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("控制水平限值")
        verbose_name_plural = _("控制水平限值")
        ordering = ["version", "index", "place_type", "level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "index", "place_type", "level"], name="pest_threshold_once"),
        ]

    def __str__(self):
        return f"{self.index} {self.place_type or '*'} {self.level} {self.limit}"
