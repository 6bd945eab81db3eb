from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignLevel(models.TextChoices):
    """The title sought (创建目标)."""

    NATIONAL_CITY = "national_city", _("国家卫生城市")
    NATIONAL_COUNTY = "national_county", _("国家卫生县")
    PROVINCIAL_CITY = "provincial_city", _("省卫生城市")
    PROVINCIAL_TOWN = "provincial_town", _("省卫生镇")
    PROVINCIAL_VILLAGE = "provincial_village", _("省卫生村")
    PROVINCIAL_COMMUNITY = "provincial_community", _("省卫生社区")
    MUNICIPAL = "municipal", _("市级卫生单位/社区")
    OTHER = "other", _("其他")


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("筹备中")
    ACTIVE = "active", _("创建中")
    CONCLUDED = "concluded", _("已结束")


class PhaseKind(models.TextChoices):
    """The four phases of a campaign (001 L113-121); a campaign may add its own."""

    PUBLICITY = "publicity", _("宣传发动")
    SELF_CHECK = "self_check", _("自查整改")
    GAP_FILLING = "gap_filling", _("查漏补缺")
    ACCEPTANCE = "acceptance", _("考核验收")
    OTHER = "other", _("其他阶段")


class GroupRole(models.TextChoices):
    LEADERSHIP = "leadership", _("领导小组")
    WORKING = "working", _("工作小组")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class TaskOrigin(models.TextChoices):
    STANDARD = "standard", _("标准分解")
    MEETING = "meeting", _("会议决定")
    GAP = "gap", _("自查缺项")
    MOCK = "mock", _("模拟考核")
    MANUAL = "manual", _("手工添加")


class AssessmentResult(models.TextChoices):
    MET = "met", _("达标")
    PARTLY = "partly", _("基本达标")
    UNMET = "unmet", _("未达标")


class EvidenceKind(models.TextChoices):
    RULE = "rule", _("自动关联")
    LINKED = "linked", _("手工关联")
    UPLOAD = "upload", _("上传资料")


class BinderStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class MockStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已完成")
