from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    UNIT = "unit", _("单位")
    JURISDICTION = "jurisdiction", _("辖区（小区/社区）")


class ItemRuleKind(models.TextChoices):
    FIXED = "fixed", _("发现即扣固定分")
    PER_OCCURRENCE = "per_occurrence", _("每处扣分（有上限）")
    PASS_FAIL = "pass_fail", _("合格/不合格")


class PlanKind(models.TextChoices):
    DAILY = "daily", _("日常检查")
    TWICE_WEEKLY = "twice_weekly", _("每周两检")
    MONTHLY_JOINT = "monthly_joint", _("月度联合检查")
    QUARTERLY = "quarterly", _("季度大检查")
    UNANNOUNCED = "unannounced", _("暗访")


class SampleMode(models.TextChoices):
    ALL = "all", _("全部检查")
    COUNT = "count", _("每类随机抽取若干个")
    SHARE = "share", _("每类按比例随机抽取")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    SUBMITTED = "submitted", _("已提交")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("维持扣分")
    OVERTURNED = "overturned", _("撤销扣分")


class ScoreChangeKind(models.TextChoices):
    CORRECTION = "correction", _("更正")
    APPEAL = "appeal", _("申诉改判")


class PeriodKind(models.TextChoices):
    FORTNIGHT = "fortnight", _("两周")
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class FlagKind(models.TextChoices):
    RED = "red", _("流动红旗")
    YELLOW = "yellow", _("黄旗（末位）")
