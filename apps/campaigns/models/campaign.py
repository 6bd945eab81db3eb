from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, jurisdiction_scope_q, user_scope_path
from apps.core.roles import Role

from ..choices import CampaignLevel, CampaignStatus, GroupRole, PhaseKind


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class Campaign(TrackedModel):
    """A campaign (创建项目) of a jurisdiction for a title, run against one standard version.

    A community's campaign can be part of its district's (`parent`). People of a community see the
    campaigns of their own area and of the areas above it (the district campaign they take part
    in), but may change only those of their own subtree (`manage_q`)."""

    title = models.CharField(_("项目名称"), max_length=150)
    level = models.CharField(_("创建目标"), max_length=30, choices=CampaignLevel.choices)
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("创建辖区"), on_delete=models.PROTECT, related_name="campaigns"
    )
    standard_version = models.ForeignKey(
        "standards.StandardVersion", verbose_name=_("对照标准"), on_delete=models.PROTECT, related_name="campaigns"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("所属上级项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(_("状态"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("计划验收日期"))
    goal = models.TextField(_("主要目标"), blank=True)
    guidance = models.TextField(_("指导思想"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建项目")
        verbose_name_plural = _("创建项目")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("计划验收日期不能早于开始日期。")})

    @classmethod
    def scope_q(cls, user) -> Q:
        """Campaigns of the user's subtree and of the jurisdictions above it; for a unit contact
        (no territory, apps/campaigns/areas.py) the campaigns its unit or itself has tasks in."""
        if user.role == Role.UNIT_CONTACT:
            mine = Q(tasks__assignee_id=user.pk)
            if user.unit_id:
                mine |= Q(tasks__unit_id=user.unit_id)
            return Q(pk__in=cls.objects.filter(mine).values("pk"))
        path = user_scope_path(user)
        if not path:
            return Q(pk__in=[])
        return Q(jurisdiction__path__within=path) | Q(jurisdiction_id__in=ancestor_ids(path))

    @classmethod
    def manage_q(cls, user) -> Q:
        """Campaigns the user may change: only those of their own subtree."""
        if user.role == Role.ADMIN:
            return Q()
        return jurisdiction_scope_q(user, field="jurisdiction")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}


class CampaignPhase(models.Model):
    """A phase with its dates (宣传发动 6月1日至6月30日 …) and what is done in it."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("创建项目"), on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("阶段"), max_length=20, choices=PhaseKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    work = models.TextField(_("工作安排"), blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("工作阶段")
        verbose_name_plural = _("工作阶段")
        ordering = ["sort", "starts_on", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class CampaignGroup(models.Model):
    """A leadership or working group (an existing organization.WorkGroup) and its duties here."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("创建项目"), on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(
        "organization.WorkGroup", verbose_name=_("小组"), on_delete=models.PROTECT, related_name="campaign_roles"
    )
    role = models.CharField(_("作用"), max_length=12, choices=GroupRole.choices, default=GroupRole.WORKING)
    duties = models.TextField(_("职责"), blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目小组")
        verbose_name_plural = _("项目小组")
        ordering = ["role", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "group"], name="campaign_group_unique")]

    def __str__(self):
        return str(self.group)
