from celery import shared_task

from apps.core.periodic import beat_singleton

from . import services


@shared_task(name="apps.inspections.tasks.rounds_open_due")
@beat_singleton
def rounds_open_due() -> int:
    return services.rounds_open_due()
