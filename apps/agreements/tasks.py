"""Celery tasks of agreements: bulk generation, the daily expiry/reminder sweep and the sweep of
jobs a crashed worker left behind. Each lives with its concept; this module is what Celery discovers."""

from celery import shared_task

from apps.core.periodic import beat_singleton

from .services.agreements import agreements_expire_and_remind
from .services.generation import agreements_generate, fail_stale  # noqa: F401


@shared_task(name="apps.agreements.tasks.agreements_daily")
@beat_singleton
def agreements_daily() -> dict:
    """Mark ended terms expired and remind the issuing desks of agreements about to end."""
    return agreements_expire_and_remind()


@shared_task(name="apps.agreements.tasks.agreements_jobs_fail_stale")
@beat_singleton
def agreements_jobs_fail_stale() -> int:
    return fail_stale()
