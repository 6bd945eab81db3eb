"""Test settings: fast hashing and eager tasks.

Tests marked `worker` switch eagerness off and start a real Celery worker on
CELERY_BROKER_URL (Redis in CI's PostgreSQL run) or, when unset, kombu's in-process
memory transport.
"""

import os

# Tests bring their own key (never used outside tests), so they run on a machine with no
# var/secret_key; production refuses to start without one (config/settings.py).
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-" + "x" * 50)

from .settings import *  # noqa: F403
from .settings import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
# Tests call a periodic task several times in a row; the lock still refuses a concurrent run
# (apps/core/tests/test_periodic.py turns the spacing on for its own test).
PERIODIC_SPACING_SHARE = 0
CHUANGWEI_REQUIRE_AUDIT_LABELS = True
# Browser tests fill public forms faster than a person; the bot check has its own tests.
PUBLIC_FORM_MIN_SECONDS = 0
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"

# Parallel runs (pytest-xdist, `scripts/test.sh -n 2`): each test process gets its own Redis
# databases (broker and shared cache: a test empties the cache, a worker test's tasks must reach
# its own worker) and its own media folder. The database is already per process (below, and
# pytest-django suffixes PostgreSQL test databases per xdist worker).
_XDIST = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST.startswith("gw"):
    _n = int(_XDIST[2:])

    def _redis_db(url: str, offset: int) -> str:
        base, _, db = url.rpartition("/")
        return f"{base}/{max(int(db) - offset, 0)}" if db.isdigit() else url

    if CELERY_BROKER_URL.startswith("redis://"):
        CELERY_BROKER_URL = _redis_db(CELERY_BROKER_URL, 2 * _n)
    if os.environ.get("REDIS_CACHE_URL"):
        CACHES["default"]["LOCATION"] = _redis_db(os.environ["REDIS_CACHE_URL"], 2 * _n)
    MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_XDIST}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so the live server and an in-process Celery worker share it.
    # One file per test process, so two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}

# Authentication (issue 9): the test client's login() has no request for axes to check.
AUTHENTICATION_BACKENDS = ["tests.backends.AxesUnlessNoRequest", "django.contrib.auth.backends.ModelBackend"]
