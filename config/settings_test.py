"""Test settings: fast hashing, eager tasks unless a real broker is given."""

import os

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0" if os.environ.get("CELERY_BROKER_URL") else "1")

from .settings import *  # noqa: E402,F403
from .settings import BASE_DIR, env_bool  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
