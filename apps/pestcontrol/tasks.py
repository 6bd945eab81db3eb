"""pestcontrol's background jobs."""

from celery import shared_task

from apps.core.periodic import beat_singleton


@shared_task(name="apps.pestcontrol.tasks.pestcontrol_daily")
@beat_singleton
def pestcontrol_daily() -> int:
    """The daily sweep: stock near or past its expiry is notified to the store's jurisdiction's
    desk, once per batch and window (services/drugs.py `expiry_sweep`)."""
    from .services.drugs import expiry_sweep

    return expiry_sweep()
