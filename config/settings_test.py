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
CHUANGWEI_REQUIRE_AUDIT_LABELS = True
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
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
