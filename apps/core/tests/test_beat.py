"""Every periodic job in CELERY_BEAT_SCHEDULE names a task the worker has registered (a typo or
a task defined under another name would fail only at run time, in production, every hour)."""

from django.conf import settings

from config.celery import app


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    missing = sorted(
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks
    )
    assert missing == []
