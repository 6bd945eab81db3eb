"""The Aedes household survey (入户调查, `001` L25): house by house, the water containers by type
with wet and positive counts, larvae and what was treated on the spot; a positive breeding site
may become a case of the rectification loop (category 病媒孳生地) with its photos. A visit
keeps its own sums (wet, positive) so the Breteau index of a community and week is one
aggregate over visits; the survey's counts are the sums of its visits. Risk levels from the
Breteau index and the alert level are data (`AedesSetting`); an alert is sent once per
community and week (`VectorAlert`)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q
from apps.photos.models import Photo

from ..choices import ContainerType, RiskLevel

MAX_CONTAINERS = 10_000  # of one type in one household


class HouseholdVisit(models.Model):
    """One household checked in a household survey. `client_id` is made by the phone, so an entry
    replayed after a lost connection is saved once. `jurisdiction` and `visited_on` repeat the
    survey's (the index's grouping columns)."""

    survey = models.ForeignKey(
        "pestcontrol.Survey", verbose_name=_("调查"), on_delete=models.PROTECT, related_name="visits"
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("调查日期"))
    client_id = models.UUIDField(_("客户端编号"), unique=True)
    address = models.CharField(_("门牌/户"), max_length=100)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    containers_wet = models.PositiveIntegerField(_("积水容器数"), default=0)
    containers_positive = models.PositiveIntegerField(_("阳性容器数"), default=0)
    larvae = models.PositiveIntegerField(_("幼虫/蛹数"), default=0)
    treated = models.PositiveIntegerField(_("现场处理容器数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("孳生地案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("入户调查记录")
        verbose_name_plural = _("入户调查记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["visited_on", "jurisdiction"], name="pest_visit_date_jur_idx"),
            models.Index(fields=["jurisdiction", "visited_on"], name="pest_visit_jur_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(containers_positive__lte=models.F("containers_wet")), name="pest_visit_positive_within_wet"
            ),
        ]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.address}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}

    @property
    def positive(self) -> bool:
        return self.containers_positive > 0


class ContainerRecord(models.Model):
    """The containers of one type in one household: how many held water, how many had larvae
    (positive), larvae counted, and how many were emptied or treated on the spot."""

    visit = models.ForeignKey(
        HouseholdVisit, verbose_name=_("入户记录"), on_delete=models.PROTECT, related_name="containers"
    )
    container_type = models.CharField(_("容器类型"), max_length=12, choices=ContainerType.choices)
    wet = models.PositiveIntegerField(_("积水数"), validators=[MaxValueValidator(MAX_CONTAINERS)])
    positive = models.PositiveIntegerField(_("阳性数"), default=0, validators=[MaxValueValidator(MAX_CONTAINERS)])
    larvae = models.PositiveIntegerField(_("幼虫/蛹数"), default=0, validators=[MaxValueValidator(1_000_000)])
    treated = models.PositiveIntegerField(_("现场处理数"), default=0, validators=[MaxValueValidator(MAX_CONTAINERS)])

    class Meta:
        verbose_name = _("容器记录")
        verbose_name_plural = _("容器记录")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(positive__lte=models.F("wet")), name="pest_container_positive_within_wet"
            ),
            models.UniqueConstraint(fields=["visit", "container_type"], name="pest_container_type_once"),
        ]

    def __str__(self):
        return f"{self.get_container_type_display()} {self.positive}/{self.wet}"


class BreedingSitePhoto(Photo):
    """A photo of a positive breeding site found in a visit (it goes with the case, if one is
    opened)."""

    visit = models.ForeignKey(
        HouseholdVisit, verbose_name=_("入户记录"), on_delete=models.PROTECT, related_name="photos"
    )

    upload_folder = "pestcontrol/visits"
    serve_url_name = "pestcontrol:visit_photo"

    class Meta(Photo.Meta):
        verbose_name = _("孳生地照片")
        verbose_name_plural = _("孳生地照片")

    def __str__(self):
        return f"{self.visit_id} {self.pk}"

    def upload_subfolder(self) -> str:
        return str(self.visit_id)


class AedesSetting(TrackedModel):
    """The deployment's Breteau-index risk levels and alert level (one row). Shipped values are
    examples (`is_example`) to be set by the health authority."""

    medium_from = models.DecimalField(_("中风险起点（BI）"), max_digits=6, decimal_places=2, default=Decimal("5"))
    high_from = models.DecimalField(_("高风险起点（BI）"), max_digits=6, decimal_places=2, default=Decimal("10"))
    severe_from = models.DecimalField(_("极高风险起点（BI）"), max_digits=6, decimal_places=2, default=Decimal("20"))
    alert_level = models.CharField(_("预警级别"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    is_example = models.BooleanField(_("示例值"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("伊蚊风险设置")
        verbose_name_plural = _("伊蚊风险设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_from__gt=0)
                & Q(high_from__gt=models.F("medium_from"))
                & Q(severe_from__gt=models.F("high_from")),
                name="pest_aedes_levels_rise",
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()


class VectorAlert(models.Model):
    """A Breteau-index alert sent to a community and its street for one week (once a week)."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField(_("周起始日"))
    breteau_index = models.DecimalField(_("布雷图指数"), max_digits=8, decimal_places=2)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    created_at = models.DateTimeField(_("预警时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("病媒预警")
        verbose_name_plural = _("病媒预警")
        ordering = ["-week_start", "-id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "week_start"], name="pest_alert_once_a_week")]

    def __str__(self):
        return f"{self.jurisdiction} {self.week_start:%Y-%m-%d} BI {self.breteau_index}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}
