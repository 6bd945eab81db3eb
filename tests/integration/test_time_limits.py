"""Issue 9: a background job that runs past its soft time limit ends failed with a message.

Celery enforces time limits only in its prefork pool (the solo and thread pools ignore them),
so this starts a real `celery worker --pool=prefork` process, with a 1-second soft limit for
data jobs, on a filesystem broker in a temporary folder, against the test database.
"""

import os
import secrets
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from kombu import Connection

from apps.imports import services, tasks
from apps.imports.tests.helpers import UNIT_HEADERS, unit_row, upload, workbook_bytes
from apps.organization.models import Unit
from config.celery import app
from tests.builders import build_org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_an_import_past_its_soft_time_limit_ends_failed_with_a_message(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    org = build_org()
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.append)  # sent below, to the real worker
    rows = [unit_row(f"限时单位{i}", org.comm_a1.code) for i in range(20000)]  # seconds of work
    job = services.import_job_start(
        actor=org.community, source="units", upload=upload(workbook_bytes(UNIT_HEADERS, rows))
    )
    assert queued == [job.pk]

    queue = tmp_path / "broker" / "queue"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),  # production settings may refuse the published key
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "CHUANGWEI_VAR_DIR": str(tmp_path),
        "CHUANGWEI_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CHUANGWEI_DATA_JOB_SOFT_TIME_LIMIT": "1",
        "CHUANGWEI_DATA_JOB_TIME_LIMIT": "60",
        "CHUANGWEI_IMPORT_MAX_ROWS": "100000",
        "CHUANGWEI_REQUIRE_AUDIT_LABELS": "1",
    }
    if os.environ.get("REDIS_CACHE_URL"):  # this test process's own Redis database, not another's
        env["REDIS_CACHE_URL"] = settings.CACHES["shared"]["LOCATION"]
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1"),
            *("--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        queue.mkdir(parents=True, exist_ok=True)
        options = {"data_folder_in": str(queue), "data_folder_out": str(queue)}
        monkeypatch.setattr(app.conf, "task_always_eager", False)
        with Connection("filesystem://", transport_options=options) as broker:
            # The sender's limits travel in the message (as from a web process with the same
            # environment as the worker).
            tasks.data_job_run.apply_async(args=[job.pk], connection=broker, soft_time_limit=1, time_limit=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.3)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output = worker.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output = worker.communicate()[0].decode(errors="replace")
    job.refresh_from_db()
    assert job.status == "failed", (job.status, job.message, output[-3000:])
    assert job.message == "导入超过时间限制（1 秒），已停止，未导入任何数据。请拆分文件后重新上传。"
    assert not Unit.objects.filter(name__startswith="限时单位").exists()
