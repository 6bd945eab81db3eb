from celery import shared_task

from . import services


@shared_task(name="apps.inspections.tasks.rounds_open_due")
def rounds_open_due() -> int:
    return services.rounds_open_due()
