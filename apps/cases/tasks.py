from celery import shared_task

from apps.core.periodic import beat_singleton

from . import services


# Runs every 5 minutes (CELERY_BEAT_SCHEDULE): stopped well before the next run would start.
@shared_task(name="apps.cases.tasks.cases_escalate", soft_time_limit=240, time_limit=280)
@beat_singleton
def cases_escalate() -> dict:
    return services.cases_escalate()
