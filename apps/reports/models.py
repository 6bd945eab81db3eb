"""Generated documents (工作总结, 汇报, 简报 …), their parts and revisions, and reporting upward (报送).

A `Report` is one document of a jurisdiction for a period; its text lives in `ReportPart`s, each
a template whose `{figure.key}` placeholders the generator fills from the records
(apps/reports/generator.py). Regenerating recomputes the figures and rewrites only the parts
nobody edited. Every generation, edit and sign-off keeps a `ReportRevision`; a final report is
locked. A `Submission` sends a final report to the level above; a `ReportCall` is the receiver's
request (kind, period, deadline) its senders answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TrackedModel
from apps.core.querysets import RestrictedQuerySet, user_scope_path
from apps.core.roles import Role

from .choices import FileStatus, Language, PartKind, ReportKind, ReportStatus, SubmissionStatus

TITLE = 200
OFFICE = 100


def _subtree_q(user, field: str = "jurisdiction") -> Q:
    if user.role == Role.UNIT_CONTACT:
        return Q(pk__in=[])
    path = user_scope_path(user)
    return Q(**{f"{field}__path__within": path}) if path else Q(pk__in=[])


class Report(TrackedModel):
    jurisdiction = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("文种"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    title = models.CharField(_("标题"), max_length=TITLE)
    # 主送机关 of a 汇报 ("区爱卫办："), 发文字号 where the office numbers its papers, 落款 and 成文日期.
    addressee = models.CharField(_("主送机关"), max_length=OFFICE, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    office = models.CharField(_("落款单位"), max_length=OFFICE)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    # Counts written as offices do ("150余家", "近10吨"); the exact figure stays on the link.
    number_style = models.BooleanField(_("概数写法"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作文稿")
        verbose_name_plural = _("工作文稿")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "kind", "period_start"], name="report_node_kind_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user) -> Q:
        return _subtree_q(user)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.jurisdiction.path}

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class ReportPart(models.Model):
    """One block of the document: the opening, a section (一、…), 存在的问题 or 下一步打算.

    `text` is what is printed, paragraphs separated by blank lines, figures as `{figure.key}`;
    `generated` is the text the generator last wrote, so a part whose `text` differs was edited
    by a person and regenerating keeps it (refreshing only its figures). `figures` holds the
    values last computed: {key: {value, numerator, denominator, unit, label, url}}."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("类别"), max_length=10, choices=PartKind.choices, default=PartKind.SECTION)
    key = models.CharField(_("来源"), max_length=80)
    heading = models.CharField(_("标题"), max_length=TITLE, blank=True)
    order = models.PositiveIntegerField(_("顺序"))
    text = models.TextField(_("正文"), blank=True)
    generated = models.TextField(_("生成的正文"), blank=True)
    figures = models.JSONField(_("数字"), default=dict, blank=True)

    class Meta:
        verbose_name = _("文稿段落")
        verbose_name_plural = _("文稿段落")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_part_unique_key")]

    def __str__(self):
        return self.heading or self.key

    @property
    def edited(self) -> bool:
        return self.text != self.generated

    def audit_scope(self) -> dict:
        return self.report.audit_scope()


class ReportRevision(models.Model):
    """A kept version of a report: its parts and figures as they stood, and why (生成/编辑/定稿)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    reason = models.CharField(_("原因"), max_length=40)
    content = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("文稿版本")
        verbose_name_plural = _("文稿版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_revision_unique_number")]

    def __str__(self):
        return f"{self.report} v{self.number}"


class ReportFile(models.Model):
    """A PDF of a report built in the background (LibreOffice takes seconds): the page polls it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    revision = models.PositiveIntegerField(_("版本号"))
    language = models.CharField(_("语言"), max_length=10, choices=Language.choices, default=Language.SIMPLIFIED)
    status = models.CharField(_("状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("文稿PDF")
        verbose_name_plural = _("文稿PDF")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.report} v{self.revision} {self.language}.pdf"

    def audit_scope(self) -> dict:
        return self.report.audit_scope()


class ReportCall(TrackedModel):
    """A receiver's request for its senders' reports (the direct children of `receiver`): the
    kind, the period and the deadline; reminders go to senders that have not reported."""

    receiver = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("接收辖区"), on_delete=models.PROTECT, related_name="report_calls"
    )
    kind = models.CharField(_("文种"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    deadline = models.DateField(_("报送截止日"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT)
    reminded_on = models.DateField(_("最近提醒日"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送要求")
        verbose_name_plural = _("报送要求")
        ordering = ["-deadline", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["receiver", "kind", "period_start"], name="report_call_unique_period")
        ]

    def __str__(self):
        return f"{self.receiver} {self.get_kind_display()} {self.period_start}–{self.period_end}"

    @classmethod
    def scope_q(cls, user) -> Q:
        """Its receiver's subtree (the receiver's staff, and the senders below it) and the senders
        themselves, whose own path is under the receiver's."""
        if user.role == Role.UNIT_CONTACT:
            return Q(pk__in=[])
        own = getattr(user, "jurisdiction", None)
        if own is None:
            return Q(pk__in=[])
        return Q(receiver__path__within=own.path) | Q(receiver_id=own.parent_id)

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.receiver.path}


class Submission(TrackedModel):
    """A sender's report for a period, sent to its parent (报送): 已报 → 已采纳, or 退回 with a
    reason, after which the sender submits again (the same row, a new report allowed)."""

    report = models.ForeignKey(Report, verbose_name=_("文稿"), on_delete=models.PROTECT, related_name="submissions")
    sender = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("报送辖区"), on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        "organization.Jurisdiction", verbose_name=_("接收辖区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文种"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "receiver", "kind", "period_start"], name="report_submission_unique_period"
            )
        ]

    def __str__(self):
        return f"{self.sender} → {self.receiver}: {self.report}"

    @classmethod
    def scope_q(cls, user) -> Q:
        """The sender's subtree and the receiver's staff (the receiver's subtree holds the sender)."""
        return _subtree_q(user, "sender")

    def audit_scope(self) -> dict:
        return {"jurisdiction_path": self.sender.path}
