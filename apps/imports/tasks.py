from celery import shared_task
from django.conf import settings

from apps.core.periodic import beat_singleton

from . import jobs


# An import or export may take minutes; it gets its own limits (a soft one that the job turns
# into a failed job with a message, then the hard one that kills the worker process).
@shared_task(
    name="apps.imports.tasks.data_job_run",
    soft_time_limit=settings.DATA_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DATA_JOB_TIME_LIMIT,
)
def data_job_run(job_id: int) -> None:
    jobs.data_job_run(job_id)


@shared_task(name="apps.imports.tasks.import_jobs_fail_stale")
@beat_singleton
def import_jobs_fail_stale() -> int:
    return jobs.data_jobs_fail_stale()
