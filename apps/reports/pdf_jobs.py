"""The background job that turns a report into PDF (LibreOffice takes seconds), with the status its
page polls, and the sweep that fails jobs a crashed worker left behind."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.periodic import beat_singleton

from .choices import FileStatus
from .models import ReportFile

logger = logging.getLogger(__name__)


def _progress(file_id: int, **fields) -> None:
    ReportFile.objects.filter(pk=file_id).update(**fields)


def pdf_build_run(file_id: int) -> None:
    from . import exports, layout

    claimed = ReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(status=FileStatus.RUNNING)
    if not claimed:
        return
    job = ReportFile.objects.select_related("report__jurisdiction", "created_by").get(pk=file_id)
    try:
        docx = exports.report_docx(job.report, job.language, job.created_by)
        pdf = layout.render_pdf(docx)
    except Exception as error:  # LibreOffice missing, timed out or failed; a rendering bug
        logger.exception("report PDF %s failed", file_id)
        message = str(error) if isinstance(error, layout.PdfUnavailable) else _("生成PDF时发生内部错误，请稍后重试。")
        _progress(file_id, status=FileStatus.FAILED, message=message[:255], finished_at=timezone.now())
        audit_record(actor=job.created_by, obj=job, action="reports.report.pdf_failed", data={"message": message})
        return
    job.file.save(exports.file_name(job.report, job.language, ".pdf"), ContentFile(pdf), save=False)
    _progress(file_id, status=FileStatus.SUCCEEDED, file=job.file.name, finished_at=timezone.now())


@shared_task(
    name="apps.reports.tasks.reports_pdf_build",
    soft_time_limit=settings.DATA_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DATA_JOB_TIME_LIMIT,
)
def reports_pdf_build(file_id: int) -> None:
    pdf_build_run(file_id)


def pdf_jobs_fail_stale(*, older_than: timedelta = timedelta(minutes=30)) -> int:
    now = timezone.now()
    stale = Q(status__in=[FileStatus.PENDING, FileStatus.RUNNING], created_at__lt=now - older_than)
    return ReportFile.objects.filter(stale).update(
        status=FileStatus.FAILED, finished_at=now, message=_("生成任务超时未完成，请重新生成。")
    )


@shared_task(name="apps.reports.tasks.reports_pdf_fail_stale")
@beat_singleton
def reports_pdf_fail_stale() -> int:
    return pdf_jobs_fail_stale()
