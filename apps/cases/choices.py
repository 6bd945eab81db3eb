from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("待核实")
    REGISTERED = "registered", _("已立案")
    REJECTED = "rejected", _("不予立案")
    DISPATCHED = "dispatched", _("处置中")
    HANDLED = "handled", _("待核查")
    RETURNED = "returned", _("已回退")
    SUSPENDED = "suspended", _("挂账")
    CLOSED = "closed", _("已结案")
    VOIDED = "voided", _("已作废")


OPEN_STATUSES = [
    CaseStatus.REPORTED,
    CaseStatus.REGISTERED,
    CaseStatus.DISPATCHED,
    CaseStatus.HANDLED,
    CaseStatus.RETURNED,
    CaseStatus.SUSPENDED,
]


class CaseSource(models.TextChoices):
    PATROL = "patrol", _("巡查上报")
    INSPECTION = "inspection", _("检查发现")
    RESIDENT = "resident", _("群众举报")
    HOTLINE = "hotline", _("12345热线")
    LEADER = "leader", _("领导督查")


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("部件")
    EVENT = "event", _("事件")


class DeadlineUnit(models.TextChoices):
    WORK_HOURS = "hours", _("工作小时")
    WORK_DAYS = "days", _("工作日")


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")
    CHECK = "check", _("核查")


class EscalationLevel(models.IntegerChoices):
    NOTICE = 0, _("已下发整改通知书")
    REMINDED = 1, _("已催办")
    SUPERVISED = 2, _("已发督办告知书")
    LISTED = 3, _("列入通报")


# Timeline events that are not status changes (the transitions carry their own labels).
EVENT_LABELS = {
    "report": _("上报"),
    "remind": _("催办"),
    "supervise": _("督办"),
    "list": _("列入通报"),
    "resume": _("恢复处置"),
    "hotline_view": _("热线查看"),
    "hotline_answer": _("热线答复"),
    "photo": _("补充照片"),
    "hotline_overdue": _("热线答复超时"),
}
