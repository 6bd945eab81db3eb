"""病媒生物监测: a survey records a method's raw observations (`counts`, validated against
methods.py) at a place (jurisdiction × 重点场所 type, optionally a unit) on a date; its indices are
computed, never typed, and graded against the control levels in force (grading.py). A survey
may be the 'before' or 'after' survey of a campaign, which gives 灭效."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q

from .. import methods
from ..choices import PlaceType, SurveyPhase, SurveyStatus


class MethodSetting(TrackedModel):
    """The configurable minimum sample of a method (e.g. households per Breteau survey); a
    survey below it is flagged. Methods without a row use `Method.default_min_sample`."""

    method = models.CharField(_("监测方法"), max_length=30, unique=True, choices=methods.method_choices())
    min_sample = models.PositiveIntegerField(_("最低样本量"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("监测方法设置")
        verbose_name_plural = _("监测方法设置")
        ordering = ["method"]

    def __str__(self):
        return f"{self.get_method_display()} ≥ {self.min_sample}"

    @classmethod
    def scope_q(cls, user) -> Q:
        return Q()

    @classmethod
    def minimums(cls) -> dict[str, int]:
        """The minimum sample of every method: its setting, else the method's default (one query)."""
        configured = dict(cls.objects.values_list("method", "min_sample"))
        return {m.code: configured.get(m.code, m.default_min_sample) for m in methods.METHODS}


class Survey(TrackedModel):
    """One survey by one method at one place on one day. `counts` holds the method's inputs
    (methods.Method.inputs: integers, or decimals as strings for lengths); `sample_size` is the
    method's sample input, kept in a column for the below-minimum flag and for lists. A
    household survey (methods.HOUSEHOLD_METHOD) is filled from its visits (aedes.py) while
    `status` is open; every other survey is entered submitted."""

    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("监测辖区"), on_delete=models.PROTECT, related_name="+"
    )
    place_type = models.CharField(_("场所类型"), max_length=16, choices=PlaceType.choices)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("监测单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_name = models.CharField(_("监测地点"), max_length=200, blank=True)
    method = models.CharField(_("监测方法"), max_length=30, choices=methods.method_choices())
    pest = models.CharField(_("病媒种类"), max_length=12, editable=False)  # the method's pest
    surveyed_on = models.DateField(_("监测日期"))
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("监测人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counts = models.JSONField(_("监测记录"), default=dict)
    sample_size = models.DecimalField(_("样本量"), max_digits=12, decimal_places=2, default=0)
    campaign = models.ForeignKey(
        "pestcontrol.PestCampaign",
        verbose_name=_("所属行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    phase = models.CharField(_("防制前后"), max_length=8, choices=SurveyPhase.choices, blank=True, default="")
    status = models.CharField(_("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.SUBMITTED)
    notes = models.CharField(_("说明"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("病媒生物监测")
        verbose_name_plural = _("病媒生物监测")
        ordering = ["-surveyed_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "surveyed_on"], name="pest_survey_jur_date_idx"),
            models.Index(fields=["method", "surveyed_on"], name="pest_survey_method_date_idx"),
            models.Index(fields=["pest", "surveyed_on"], name="pest_survey_pest_date_idx"),
        ]

    def __str__(self):
        return f"{self.surveyed_on:%Y-%m-%d} {self.get_method_display()} {self.place_name or self.jurisdiction}"

    def get_absolute_url(self):
        return reverse("pestcontrol:survey_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, "jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}

    @property
    def definition(self) -> methods.Method:
        return methods.method(self.method)

    def indices(self) -> dict:
        """The method's indices computed from `counts` (index key → Decimal or None)."""
        return self.definition.compute(self.counts)
