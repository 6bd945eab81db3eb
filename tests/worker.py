"""A real Celery worker for tests that must prove work leaves the request."""

import contextlib

from celery.contrib.testing.worker import start_worker

from config.celery import app


@contextlib.contextmanager
def running_worker():
    """Run a worker thread on the configured broker with eager execution switched off."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = previous
