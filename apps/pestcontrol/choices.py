"""The kinds, pests, methods and places of 除四害 work and 病媒生物监测."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pest(models.TextChoices):
    RAT = "rat", _("鼠")
    MOSQUITO = "mosquito", _("蚊")
    FLY = "fly", _("蝇")
    COCKROACH = "cockroach", _("蟑螂")


class ControlMethod(models.TextChoices):
    """How an operation controls: the methods the seeds name (毒饵、喷洒、清理孳生地 …)."""

    BAIT = "bait", _("毒饵")
    STICKY = "sticky", _("粘板/粘蝇纸")
    TRAP = "trap", _("鼠笼/鼠夹")
    RESIDUAL_SPRAY = "residual_spray", _("滞留喷洒")
    SPACE_SPRAY = "space_spray", _("空间喷雾")
    BREEDING_CLEARANCE = "breeding_clearance", _("孳生地清理")
    GEL = "gel", _("胶饵")
    PROOFING = "proofing", _("防鼠防蝇设施")


class CampaignKind(models.TextChoices):
    SPRING_RAT = "spring_rat", _("春季灭鼠")
    AUTUMN_RAT = "autumn_rat", _("秋季灭鼠")
    SUMMER_MOSQUITO_FLY = "summer_mosquito_fly", _("夏季灭蚊灭蝇")
    COCKROACH = "cockroach", _("灭蟑行动")
    UNIFIED = "unified", _("统一行动")
    EMERGENCY = "emergency", _("突击消杀")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class OperationKind(models.TextChoices):
    ROUTINE = "routine", _("日常消杀")
    CAMPAIGN = "campaign", _("集中行动")
    EMERGENCY = "emergency", _("突击消杀")


class ExecutorKind(models.TextChoices):
    OWN = "own", _("自行组织")
    CONTRACTOR = "contractor", _("有害生物防制公司")


class PackageUnit(models.TextChoices):
    """A package's size is in grams or millilitres; totals are shown in kg and L."""

    GRAM = "g", _("克")
    MILLILITRE = "ml", _("毫升")


class MovementKind(models.TextChoices):
    PURCHASE = "purchase", _("采购入库")
    ISSUE = "issue", _("发放出库")
    RETURN = "return", _("退回入库")
    DISPOSE = "dispose", _("报废出库")


# Movements that add to a store's stock; the others take from it.
INBOUND = (MovementKind.PURCHASE, MovementKind.RETURN)


class PlaceType(models.TextChoices):
    """重点场所 types a survey is made in; control levels may differ by place type."""

    RESIDENTIAL = "residential", _("居民区")
    CATERING = "catering", _("餐饮")
    MARKET = "market", _("农贸市场")
    CONSTRUCTION = "construction", _("建筑工地")
    UNIT = "unit", _("单位")
    OUTDOOR = "outdoor", _("外环境")
    OTHER = "other", _("其他")


class SurveyPhase(models.TextChoices):
    """A survey's place in a campaign: 灭效 compares the 'after' survey with the 'before' one."""

    NONE = "", _("—")
    BEFORE = "before", _("防制前")
    AFTER = "after", _("防制后")


class SurveyStatus(models.TextChoices):
    """A household (入户) survey is open while visits are added; every other survey is entered
    complete."""

    OPEN = "open", _("调查中")
    SUBMITTED = "submitted", _("已提交")


class Grade(models.TextChoices):
    """Control levels of GB/T 27770–27773, best first; FAIL is below C."""

    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")
    FAIL = "fail", _("未达C级")


GRADE_ORDER = [Grade.A, Grade.B, Grade.C, Grade.FAIL]  # best to worst


class ContainerType(models.TextChoices):
    """Water containers checked in an Aedes household survey (入户调查)."""

    PLANT = "plant", _("盆景/水培植物")
    JAR = "jar", _("水缸/水桶")
    TYRE = "tyre", _("轮胎")
    DISCARDED = "discarded", _("废弃容器")
    PUDDLE = "puddle", _("积水（地面/楼顶）")
    VASE = "vase", _("花瓶/花盆托盘")
    OTHER = "other", _("其他容器")


class RiskLevel(models.TextChoices):
    """Dengue-vector risk from the Breteau index (thresholds are data: AedesSetting)."""

    LOW = "low", _("低风险")
    MEDIUM = "medium", _("中风险")
    HIGH = "high", _("高风险")
    SEVERE = "severe", _("极高风险")
