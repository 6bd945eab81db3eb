"""Periodic tasks run once, however many beat schedulers send them (issue 14, several machines).

The topology runs one `celery beat` (README "Several machines"); this is the fence for the day
a second one is started by mistake (a second machine's service file, a restart that left the
old one running): every task in CELERY_BEAT_SCHEDULE is wrapped in `beat_singleton`, which
takes a lock in the shared cache (Redis in production, the database cache on one machine)
before the sweep runs and skips the run when the lock is held:

- while a run goes on, another is skipped (concurrent sends from two beats);
- after it ends, the lock is kept until PERIODIC_SPACING_SHARE of the task's schedule interval
  has passed since it started, so the second beat's send of the same tick, arriving after the
  first run finished, is skipped too;
- the lock expires by itself after the lease (the longest hard time limit and a minute), so a
  worker killed mid-run never blocks the sweep for longer than that.

Skipping is safe because every periodic task is a sweep over the database (it finds what is
due now): the next tick does whatever a skipped one would have done.
"""

import functools
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

KEY_PREFIX = "beat-singleton:"


def _scheduled(func) -> tuple[str, float]:
    """The task's name in CELERY_BEAT_SCHEDULE (matched on the function's name: a task module
    may re-export it from where it lives) and the seconds between two runs (0: none stated)."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = entry.get("task", "")
        if task.rsplit(".", 1)[-1] == func.__name__:
            schedule = entry.get("schedule")
            return task, float(schedule) if isinstance(schedule, int | float) else 0.0
    return f"{func.__module__}.{func.__name__}", 0.0


def beat_singleton(function=None, *, lease: int | None = None):
    """Decorate a periodic task's function (below `@shared_task`). Returns None when the run was
    skipped. `lease`: seconds the lock outlives a killed run (default: the longest hard time limit + 60)."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            name, interval = _scheduled(func)
            cache = caches["shared"]
            key = KEY_PREFIX + name
            token = secrets.token_hex(8)
            hold = lease or max(settings.CELERY_TASK_TIME_LIMIT, settings.DATA_JOB_TIME_LIMIT) + 60
            if not cache.add(key, token, timeout=hold):
                logger.warning("Periodic task %s skipped: another run holds its lock (a second beat?)", name)
                return None
            started = time.monotonic()
            try:
                return func(*args, **kwargs)
            finally:
                spacing = interval * settings.PERIODIC_SPACING_SHARE
                remaining = spacing - (time.monotonic() - started)
                if cache.get(key) == token:  # still ours (not expired and taken by another run)
                    if remaining >= 1:
                        cache.touch(key, timeout=int(remaining))
                    else:
                        cache.delete(key)

        run.beat_singleton = True
        return run

    return decorate(function) if function is not None else decorate
