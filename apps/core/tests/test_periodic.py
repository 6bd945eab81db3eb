"""A second beat cannot run a periodic sweep twice (apps/core/periodic.py), in the shared cache
the deployment uses (Redis in CI's PostgreSQL run, the database cache in the SQLite run)."""

import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils.module_loading import import_string

from apps.core.periodic import KEY_PREFIX, beat_singleton

pytestmark = pytest.mark.django_db

NAME = "apps.core.tests.test_periodic.sweep"
runs: list[str] = []


@beat_singleton
def sweep(label: str, again: str | None = None):
    """A stand-in periodic task; with `again`, a second send arrives while this run goes on."""
    runs.append(label)
    if again is not None:
        return {"first": label, "second": sweep(again)}
    return label


@pytest.fixture(autouse=True)
def scheduled(settings):
    runs.clear()
    settings.CELERY_BEAT_SCHEDULE = {**settings.CELERY_BEAT_SCHEDULE, "test-sweep": {"task": NAME, "schedule": 600.0}}
    yield
    caches["shared"].delete(KEY_PREFIX + NAME)


def test_a_second_run_while_the_first_goes_on_is_skipped():
    assert sweep("beat-1", again="beat-2") == {"first": "beat-1", "second": None}
    assert runs == ["beat-1"]
    # Once the run ended (no spacing in test settings), the next tick runs.
    assert sweep("next tick") == "next tick"
    assert runs == ["beat-1", "next tick"]


def test_the_second_beats_send_of_the_same_tick_is_skipped_after_the_first_run_ended(settings):
    settings.PERIODIC_SPACING_SHARE = 0.5  # production: half the interval (300 s of 600)
    assert sweep("beat-1") == "beat-1"
    assert sweep("beat-2") is None
    assert runs == ["beat-1"]


def test_a_failed_run_frees_the_lock():
    @beat_singleton
    def sweep():  # the same name: the same lock
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        sweep()
    assert caches["shared"].get(KEY_PREFIX + NAME) is None


def test_a_killed_runs_lock_expires_after_its_lease():
    @beat_singleton(lease=1)
    def sweep():
        return "ran"

    # A worker killed mid-run never reached its `finally`: its lock is left until the lease ends.
    caches["shared"].add(KEY_PREFIX + NAME, "killed worker", timeout=1)
    assert sweep() is None
    time.sleep(2.1)  # the database cache keeps whole seconds
    assert sweep() == "ran"


def test_every_scheduled_task_is_guarded_and_skips_while_locked():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == NAME:
            continue  # this module's stand-in
        task = import_string(entry["task"])
        assert getattr(task.run, "beat_singleton", False), f"{entry['task']} is not wrapped in beat_singleton"
    caches["shared"].add(KEY_PREFIX + "apps.cases.tasks.cases_escalate", "another beat", timeout=60)
    try:
        assert import_string("apps.cases.tasks.cases_escalate")() is None
    finally:
        caches["shared"].delete(KEY_PREFIX + "apps.cases.tasks.cases_escalate")
