"""Rate limits counted in the shared cache (issue 9, finding 7).

The end-to-end proof, several gunicorn workers posting at once, is in
apps/cases/tests/test_rate_limits_shared.py; here the counting itself.
"""

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management.commands import createcachetable
from django.db import DEFAULT_DB_ALIAS, connection

from apps.core import ratelimit
from apps.core.cache import AtomicDatabaseCache


@pytest.fixture
def db_cache(transactional_db):
    """The database cache on a table of its own (with REDIS_CACHE_URL set, "shared" is Redis)."""
    command = createcachetable.Command()
    command.verbosity = 0
    command.create_table(DEFAULT_DB_ALIAS, "ratelimit_test_cache", dry_run=False)
    cache = AtomicDatabaseCache("ratelimit_test_cache", {})
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_hit_accepts_exactly_the_limit_per_key():
    assert [ratelimit.hit("t:a", limit=3, window_seconds=60) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("t:b", limit=3, window_seconds=60)  # another address has its own count


@pytest.mark.django_db
def test_cost_counts_several_at_once():
    assert ratelimit.hit("t:c", limit=10, window_seconds=60, cost=6)
    assert not ratelimit.hit("t:c", limit=10, window_seconds=60, cost=6)  # 12 > 10
    assert not ratelimit.hit("t:c", limit=10, window_seconds=60)  # refused attempts count too
    assert not ratelimit.hit("t:d", limit=5, window_seconds=60, cost=6)  # over on its own


@pytest.mark.django_db
def test_a_new_window_starts_from_zero(monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(time, "time", lambda: now)
    assert ratelimit.hit("t:w", limit=1, window_seconds=3600)
    assert not ratelimit.hit("t:w", limit=1, window_seconds=3600)
    now += 3600
    assert ratelimit.hit("t:w", limit=1, window_seconds=3600)
    assert ratelimit.retry_after(3600) == 3601


def test_the_shared_cache_is_not_process_memory():
    backend = type(caches["shared"]).__module__
    assert "locmem" not in backend and "dummy" not in backend
    assert type(ratelimit.SharedAnonRateThrottle.cache) is type(caches["shared"])


def test_incr_of_a_missing_or_expired_key_raises(db_cache):
    with pytest.raises(ValueError):
        db_cache.incr("missing")
    db_cache.set("old", 5, timeout=-1)
    with pytest.raises(ValueError):
        db_cache.incr("old")
    db_cache.set("n", 5, timeout=60)
    assert db_cache.incr("n", 3) == 8 and db_cache.decr("n") == 7 and db_cache.get("n") == 7


def test_incr_keeps_the_expiry(db_cache):
    db_cache.set("e", 1, timeout=2)
    db_cache.incr("e")
    time.sleep(2.2)
    assert db_cache.get("e") is None


def test_concurrent_incr_loses_no_count(db_cache):
    """Eight threads, each its own database connection, add 25 each: 200, not fewer."""
    db_cache.set("race", 0, timeout=600)
    errors = []

    def add():
        try:
            for _ in range(25):
                db_cache.incr("race")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db_cache.get("race") == 200
