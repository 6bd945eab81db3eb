from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import RestrictedQuerySet


class JobKind(models.TextChoices):
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class DataJob(models.Model):
    """A background import or export, with the progress the page polls.

    Imports validate every row first and write nothing unless all rows pass; the
    errors are kept by row and column. Exports write an .xlsx of a list with the
    filters the user had applied, restricted to what that user may see.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=JobKind.choices)
    source = models.CharField(_("数据"), max_length=30)
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="data_jobs"
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to="imports/%Y/%m/", blank=True)
    input_name = models.CharField(_("文件名"), max_length=255, blank=True)
    output_file = models.FileField(_("结果文件"), upload_to="exports/%Y/%m/", blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    phase = models.CharField(_("阶段"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    result_count = models.PositiveIntegerField(_("成功条数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入导出任务")
        verbose_name_plural = _("导入导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def source_label(self) -> str:
        from apps.core.registry import registry

        spec = registry.imports().get(self.source)
        if spec is not None:
            return str(spec.title)
        export = registry.exports().get(self.source)
        return str(export.label) if export is not None else self.source

    @property
    def result_link(self) -> tuple[str, str] | None:
        """(url, label) of the list a finished import's records appear in, from its spec."""
        from django.urls import reverse

        from apps.core.registry import registry

        spec = registry.imports().get(self.source)
        if spec is None or not spec.result_url_name:
            return None
        return reverse(spec.result_url_name), str(spec.result_label)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Validation counts for 80% of an import, writing for the rest."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        share = 80 if self.kind == JobKind.IMPORT else 100
        done = min(self.processed_rows, self.total_rows) * share // self.total_rows
        return min(99, done + (15 if self.phase == "writing" else 0))

    @classmethod
    def scope_q(cls, user) -> Q:
        # Jobs carry uploaded files and exports of the initiator's scope: only theirs.
        return Q(created_by=user)

    def audit_scope(self) -> dict:
        user = self.created_by
        return {"jurisdiction_path": user.jurisdiction.path if user.jurisdiction_id else "", "unit_id": user.unit_id}
