"""The import leaves the request: a real worker (Redis in CI's PostgreSQL run) does the work."""

import time

import pytest
from django.db import transaction

from apps.imports import services
from apps.imports.models import DataJob
from apps.imports.tests.helpers import UNIT_HEADERS, unit_row, upload, workbook_bytes
from apps.organization.models import Unit
from tests.builders import build_org
from tests.worker import running_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_import_runs_in_a_real_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = build_org()
    rows = [unit_row(f"后台单位{i}", org.comm_a1.code) for i in range(1200)]
    with running_worker():
        with transaction.atomic():
            job = services.import_job_start(
                actor=org.community, source="units", upload=upload(workbook_bytes(UNIT_HEADERS, rows))
            )
        # The request returned before the work was done.
        assert DataJob.objects.get(pk=job.pk).status in ("pending", "running")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
    assert job.status == "succeeded", (job.message, job.errors[:3])
    assert Unit.objects.filter(name__startswith="后台单位").count() == 1200
