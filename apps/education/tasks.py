"""education's background jobs."""

from celery import shared_task


@shared_task(name="apps.education.tasks.education_daily")
def education_daily() -> int:
    """The daily sweep of bulletin boards whose period lapsed without an update (the boards
    part fills this in: services/boards.py `overdue_sweep`)."""
    return 0
