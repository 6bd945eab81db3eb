from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardKind(models.TextChoices):
    NATIONAL_CITY = "national_city", _("国家卫生城市")
    NATIONAL_COUNTY = "national_county", _("国家卫生县")
    PROVINCIAL_CITY = "provincial_city", _("省卫生城市")
    PROVINCIAL_TOWN = "provincial_town", _("省卫生镇")
    PROVINCIAL_VILLAGE = "provincial_village", _("省卫生村")
    PROVINCIAL_COMMUNITY = "provincial_community", _("省卫生社区")
    LOCAL = "local", _("地方/自定标准")


class ItemKind(models.TextChoices):
    """How an item counts: a prerequisite (必备条件) must be met whatever the score; a scored item
    carries points; a plain item is assessed 达标/基本达标/未达标 without points."""

    PREREQUISITE = "prerequisite", _("必备条件")
    SCORED = "scored", _("计分项")
    PLAIN = "plain", _("达标项")


class MeasureKind(models.TextChoices):
    RATE = "rate", _("率")
    INDEX = "index", _("指数")
    COUNT = "count", _("数量")
    VALUE = "value", _("数值")


class Comparator(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"
    EQUAL = "eq", "="
