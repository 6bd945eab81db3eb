"""Issue 9: a hostile workbook stops early with a message; every job has time limits."""

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from apps.core.models import AuditEvent
from apps.imports import jobs, services
from apps.imports.models import DataJob
from apps.organization.models import Unit

from .helpers import UNIT_HEADERS, raw_workbook_bytes, unit_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(org, content) -> DataJob:
    job = services.import_job_start(actor=org.community, source="units", upload=upload(content))
    jobs.data_job_run(job.pk)
    job.refresh_from_db()
    return job


def test_a_long_run_of_empty_rows_ends_the_data_and_the_scan(org, settings, monkeypatch):
    """The sheet declares 300,002 rows (and has them, empty): the scan stops after
    IMPORT_MAX_EMPTY_ROWS empty ones instead of walking them all."""
    settings.IMPORT_MAX_EMPTY_ROWS = 100
    rows = [unit_row(f"空行后单位{i}", org.comm_a1.code) for i in range(2)]
    content = raw_workbook_bytes(UNIT_HEADERS, rows, empty_rows=300_000)
    looked_at = []
    real = jobs._is_empty
    monkeypatch.setattr(jobs, "_is_empty", lambda values: looked_at.append(1) or real(values))
    started = time.monotonic()
    job = run(org, content)
    assert job.status == "succeeded", (job.message, job.errors[:3])
    assert Unit.objects.filter(name__startswith="空行后单位").count() == 2
    assert len(looked_at) <= 2 + 100 + 1  # the header check, the two rows, the empty run
    assert time.monotonic() - started < 30


def test_too_many_data_rows(org, settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [unit_row(f"超行单位{i}", org.comm_a1.code) for i in range(6)]
    job = run(org, workbook_bytes(UNIT_HEADERS, rows))
    assert job.status == "failed"
    assert job.message == "表格超过 5 行数据，请拆分文件后分批导入。"
    assert not Unit.objects.filter(name__startswith="超行单位").exists()
    assert AuditEvent.objects.filter(action="imports.job.failed", object_id=str(job.pk)).exists()


def test_too_many_columns(org, settings):
    settings.IMPORT_MAX_COLUMNS = 20
    headers = [*UNIT_HEADERS, *[f"多余列{i}" for i in range(8)]]  # 21 columns
    job = run(org, workbook_bytes(headers, [[*unit_row("宽表单位", org.comm_a1.code), *["x"] * 8]]))
    assert job.status == "failed" and job.message == "表格超过 20 列，请使用系统提供的模板。"
    # Values beyond the limit in data rows are not read; a header within it imports.
    settings.IMPORT_MAX_COLUMNS = 21
    assert run(org, workbook_bytes(headers, [[*unit_row("宽表单位", org.comm_a1.code), *["x"] * 8]])).status == (
        "succeeded"
    )


def test_too_many_cells(org, settings):
    settings.IMPORT_MAX_CELLS = 20  # a unit row fills 12 cells
    rows = [unit_row(f"多格单位{i}", org.comm_a1.code) for i in range(2)]
    job = run(org, workbook_bytes(UNIT_HEADERS, rows))
    assert job.status == "failed" and job.message == "表格超过 20 个单元格，请拆分文件后分批导入。"


def test_reading_longer_than_the_limit_stops(org, settings):
    settings.IMPORT_MAX_SECONDS = -1  # already over when the first row is read
    job = run(org, workbook_bytes(UNIT_HEADERS, [unit_row("慢单位", org.comm_a1.code)]))
    assert job.status == "failed" and job.message == "读取表格超过 -1 秒，已停止。请拆分文件后重新上传。"


def test_a_zip_bomb_is_refused_from_the_archive_directory(org, settings, monkeypatch):
    """The members' uncompressed sizes are read from the zip directory; openpyxl never opens it."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    content = raw_workbook_bytes(UNIT_HEADERS, [], empty_rows=400_000)  # ~9 MB of XML, ~1 MB zipped

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not read a refused archive")

    monkeypatch.setattr(jobs, "load_workbook", never)
    job = run(org, content)
    assert job.status == "failed"
    assert job.message == "工作簿解压后超过 5 MB，请删除多余的工作表、空行和格式后重新上传。"


def test_a_job_stopped_by_its_soft_time_limit_ends_failed_with_a_message(org, settings, monkeypatch):
    """What the worker raises at the soft limit (the real worker: tests/integration)."""

    def too_slow(job):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "_run_import", too_slow)
    settings.DATA_JOB_SOFT_TIME_LIMIT = 600
    job = run(org, workbook_bytes(UNIT_HEADERS, [unit_row("超时单位", org.comm_a1.code)]))
    assert job.status == "failed" and job.phase == "done"
    assert job.message == "导入超过时间限制（600 秒），已停止，未导入任何数据。请拆分文件后重新上传。"
    assert AuditEvent.objects.filter(action="imports.job.failed", object_id=str(job.pk)).exists()


def test_a_job_whose_worker_was_killed_is_failed_after_the_hard_limit(org, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.DATA_JOB_TIME_LIMIT = 60
    job = DataJob.objects.create(kind="import", source="units", created_by=org.community)
    DataJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - timedelta(seconds=200))
    fresh = DataJob.objects.create(kind="import", source="units", created_by=org.community)
    DataJob.objects.filter(pk=fresh.pk).update(status="running", started_at=timezone.now())
    assert jobs.data_jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "任务超时未完成，请重新提交。"


def test_every_background_task_has_a_soft_and_a_hard_time_limit():
    from config.celery import app

    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if name.startswith("apps.")]
    assert len(ours) >= 4
    for task in ours:
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, task.name
