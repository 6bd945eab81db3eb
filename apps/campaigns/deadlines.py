"""Reminders before a task's deadline and escalation once it is overdue (Celery beat, hourly)."""

from celery import shared_task


@shared_task
def campaign_task_deadlines() -> int:
    """Placeholder: the task engine's helper fills this in."""
    return 0
