from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q

from ..choices import AssessmentResult, MockStatus

POINTS = {"max_digits": 6, "decimal_places": 1}


class ItemAssessment(TrackedModel):
    """The self-assessment (自查) of one standard item in a campaign: 达标/基本达标/未达标, the score
    where the item carries points, and a note. Evidence is the item's ledger."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.CASCADE, related_name="assessments"
    )
    item = models.ForeignKey(
        "standards.StandardItem", verbose_name=_("标准小项"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("自查结果"), max_length=10, choices=AssessmentResult.choices)
    score = models.DecimalField(_("自评得分"), null=True, blank=True, **POINTS)
    note = models.TextField(_("说明"), blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("自查人"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("自查时间"))

    class Meta:
        verbose_name = _("自查结果")
        verbose_name_plural = _("自查结果")
        ordering = ["campaign", "item"]
        constraints = [models.UniqueConstraint(fields=["campaign", "item"], name="item_assessment_unique")]

    def __str__(self):
        return f"{self.item.code} {self.get_result_display()}"

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.campaign.jurisdiction.path}


class MockAssessment(TrackedModel):
    """A mock assessment (模拟考核): a street or office assessor scores the campaign item by item as
    the real assessors would, visiting places sampled (reproducibly, from `seed`) from the ledger
    and the map; the result is a projected score and the weakest items."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("创建项目"), on_delete=models.PROTECT, related_name="mock_assessments"
    )
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("考核范围"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey("accounts.User", verbose_name=_("考核人"), on_delete=models.PROTECT, related_name="+")
    conducted_on = models.DateField(_("考核日期"))
    status = models.CharField(_("状态"), max_length=10, choices=MockStatus.choices, default=MockStatus.DRAFT)
    seed = models.PositiveIntegerField(_("抽样种子"), default=0)
    sample = models.JSONField(_("抽查点位"), default=list, blank=True)
    projected_score = models.DecimalField(_("预计得分"), null=True, blank=True, **POINTS)
    max_score = models.DecimalField(_("满分"), null=True, blank=True, **POINTS)
    prerequisites_met = models.BooleanField(_("必备条件全部达标"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("考核意见"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("模拟考核")
        verbose_name_plural = _("模拟考核")
        ordering = ["-conducted_on", "-id"]

    def __str__(self):
        return _("{campaign} 模拟考核（{day}）").format(campaign=self.campaign, day=self.conducted_on)

    def get_absolute_url(self):
        return reverse("campaigns:mock_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class MockScore(models.Model):
    """One item's result in a mock assessment."""

    mock = models.ForeignKey(
        MockAssessment, verbose_name=_("模拟考核"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        "standards.StandardItem", verbose_name=_("标准小项"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("结果"), max_length=10, choices=AssessmentResult.choices)
    score = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    note = models.TextField(_("扣分说明"), blank=True)

    class Meta:
        verbose_name = _("模拟考核评分")
        verbose_name_plural = _("模拟考核评分")
        ordering = ["mock", "item"]
        constraints = [models.UniqueConstraint(fields=["mock", "item"], name="mock_score_unique")]

    def __str__(self):
        return f"{self.item.code} {self.get_result_display()}"
