"""The generated documents' fixed vocabularies: kinds, statuses, and the states of a submission (报送)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    YEAR_SUMMARY = "year_summary", _("年度工作总结")
    HALF_SUMMARY = "half_summary", _("半年工作总结")
    REPORT = "report", _("工作汇报")
    BRIEFING = "briefing", _("工作简报")
    SELF_CHECK = "self_check", _("自查报告")
    APPLICATION = "application", _("创建申请")
    PLAN = "plan", _("工作方案")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("定稿")


class SubmissionStatus(models.TextChoices):
    # 未报 is the absence of a submission (the receiver's list shows it for every sender without one).
    SUBMITTED = "submitted", _("已报")
    RETURNED = "returned", _("退回")
    ACCEPTED = "accepted", _("已采纳")


class PartKind(models.TextChoices):
    OPENING = "opening", _("开头")
    SECTION = "section", _("正文")
    PROBLEMS = "problems", _("存在的问题")
    PLANS = "plans", _("下一步打算")


class FileStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    SUCCEEDED = "succeeded", _("已生成")
    FAILED = "failed", _("失败")


class Language(models.TextChoices):
    # The document's language: as written (Simplified), Traditional (OpenCC s2tw, as seed 004), English.
    SIMPLIFIED = "zh-hans", _("简体中文")
    TRADITIONAL = "zh-hant", _("繁体中文")
    ENGLISH = "en", _("英文")
