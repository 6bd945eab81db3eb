"""Import and export jobs: start (in the request), run (in the worker), report progress."""

import logging
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_role_allows
from apps.documents.xlsx import write_xlsx

from .exports import EXPORT_SOURCES
from .models import DataJob, JobKind, JobStatus
from .specs import IMPORT_SPECS, check_cell

logger = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"
PROGRESS_EVERY = 250
MAX_ROWS = 50_000


def import_template(source: str) -> bytes:
    """The downloadable .xlsx template: headers (required ones marked *) with notes."""
    spec = IMPORT_SPECS[source]()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)
    for index, column in enumerate(spec.columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B91C1C" if column.required else "475569")
        if column.required:
            cell.comment = Comment(_("必填"), "创卫通")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 4)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_job_start(*, actor, source: str, upload) -> DataJob:
    """Check the upload and queue the import. The file is parsed in the worker, not here."""
    if source not in IMPORT_SPECS:
        raise DomainError(_("不支持的导入类型。"))
    ensure_role_allows(actor, IMPORT_SPECS[source].model, "add")
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
    if source not in EXPORT_SOURCES:
        raise DomainError(_("不支持的导出类型。"))
    with transaction.atomic():
        job = DataJob.objects.create(kind=JobKind.EXPORT, source=source, created_by=actor, filters=filters)
        audit_record(actor=actor, obj=job, action="imports.export.started", data={"source": source, "filters": filters})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Hand the job to the worker; if the broker is down, say so on the job page."""
    from .tasks import data_job_run

    try:
        data_job_run.delay(job_id)
    except Exception:
        if getattr(data_job_run.app.conf, "task_always_eager", False):
            raise  # in eager mode this is the task's own error, not the broker's
        logger.exception("could not enqueue data job %s", job_id)
        DataJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            phase="done",
            finished_at=timezone.now(),
            message=_("后台任务服务不可用，请稍后重试或联系系统管理员。"),
        )


def _progress(job: DataJob, **fields) -> None:
    """Progress is written outside any transaction so the polling page sees it at once."""
    DataJob.objects.filter(pk=job.pk).update(**fields)


def data_job_run(job_id: int) -> None:
    job = DataJob.objects.select_related("created_by", "created_by__jurisdiction").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return  # already taken by another worker
    _progress(job, status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        if job.kind == JobKind.IMPORT:
            _run_import(job)
        else:
            _run_export(job)
    except Exception:
        logger.exception("data job %s failed", job_id)
        _progress(
            job, status=JobStatus.FAILED, finished_at=timezone.now(), message=_("处理时发生内部错误，未导入任何数据。")
        )
        raise


def _read_rows(job: DataJob, spec):
    """The header map and data rows of the first sheet; raises DomainError on a bad layout."""
    try:
        workbook = load_workbook(job.input_file.path, read_only=True, data_only=True)
    except Exception:
        raise DomainError(_("无法读取该文件，请确认是有效的 .xlsx 工作簿。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip().rstrip("*") if v is not None else "" for v in next(rows, [])]
    columns = spec.columns()
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(_("表头缺少列：{cols}。请使用系统提供的模板。").format(cols="、".join(missing)))
    positions = {c.key: header.index(c.header) for c in columns}
    data = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        data.append((number, values))
        if len(data) > MAX_ROWS:
            raise DomainError(_("单次最多导入 {n} 行，请拆分文件。").format(n=MAX_ROWS))
    workbook.close()
    return columns, positions, data


def _run_import(job: DataJob) -> None:
    """Validate every row, then write all of them in one transaction, or none."""
    spec = IMPORT_SPECS[job.source]()
    actor = job.created_by
    try:
        columns, positions, data = _read_rows(job, spec)
    except DomainError as error:
        _progress(job, status=JobStatus.FAILED, phase="done", finished_at=timezone.now(), message=str(error.message))
        return
    _progress(job, total_rows=len(data), phase="validating")
    spec.prepare(actor, columns)
    errors, parsed, state = [], [], {}
    for index, (row_number, values) in enumerate(data, start=1):
        row = {}
        for column in columns:
            position = positions[column.key]
            raw = values[position] if position < len(values) else None
            value, message = check_cell(column, raw)
            if message:
                errors.append({"row": row_number, "column": column.header, "message": message})
            row[column.key] = value
        for header, message in spec.check_row(row, row_number, state):
            errors.append({"row": row_number, "column": header, "message": message})
        parsed.append(row)
        if index % PROGRESS_EVERY == 0:
            _progress(job, processed_rows=index)
    if not data:
        errors.append({"row": 2, "column": "", "message": _("文件中没有数据行。")})
    if errors:
        _progress(
            job,
            status=JobStatus.FAILED,
            phase="done",
            processed_rows=len(data),
            errors=errors[:1000],
            finished_at=timezone.now(),
            message=_("发现 {n} 处错误，未导入任何数据。请修改后重新上传。").format(n=len(errors)),
        )
        return
    _progress(job, processed_rows=len(data), phase="writing")
    with transaction.atomic():
        created = spec.write(actor, parsed, job.pk)
        audit_record(
            actor=actor, obj=job, action="imports.job.succeeded", data={"source": job.source, "created": created}
        )
    _progress(
        job,
        status=JobStatus.SUCCEEDED,
        result_count=created,
        phase="done",
        finished_at=timezone.now(),
        message=_("已导入 {n} 条记录。").format(n=created),
    )


def _run_export(job: DataJob) -> None:
    rows_for, columns_for = EXPORT_SOURCES[job.source]
    rows = rows_for(job.created_by, job.filters)
    total = rows.count()
    _progress(job, total_rows=total, phase="writing")
    content = write_xlsx(rows, columns_for(), progress=lambda n: _progress(job, processed_rows=n))
    name = f"{job.source}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    job.output_file.save(name, ContentFile(content), save=False)
    _progress(
        job,
        output_file=job.output_file.name,
        status=JobStatus.SUCCEEDED,
        processed_rows=total,
        result_count=total,
        phase="done",
        finished_at=timezone.now(),
        message=_("已导出 {n} 行。").format(n=total),
    )


def data_jobs_fail_stale(*, older_than: timedelta = timedelta(hours=2)) -> int:
    """Mark jobs a crashed worker left running as failed, so no page polls forever."""
    cutoff = timezone.now() - older_than
    return DataJob.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__lt=cutoff).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message=_("任务超时未完成，请重新提交。")
    )
