"""The kinds and statuses of 爱国卫生活动 records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CLEANUP = "cleanup", _("清洁大扫除/集中清理")
    VOLUNTEER = "volunteer", _("义务劳动")
    CAMPAIGN = "campaign", _("集中整治行动")
    HEALTH_MONTH = "health_month", _("爱国卫生月活动")
    PUBLICITY = "publicity", _("宣传活动")
    EQUIPMENT = "equipment", _("设施配备")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class ParticipantKind(models.TextChoices):
    PARTY_CADRE = "party_cadre", _("党员干部")
    VOLUNTEER = "volunteer", _("志愿者")
    RESIDENT = "resident", _("居民")
    STUDENT = "student", _("学生")
    UNIT_STAFF = "unit_staff", _("单位职工")


class MeasureCategory(models.TextChoices):
    EFFECT = "effect", _("成效")
    PUBLICITY = "publicity", _("宣传")
    EQUIPMENT = "equipment", _("设施")


# Kinds that are not drives: equipment additions are recorded as activities so every total is
# one model, but a 垃圾箱 delivered is not a clean-up drive.
NOT_DRIVES = (ActivityKind.EQUIPMENT,)
