"""Running import and export jobs in the worker, with progress the job page can poll."""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters
from apps.core.registry import registry
from apps.documents.xlsx import write_xlsx

from .columns import header_name
from .models import DataJob, JobKind, JobStatus
from .specs import check_cell
from .template_book import is_example_row

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 250
MAX_ROWS = 50_000


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
    except InvalidFilters as error:
        # The list's filters are validated again when the job runs (a jurisdiction may have left
        # the user's scope since): refused with the list's own message, nothing exported.
        _progress(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=error.message)
    except Exception:
        logger.exception("data job %s failed", job_id)
        message = _("处理时发生内部错误，未导入任何数据。")
        _progress(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=message)
        if job.kind == JobKind.IMPORT:
            _audit_failure(job, reason=message)
        raise


def _audit_failure(job: DataJob, *, reason: str, errors: int = 0) -> None:
    """A refused import is an audit event too: who tried to load what, and why it failed."""
    data = {"source": job.source, "file": job.input_name, "reason": reason}
    if errors:
        data["errors"] = errors
    audit_record(actor=job.created_by, obj=job, action="imports.job.failed", data=data)


def _read_rows(job: DataJob, spec):
    """The header map and data rows of the first sheet; raises DomainError on a bad layout."""
    try:
        workbook = load_workbook(job.input_file.path, read_only=True, data_only=True)
    except Exception:
        raise DomainError(_("无法读取该文件，请确认是有效的 .xlsx 工作簿。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [header_name(v) for v in next(rows, [])]
    columns = spec.columns()
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(_("表头缺少列：{cols}。请使用系统提供的模板。").format(cols="、".join(missing)))
    positions = {c.key: header.index(c.header) for c in columns}
    data = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values) or is_example_row(values):
            continue
        data.append((number, values))
        if len(data) > MAX_ROWS:
            raise DomainError(_("单次最多导入 {n} 行，请拆分文件。").format(n=MAX_ROWS))
    workbook.close()
    return columns, positions, data


def _run_import(job: DataJob) -> None:
    """Validate every row, then write all of them in one transaction, or none."""
    spec = registry.imports()[job.source]()
    actor = job.created_by
    try:
        columns, positions, data = _read_rows(job, spec)
    except DomainError as error:
        _progress(job, status=JobStatus.FAILED, phase="done", finished_at=timezone.now(), message=str(error.message))
        _audit_failure(job, reason=str(error.message))
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
        _audit_failure(job, reason=_("数据校验未通过"), errors=len(errors))
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
    export = registry.exports()[job.source]
    rows = export.rows(job.created_by, job.filters)
    total = rows.count()
    _progress(job, total_rows=total, phase="writing")
    content = write_xlsx(rows, export.columns(), progress=lambda n: _progress(job, processed_rows=n))
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
