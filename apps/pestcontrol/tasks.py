"""pestcontrol's background jobs."""

from celery import shared_task


@shared_task(name="apps.pestcontrol.tasks.pestcontrol_daily")
def pestcontrol_daily() -> int:
    """The daily sweep: stock near or past its expiry is notified to the store's jurisdiction
    (services/drugs.py)."""
    return 0
