"""Settings, all configurable from the environment (see README "Configuration")."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHUANGWEI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("CHUANGWEI_ALLOW_INSECURE_KEY", True):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - dev/demo default only
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "apps.core",
    "apps.accounts",
    "apps.organization",
    # Shared services: below the domain apps, above core/organization/accounts.
    "apps.notifications",
    "apps.worktime",
    "apps.photos",
    "apps.documents",
    "apps.imports",
    "apps.cases",
    "apps.inspections",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chuangwei.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the background worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CHUANGWEI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: imports are .xlsx workbooks; the limit is checked again in the form.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("CHUANGWEI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API call answers 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Proxies in front (nginx = 1), so throttles see the client's address, not a forged header.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "创卫通 Chuangwei API",
    "DESCRIPTION": "Organisation, units and audit data of a sanitary-city campaign, scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- API contract (issue 9) ---
# The schema tells the truth: every operation lists its error answers in one error body
# (apps/core/api_schema.py), request and response shapes are separate components (read-only
# fields are not asked for, non-blank strings say minLength 1), and every answer under these
# paths is JSON, Django's own 404/403/400/500 pages included (apps/core/views.py).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "apps.core.api_schema.AutoSchema"
REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "apps.core.api.PageNumberPagination"
SPECTACULAR_SETTINGS["COMPONENT_SPLIT_REQUEST"] = True
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {"UnitStatusEnum": "apps.organization.choices.UnitStatus"}
API_JSON_PATH_PREFIXES = ["/api/"]
# --- end API contract ---

# Celery. With no CELERY_BROKER_URL the filesystem transport keeps messages under
# var/broker, so `scripts/run.sh` can start a worker with no extra service.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
_broker_dir = VAR_DIR / "broker"
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic jobs registered by later capabilities (deadlines, reminders) go here.
CELERY_BEAT_SCHEDULE: dict = {
    "imports-expire-stale-jobs": {
        "task": "apps.imports.tasks.import_jobs_fail_stale",
        "schedule": 600.0,
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_CACHE_URL"],
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Map tiles: an intranet tile server URL template, or empty for a plain background
# showing only jurisdiction boundaries (no internet at run time).
# An audit action without a registered label is refused (tests); in production it shows a generic label.
CHUANGWEI_REQUIRE_AUDIT_LABELS = env_bool("CHUANGWEI_REQUIRE_AUDIT_LABELS", DEBUG)
MAP_TILE_URL = os.environ.get("CHUANGWEI_MAP_TILE_URL", "")
MAP_DEFAULT_CENTER = (31.4670, 104.6830)
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# Cases (巡查整改). Working hours "HH:MM-HH:MM,HH:MM-HH:MM" in local time.
CASE_WORK_HOURS = [
    tuple(span.split("-")) for span in os.environ.get("CHUANGWEI_WORK_HOURS", "08:30-12:00,14:00-17:30").split(",")
]
CASE_DUE_SOON_SHARE = float(os.environ.get("CHUANGWEI_DUE_SOON_SHARE", "0.25"))  # yellow in the last quarter
CASE_DUPLICATE_RADIUS_M = int(os.environ.get("CHUANGWEI_DUPLICATE_RADIUS_M", "50"))
CASE_RECURRENCE_DAYS = int(os.environ.get("CHUANGWEI_RECURRENCE_DAYS", "30"))
# Escalation: working hours past the deadline before 督办告知书 and before listing in the 通报.
CASE_SUPERVISE_AFTER_HOURS = float(os.environ.get("CHUANGWEI_SUPERVISE_AFTER_HOURS", "7"))
CASE_BULLETIN_AFTER_HOURS = float(os.environ.get("CHUANGWEI_BULLETIN_AFTER_HOURS", "21"))
CASE_HOTLINE_ANSWER_DAYS = 1
PUBLIC_REPORTS_PER_HOUR = int(os.environ.get("CHUANGWEI_PUBLIC_REPORTS_PER_HOUR", "20"))
PHOTO_MAX_BYTES = int(os.environ.get("CHUANGWEI_PHOTO_MAX_BYTES", str(15 * 1024 * 1024)))
PHOTO_MAX_SIDE = 1920
PHOTO_THUMB_SIDE = 360
# Outbound channels besides the in-app inbox, e.g. "apps.notifications.backends.LogBackend"; none by default.
NOTIFY_BACKENDS = [b for b in os.environ.get("CHUANGWEI_NOTIFY_BACKENDS", "").split(",") if b]
CELERY_BEAT_SCHEDULE["cases-escalate"] = {"task": "apps.cases.tasks.cases_escalate", "schedule": 300.0}
# Recurring inspection plans open their next round once the last one has ended (hourly check).
CELERY_BEAT_SCHEDULE["inspections-open-rounds"] = {
    "task": "apps.inspections.tasks.rounds_open_due",
    "schedule": 3600.0,
}
