"""The meetings' fixed vocabularies: kinds, recurrence, statuses, sign-in methods, decision kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导小组会议")
    REGULAR = "regular", _("例会")
    MOBILIZATION = "mobilization", _("动员大会")
    PROGRESS = "progress", _("推进会")
    ONSITE = "onsite", _("现场会")
    HEALTH_MONTH = "health_month", _("爱国卫生月活动")


class Recurrence(models.TextChoices):
    NONE = "none", _("不重复")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("计划召开")
    HELD = "held", _("已召开")
    CLOSED = "closed", _("已归档")
    CANCELLED = "cancelled", _("已取消")


class SignInMethod(models.TextChoices):
    SELF = "self", _("本人签到")
    RECORDER = "recorder", _("记录人代签")


class InviteSource(models.TextChoices):
    GROUP = "group", _("小组")
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")


class DecisionKind(models.TextChoices):
    AGREED = "agreed", _("会议议定")
    STRESSED = "stressed", _("会议强调")
    CONSIDERED = "considered", _("会议认为")


class DecisionStatus(models.TextChoices):
    """A stand-alone follow-up's own status; a decision linked to a campaign task reads the task's."""

    OPEN = "open", _("落实中")
    DONE = "done", _("已落实")
    CANCELLED = "cancelled", _("已取消")
