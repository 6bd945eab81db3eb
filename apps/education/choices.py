from django.db import models
from django.utils.translation import gettext_lazy as _


class EduKind(models.TextChoices):
    """What a health-education activity (and a plan's target) is. 宣传栏更新 is planned like the
    others but recorded as board updates (`BoardUpdate`), not as activities."""

    LECTURE = "lecture", _("健康讲座")
    TRAINING = "training", _("健康培训班")
    CLINIC = "clinic", _("义诊/健康咨询")
    BOARD = "board", _("宣传栏更新")
    MATERIALS = "materials", _("资料发放")
    TOBACCO = "tobacco", _("控烟活动")
    HEALTHY_FAMILY = "healthy_family", _("健康家庭评选")
    OTHER = "other", _("其他健康教育活动")


# Kinds recorded as `EducationActivity` rows (every kind but board updates).
ACTIVITY_KINDS = [kind for kind in EduKind if kind != EduKind.BOARD]


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("社区居民")
    ELDERLY = "elderly", _("老年人")
    STUDENTS = "students", _("学生")
    UNIT_STAFF = "unit_staff", _("单位职工")
    MIGRANTS = "migrants", _("流动人口")
    FOOD_WORKERS = "food_workers", _("食品从业人员")
    VOLUNTEERS = "volunteers", _("志愿者")
    OTHER = "other", _("其他")


class EduStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("每月更换")
    QUARTERLY = "quarterly", _("每季度更换")


class PlaceKind(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    MEDICAL = "medical", _("医疗卫生机构")
    SCHOOL = "school", _("学校")
    PUBLIC = "public", _("公共场所")
    CATERING = "catering", _("餐饮场所")
    SHOPPING = "shopping", _("商场超市")
    TRANSPORT = "transport", _("交通站点")
    OTHER = "other", _("其他")


class CheckResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
