"""education's background jobs."""

from celery import shared_task

from apps.core.periodic import beat_singleton


@shared_task(name="apps.education.tasks.education_daily")
@beat_singleton
def education_daily() -> int:
    """The daily sweep of bulletin boards whose period lapsed without an update: the board's
    jurisdiction desk is notified once per missed period (services/boards.py `overdue_sweep`)."""
    from .services.boards import overdue_sweep

    return overdue_sweep()
