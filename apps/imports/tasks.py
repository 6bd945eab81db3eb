from celery import shared_task

from . import jobs


@shared_task(name="apps.imports.tasks.data_job_run")
def data_job_run(job_id: int) -> None:
    jobs.data_job_run(job_id)


@shared_task(name="apps.imports.tasks.import_jobs_fail_stale")
def import_jobs_fail_stale() -> int:
    return jobs.data_jobs_fail_stale()
