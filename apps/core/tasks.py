from celery import shared_task

from .periodic import beat_singleton
from .rollups import rollups_refresh_all


# Every minute (CELERY_BEAT_SCHEDULE): the record rollups catch up with the records' changes;
# a rollup another process is refreshing is skipped.
@shared_task(name="apps.core.tasks.core_rollups_refresh", soft_time_limit=50, time_limit=58)
@beat_singleton(lease=120)
def core_rollups_refresh() -> dict:
    return rollups_refresh_all()
