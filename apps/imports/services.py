"""Import and export jobs: the template, and starting a job (in the request). The worker side
is `jobs.py`, reached through `tasks.py`."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_role_allows
from apps.core.registry import registry

from . import tasks
from .models import DataJob, JobKind, JobStatus

logger = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"


def import_job_start(*, actor, source: str, upload) -> DataJob:
    """Check the upload and queue the import. The file is parsed in the worker, not here."""
    if source not in registry.imports():
        raise DomainError(_("不支持的导入类型。"))
    ensure_role_allows(actor, registry.imports()[source].model, "add")
    if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise DomainError(_("文件过大（最大 {mb} MB）。").format(mb=settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)))
    head = upload.read(4)
    upload.seek(0)
    if not upload.name.lower().endswith(".xlsx") or head != XLSX_MAGIC:
        raise DomainError(_("请上传 Excel 工作簿（.xlsx）文件，可先下载模板填写。"))
    with transaction.atomic():
        job = DataJob(kind=JobKind.IMPORT, source=source, created_by=actor, input_name=upload.name[:255])
        job.input_file.save(upload.name, upload, save=False)
        job.save()
        audit_record(actor=actor, obj=job, action="imports.job.started", data={"source": source, "file": upload.name})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def export_job_start(*, actor, source: str, filters: dict) -> DataJob:
    if source not in registry.exports():
        raise DomainError(_("不支持的导出类型。"))
    with transaction.atomic():
        job = DataJob.objects.create(kind=JobKind.EXPORT, source=source, created_by=actor, filters=filters)
        audit_record(actor=actor, obj=job, action="imports.export.started", data={"source": source, "filters": filters})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Hand the job to the worker; if the broker is down, say so on the job page."""
    try:
        tasks.data_job_run.delay(job_id)
    except Exception:
        if getattr(tasks.data_job_run.app.conf, "task_always_eager", False):
            raise  # in eager mode this is the task's own error, not the broker's
        logger.exception("could not enqueue data job %s", job_id)
        DataJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            phase="done",
            finished_at=timezone.now(),
            message=_("后台任务服务不可用，请稍后重试或联系系统管理员。"),
        )
