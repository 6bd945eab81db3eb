from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitStatus(models.TextChoices):
    OPERATING = "operating", _("营业")
    SUSPENDED = "suspended", _("停业")
    CANCELLED = "cancelled", _("注销")


class ZoneKind(models.TextChoices):
    BAOGAN = "baogan", _("包干区域")
    RESPONSIBILITY = "responsibility", _("责任区")
    FRONTAGE3 = "frontage3", _("门前三包")
    FRONTAGE5 = "frontage5", _("门前五包")
    ROAD_SECTION = "section", _("保洁路段")


class GroupKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导小组")
    WORKING = "working", _("工作小组")


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_HEAD = "office_head", _("办公室主任")


# How members are listed: the leader first, then deputies, the office head, members.
POSITION_ORDER = [GroupPosition.LEADER, GroupPosition.DEPUTY, GroupPosition.OFFICE_HEAD, GroupPosition.MEMBER]
