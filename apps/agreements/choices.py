"""Statuses and kinds of responsibility agreements (责任书)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    GENERATED = "generated", _("待签订")
    SIGNED = "signed", _("已签订")
    REFUSED = "refused", _("拒签")
    EXPIRED = "expired", _("已到期")
    SUPERSEDED = "superseded", _("已续签替代")
    CANCELLED = "cancelled", _("已作废")


class PartyKind(models.TextChoices):
    UNIT = "unit", _("单位")
    JURISDICTION = "jurisdiction", _("下级辖区")


class RequiredRule(models.TextChoices):
    """Who must hold an agreement of a type (the denominator of its coverage rate)."""

    UNITS = "units", _("所列类型的在营单位")
    CHILDREN = "children", _("每个下级辖区（及所列类型的单位）")
    ON_REQUEST = "on_request", _("已发放的单位（按需签订）")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


# How a party stands for coverage (its latest agreement of the type).
class Standing(models.TextChoices):
    SIGNED = "signed", _("已签订（有效期内）")
    PENDING = "pending", _("待签订")
    REFUSED = "refused", _("拒签")
    EXPIRED = "expired", _("已到期")
    LACKING = "lacking", _("未签订")
