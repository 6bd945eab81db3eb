from celery import shared_task

from apps.core.periodic import beat_singleton

from . import rollups, services


# Runs every 5 minutes (CELERY_BEAT_SCHEDULE): stopped well before the next run would start.
@shared_task(name="apps.cases.tasks.cases_escalate", soft_time_limit=240, time_limit=280)
@beat_singleton
def cases_escalate() -> dict:
    return services.cases_escalate()


# Every minute (CELERY_BEAT_SCHEDULE): the statistics' rollups catch up with the cases'
# changes; a run that finds another one refreshing returns at once.
@shared_task(name="apps.cases.tasks.cases_rollups_refresh", soft_time_limit=50, time_limit=58)
@beat_singleton(lease=120)
def cases_rollups_refresh() -> int | None:
    return rollups.rollups_refresh()
