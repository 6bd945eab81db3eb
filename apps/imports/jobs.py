"""Running import and export jobs in the worker, with progress the job page can poll."""

import logging
import time
import zipfile
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters
from apps.core.registry import registry
from apps.core.storage import local_path
from apps.documents.xlsx import write_xlsx

from .columns import header_name
from .models import DataJob, JobKind, JobStatus
from .specs import check_cell
from .template_book import is_example_row

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 250
MAX_ARCHIVE_MEMBERS = 500  # a workbook of ours has a few dozen parts


def _progress(job: DataJob, **fields) -> None:
    """Progress is written outside any transaction so the polling page sees it at once."""
    DataJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job: DataJob, **fields) -> None:
    """The job's last word (failed, with why). A time limit that struck in the middle of a query
    can leave the connection unusable; then it is closed and the word written on a fresh one, so
    the job never stays "running"."""
    try:
        _progress(job, **fields)
    except DatabaseError:
        connection.close()
        _progress(job, **fields)


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
        _finish(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=error.message)
    except Exception as error:
        timed_out = _timed_out(error)
        if timed_out:
            # The worker's soft time limit (DATA_JOB_SOFT_TIME_LIMIT): the import's transaction
            # has been rolled back by the exception, so nothing was written; say so on the job.
            logger.warning("data job %s stopped at its time limit", job_id)
            if job.kind == JobKind.IMPORT:
                message = _("导入超过时间限制（{s} 秒），已停止，未导入任何数据。请拆分文件后重新上传。")
            else:
                message = _("导出超过时间限制（{s} 秒），已停止。请缩小筛选范围后重试。")
            message = message.format(s=settings.DATA_JOB_SOFT_TIME_LIMIT)
        else:
            logger.exception("data job %s failed", job_id)
            message = _("处理时发生内部错误，未导入任何数据。")
        ended = {"phase": "done"} if timed_out else {}
        _finish(job, status=JobStatus.FAILED, finished_at=timezone.now(), message=message, **ended)
        if job.kind == JobKind.IMPORT:
            _audit_failure(job, reason=message)
        if not timed_out:
            raise


def _timed_out(error: BaseException) -> bool:
    """The soft time limit, also when it struck inside a query and surfaced as the database's error."""
    return isinstance(error, SoftTimeLimitExceeded) or isinstance(error.__context__, SoftTimeLimitExceeded)


def _audit_failure(job: DataJob, *, reason: str, errors: int = 0) -> None:
    """A refused import is an audit event too: who tried to load what, and why it failed."""
    data = {"source": job.source, "file": job.input_name, "reason": reason}
    if errors:
        data["errors"] = errors
    audit_record(actor=job.created_by, obj=job, action="imports.job.failed", data=data)


def check_workbook_archive(path) -> None:
    """Zip-bomb safety: an .xlsx is a zip archive; refuse it from its directory (no member is
    inflated) when its members would unpack to more than IMPORT_MAX_UNCOMPRESSED_BYTES, or
    when it has more members than any workbook of ours needs."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(_("无法读取该文件，请确认是有效的 .xlsx 工作簿。")) from None
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > limit:
        raise DomainError(
            _("工作簿解压后超过 {mb} MB，请删除多余的工作表、空行和格式后重新上传。").format(mb=limit // (1024 * 1024))
        )


def _is_empty(values) -> bool:
    return values is None or all(v is None or str(v).strip() == "" for v in values)


def _read_rows(job: DataJob, spec):
    """The header map and data rows of the first sheet; raises DomainError on a bad layout.

    Bounded while streaming (openpyxl's read-only mode), so a hostile workbook stops early:
    at most IMPORT_MAX_COLUMNS columns (the header) and IMPORT_MAX_ROWS data rows,
    IMPORT_MAX_CELLS filled cells and IMPORT_MAX_SECONDS of reading; IMPORT_MAX_EMPTY_ROWS
    empty rows in a row end the data (the sheet's declared size can lie: a formatted
    column or a stray cell far below makes millions of empty rows).
    """
    # A local copy when the upload is in object storage: zipfile and openpyxl seek in the file.
    with local_path(job.input_file) as path:
        check_workbook_archive(path)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise DomainError(_("无法读取该文件，请确认是有效的 .xlsx 工作簿。")) from None
        try:
            return _stream_rows(workbook.worksheets[0], spec)
        finally:
            workbook.close()


def _stream_rows(sheet, spec):
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    max_cells, max_empty = settings.IMPORT_MAX_CELLS, settings.IMPORT_MAX_EMPTY_ROWS
    deadline = time.monotonic() + settings.IMPORT_MAX_SECONDS
    # One column past the limit is read, only to tell that the header is too wide.
    rows = sheet.iter_rows(min_row=1, max_col=max_columns + 1, values_only=True)
    first = next(rows, None) or ()
    if len(first) > max_columns and not _is_empty(first[max_columns:]):
        raise DomainError(_("表格超过 {n} 列，请使用系统提供的模板。").format(n=max_columns))
    header = [header_name(v) for v in first[:max_columns]]
    columns = spec.columns()
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(_("表头缺少列：{cols}。请使用系统提供的模板。").format(cols="、".join(missing)))
    positions = {c.key: header.index(c.header) for c in columns}
    data, cells, empty_run = [], 0, 0
    for number, values in enumerate(rows, start=2):
        if time.monotonic() > deadline:
            raise DomainError(
                _("读取表格超过 {s} 秒，已停止。请拆分文件后重新上传。").format(s=settings.IMPORT_MAX_SECONDS)
            )
        if _is_empty(values):
            empty_run += 1
            if empty_run >= max_empty:
                break  # the data has ended; what follows is formatting, not rows
            continue
        empty_run = 0
        if is_example_row(values):
            continue
        values = values[:max_columns]
        data.append((number, values))
        if len(data) > max_rows:
            raise DomainError(_("表格超过 {n} 行数据，请拆分文件后分批导入。").format(n=max_rows))
        cells += sum(1 for v in values if v is not None and str(v).strip() != "")
        if cells > max_cells:
            raise DomainError(_("表格超过 {n} 个单元格，请拆分文件后分批导入。").format(n=max_cells))
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


def row_count(rows) -> int:
    """How many rows an export source gave: a queryset counts in the database, a list by len()."""
    return len(rows) if isinstance(rows, list | tuple) else rows.count()


def _run_export(job: DataJob) -> None:
    export = registry.exports()[job.source]
    rows = export.rows(job.created_by, job.filters)
    total = row_count(rows)
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
    """Mark jobs a crashed worker left running as failed, so no page polls forever: any job
    older than `older_than`, and a job running for longer than the hard time limit (its
    worker process was killed before it could say so)."""
    now = timezone.now()
    killed_before = now - timedelta(seconds=settings.DATA_JOB_TIME_LIMIT + 60)
    stale = Q(status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__lt=now - older_than) | Q(
        status=JobStatus.RUNNING, started_at__lt=killed_before
    )
    return DataJob.objects.filter(stale).update(
        status=JobStatus.FAILED, finished_at=now, message=_("任务超时未完成，请重新提交。")
    )
