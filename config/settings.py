"""Settings, all configurable from the environment (see README "Configuration")."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHUANGWEI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# SECRET_KEY: see "Production defaults (issue 9)" below.
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
    "apps.standards",
    "apps.inspections",
    "apps.campaigns",
    "apps.meetings",
    "apps.agreements",
    "apps.activities",
    "apps.pestcontrol",
    "apps.education",
    "apps.surveys",
    "apps.reports",
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
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
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
# Object storage (issue 14, several web machines): with CHUANGWEI_S3_BUCKET set, uploads and
# generated files live in that S3-compatible bucket (MinIO, Ceph, a cloud's S3) instead of
# MEDIA_ROOT, so every web process and worker reads what another wrote. Objects are written with
# no ACL (the bucket's own, private): files are served only through the app's permission-checked
# views, never by a public bucket URL; `url()` would give a presigned link of S3_URL_SECONDS.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role).
S3_BUCKET = os.environ.get("CHUANGWEI_S3_BUCKET", "").strip()
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("CHUANGWEI_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("CHUANGWEI_S3_REGION", "").strip() or None,
            "location": os.environ.get("CHUANGWEI_S3_PREFIX", "").strip("/"),
            # MinIO and most self-hosted servers want path-style addresses (no bucket subdomain).
            "addressing_style": os.environ.get("CHUANGWEI_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,  # a new name, as on the filesystem, never a silent replace
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("CHUANGWEI_S3_URL_SECONDS", "60")),
        },
    }

# Uploads: imports are .xlsx workbooks; the limit is checked again in the form.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("CHUANGWEI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Database sessions whose keys must have Django's own shape (a forged cookie is no session).
SESSION_ENGINE = "apps.core.sessions"
X_FRAME_OPTIONS = "DENY"
# Secure cookies, HTTPS, CSP: see "Production defaults (issue 9)" below.

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
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "UnitStatusEnum": "apps.organization.choices.UnitStatus",
    "EducationActivityStatusEnum": "apps.education.choices.EduStatus",
    "QuestionnaireStatusEnum": "apps.surveys.choices.SurveyStatus",
}
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
# One `celery beat` in the whole deployment (README "Several machines"); every periodic task is
# also wrapped in apps.core.periodic.beat_singleton, a lock in CACHES["shared"], so a second
# beat cannot run a sweep twice: a run is skipped while another runs and until this share of
# its schedule interval has passed since that one started.
PERIODIC_SPACING_SHARE = float(os.environ.get("CHUANGWEI_PERIODIC_SPACING_SHARE", "0.5"))
# Periodic jobs registered by later capabilities (deadlines, reminders) go here.
CELERY_BEAT_SCHEDULE: dict = {
    "imports-expire-stale-jobs": {
        "task": "apps.imports.tasks.import_jobs_fail_stale",
        "schedule": 600.0,
    },
}

# Caches. "default" may be per process; "shared" is one cache for every web process and
# worker (rate limits): Redis when REDIS_CACHE_URL is set (production), otherwise a table in
# the database (created by `migrate`, apps/core/apps.py) with an atomic incr.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "apps.core.cache.AtomicDatabaseCache",
        "LOCATION": "chuangwei_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
if os.environ.get("REDIS_CACHE_URL"):
    CACHES["default"] = CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_CACHE_URL"],
        "KEY_PREFIX": "chuangwei",
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
# Ledger documents (台账资料: PDF, Office files, scans), checked by content in apps/documents/uploads.py.
CHUANGWEI_DOCUMENT_MAX_BYTES = int(os.environ.get("CHUANGWEI_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
PHOTO_MAX_SIDE = 1920
PHOTO_THUMB_SIDE = 360
# Outbound channels besides the in-app inbox, e.g. "apps.notifications.backends.LogBackend"; none by default.
NOTIFY_BACKENDS = [b for b in os.environ.get("CHUANGWEI_NOTIFY_BACKENDS", "").split(",") if b]
CELERY_BEAT_SCHEDULE["cases-escalate"] = {"task": "apps.cases.tasks.cases_escalate", "schedule": 300.0}
# The case statistics' rollups catch up with the cases' changes (apps/cases/rollups.py).
CELERY_BEAT_SCHEDULE["cases-rollups-refresh"] = {"task": "apps.cases.tasks.cases_rollups_refresh", "schedule": 60.0}
# The apps' record rollups (activities, pest control …) likewise (apps/core/rollups.py).
CELERY_BEAT_SCHEDULE["core-rollups-refresh"] = {"task": "apps.core.tasks.core_rollups_refresh", "schedule": 60.0}
# Recurring inspection plans open their next round once the last one has ended (hourly check).
# Campaign tasks: reminders before the deadline and escalation once overdue (hourly sweep);
# the evidence ledger's rules link new records every hour too.
CELERY_BEAT_SCHEDULE["campaigns-task-deadlines"] = {
    "task": "apps.campaigns.tasks.campaign_task_deadlines",
    "schedule": 3600.0,
}
CAMPAIGN_TASK_REMIND_DAYS = int(os.environ.get("CHUANGWEI_CAMPAIGN_TASK_REMIND_DAYS", "3"))
CELERY_BEAT_SCHEDULE["campaigns-evidence-sync"] = {
    "task": "apps.campaigns.tasks.campaign_evidence_sync",
    "schedule": 3600.0,
}
# A binder left running by a crashed worker is failed, so the area can be packed again.
CELERY_BEAT_SCHEDULE["campaigns-binders-fail-stale"] = {
    "task": "apps.campaigns.tasks.campaign_binders_fail_stale",
    "schedule": 600.0,
}
# Responsibility agreements (issue 11).
# Once a day: signed agreements whose term ended are marked expired, and the issuing desks are
# reminded of those ending within AGREEMENT_REMIND_DAYS days; jobs a crashed worker left are failed.
CELERY_BEAT_SCHEDULE["agreements-daily"] = {"task": "apps.agreements.tasks.agreements_daily", "schedule": 86400.0}
CELERY_BEAT_SCHEDULE["agreements-jobs-fail-stale"] = {
    "task": "apps.agreements.tasks.agreements_jobs_fail_stale",
    "schedule": 600.0,
}
AGREEMENT_REMIND_DAYS = int(os.environ.get("CHUANGWEI_AGREEMENT_REMIND_DAYS", "30"))
# Reporting upward (报送): senders that have not reported are reminded once a day from three days
# before a call's deadline (ReportCall.reminded_on); the hourly run only catches up a missed day.
CELERY_BEAT_SCHEDULE["reports-submissions-remind"] = {
    "task": "apps.reports.tasks.report_submissions_remind",
    "schedule": 3600.0,
}

CELERY_BEAT_SCHEDULE["inspections-open-rounds"] = {
    "task": "apps.inspections.tasks.rounds_open_due",
    "schedule": 3600.0,
}
# Generated reports (issue 15): a PDF build left by a crashed worker is failed so it can be asked again.
CELERY_BEAT_SCHEDULE["reports-pdf-fail-stale"] = {
    "task": "apps.reports.tasks.reports_pdf_fail_stale",
    "schedule": 600.0,
}
# Pest control (issue 12): the daily sweep of drug stock near or past its expiry date.
CELERY_BEAT_SCHEDULE["pestcontrol-daily"] = {"task": "apps.pestcontrol.tasks.pestcontrol_daily", "schedule": 86400.0}
PEST_STOCK_EXPIRY_WARN_DAYS = int(os.environ.get("CHUANGWEI_PEST_STOCK_EXPIRY_WARN_DAYS", "30"))
# 回访 购药率 and 保留率 below this share (percent) are flagged (`001` L527: ≥ 98%).
PEST_FOLLOWUP_TARGET_RATE = int(os.environ.get("CHUANGWEI_PEST_FOLLOWUP_TARGET_RATE", "98"))

# Public forms (survey answers, activity sign-in; apps/core/public.py): a form sent sooner than
# this after it was served is refused as a bot; a form older than PUBLIC_FORM_MAX_AGE is stale.
PUBLIC_FORM_MIN_SECONDS = float(os.environ.get("CHUANGWEI_PUBLIC_FORM_MIN_SECONDS", "3"))
PUBLIC_FORM_MAX_AGE = int(os.environ.get("CHUANGWEI_PUBLIC_FORM_MAX_AGE", str(6 * 3600)))
# Health education and surveys (issue 13): public survey answers per address and hour (one
# address may be a whole office behind NAT), and the daily sweep of overdue bulletin boards.
SURVEY_ANSWERS_PER_HOUR = int(os.environ.get("CHUANGWEI_SURVEY_ANSWERS_PER_HOUR", "60"))
EDUCATION_SIGNINS_PER_HOUR = int(os.environ.get("CHUANGWEI_EDUCATION_SIGNINS_PER_HOUR", "120"))
CELERY_BEAT_SCHEDULE["education-daily"] = {"task": "apps.education.tasks.education_daily", "schedule": 86400.0}

# --- Production defaults (issue 9) ---
# What `manage.py check --deploy` asks of a public deployment, driven by the environment
# (README "Security and operations" lists the production settings).


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, else the key file scripts/bootstrap.sh writes once (var/secret_key,
    mode 600); with DEBUG on and neither, a random key for this process. Never a key in the
    code: with DEBUG off and no key the app refuses to start."""
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    key_file = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", VAR_DIR / "secret_key"))
    if not key and key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    if key:
        return key
    if DEBUG:
        from django.core.management.utils import get_random_secret_key

        return get_random_secret_key()
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"No secret key: set DJANGO_SECRET_KEY (50 random characters) or write one to {key_file} "
        "(scripts/bootstrap.sh does this for the demo). Chuangwei does not start with DEBUG off "
        "and no secret key."
    )


SECRET_KEY = _secret_key()

# HTTPS: one switch. Behind a TLS-terminating proxy, also name the header it sets
# (CHUANGWEI_PROXY_SSL_HEADER=X-Forwarded-Proto) so Django sees the request as https.
HTTPS = env_bool("CHUANGWEI_HTTPS", False)
_proxy_ssl_header = os.environ.get("CHUANGWEI_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = HTTPS
# The load balancer probes the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = int(os.environ.get("CHUANGWEI_HSTS_SECONDS", str(365 * 24 * 3600) if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHUANGWEI_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("CHUANGWEI_HSTS_PRELOAD", False)
# Deliberately off unless the operator opts in, so `check --deploy` need not warn: the app
# usually runs on one host of an office's domain whose other hosts it does not control
# (includeSubDomains), and preloading is the domain owner's submission to browsers' lists.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# DJANGO_SECURE_COOKIES=1 (before CHUANGWEI_HTTPS) still turns on the Secure flag alone.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env_bool("DJANGO_SECURE_COOKIES", False)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:
    # __Host-: the browser keeps it only if Secure, for this host alone, on path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4). Scripts only from our own static files: no inline
# script, no event handler attribute, no eval (htmx's is switched off in base.html).
# Style attributes stay allowed (style-src-attr) because ECharts' tooltips and htmx swaps
# insert markup with style="..." and our templates use a few; <style>/<link> only from self.
# An attribute style cannot run script; the markup that carries one is escaped by templates.
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    # "{s}" (Leaflet's subdomain placeholder) becomes a CSP wildcard host.
    _tile = urlsplit(MAP_TILE_URL)
    _tile_origin = f"{_tile.scheme}://{_tile.netloc.replace('{s}', '*')}" if _tile.netloc else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
INSTALLED_APPS.append("csp")
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
# After AuthenticationMiddleware: it reads request.user.
MIDDLEWARE.append("apps.core.middleware.NoStoreMiddleware")

# Rate limits, counted in CACHES["shared"] (apps.core.ratelimit).
OPEN311_POSTS_PER_HOUR = int(os.environ.get("CHUANGWEI_OPEN311_POSTS_PER_HOUR", "30"))

# --- Authentication (issue 9) ---
# Lockout (django-axes), password policy, session lifetimes and API tokens; the README's
# "Security and operations" section lists these variables. Kept in one block for merging.
INSTALLED_APPS.insert(INSTALLED_APPS.index("apps.core"), "axes")
# Our own hashed, expiring, revocable tokens (apps.accounts.tokens) replace DRF's authtoken.
INSTALLED_APPS.remove("rest_framework.authtoken")
# After the message middleware (a timed-out session leaves a message on the login page).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "apps.accounts.middleware.SessionLifetimeMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("apps.accounts.middleware.SessionLifetimeMiddleware") + 1,
    "apps.accounts.middleware.PasswordExpiryMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account or address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# An account locks after LOCKOUT_ACCOUNT_FAILURES wrong passwords, a client address after
# LOCKOUT_ADDRESS_FAILURES across all accounts (offices share one NAT address, so it is higher);
# both for LOCKOUT_MINUTES after the last failure, or until an administrator unlocks them.
LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("CHUANGWEI_LOCKOUT_ACCOUNT_FAILURES", "5"))
LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("CHUANGWEI_LOCKOUT_ADDRESS_FAILURES", "30"))
LOCKOUT_MINUTES = int(os.environ.get("CHUANGWEI_LOCKOUT_MINUTES", "30"))
AXES_HANDLER = "apps.accounts.lockout.LockoutHandler"  # two limits: per account and per address
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOCKOUT_ACCOUNT_FAILURES  # the handler scales the address count to this
AXES_COOLOFF_TIME = LOCKOUT_MINUTES / 60  # hours, as a float: axes reads it as minutes * 60
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends LOCKOUT_MINUTES after it began
AXES_RESET_ON_SUCCESS = True  # a correct password clears the account's count (never the address's)
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "apps.core.ratelimit.client_address"  # REMOTE_ADDR unless DJANGO_NUM_PROXIES > 0
AXES_DISABLE_ACCESS_LOG = True  # successful logins and logouts are in our audit log
AXES_VERBOSE = False
# Password policy (等保 practice): length, character classes, history, optional expiry.
PASSWORD_MIN_LENGTH = int(os.environ.get("CHUANGWEI_PASSWORD_MIN_LENGTH", "8"))
PASSWORD_MIN_CLASSES = int(os.environ.get("CHUANGWEI_PASSWORD_MIN_CLASSES", "3"))  # of upper/lower/digit/symbol
PASSWORD_HISTORY = int(os.environ.get("CHUANGWEI_PASSWORD_HISTORY", "5"))  # not any of the last N
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("CHUANGWEI_PASSWORD_MAX_AGE_DAYS", "0"))  # 0: passwords never expire
# Passwords are hashed with Argon2id (apps/accounts/hashers.py states its costs); the others
# only verify hashes made before (PBKDF2, Django's old default), each rehashed with Argon2id at
# the account's next successful login.
PASSWORD_HASHERS = [
    "apps.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "apps.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.passwords.HistoryValidator", "OPTIONS": {"count": PASSWORD_HISTORY}},
]
# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login.
SESSION_IDLE_MINUTES = int(os.environ.get("CHUANGWEI_SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("CHUANGWEI_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# API tokens: `Authorization: Token <key>`, stored hashed, expiring, revocable.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("CHUANGWEI_API_TOKEN_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("CHUANGWEI_API_TOKEN_MAX_DAYS", "365"))
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    # Token first, so an anonymous API call answers 401 with a WWW-Authenticate header.
    "apps.accounts.tokens.ApiTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]

# --- Uploads and jobs (issue 9) ---
# Photos: refused from the header, before any pixel is decoded, when a side or the pixel
# count is over the limit (Pillow's MAX_IMAGE_PIXELS is set to the same number); at most
# PHOTO_MAX_PER_REQUEST photos per form or API call (and per kept set of a returned form).
PHOTO_MAX_PIXELS = int(os.environ.get("CHUANGWEI_PHOTO_MAX_PIXELS", "40000000"))
PHOTO_MAX_DIMENSION = int(os.environ.get("CHUANGWEI_PHOTO_MAX_DIMENSION", "10000"))
PHOTO_MAX_PER_REQUEST = int(os.environ.get("CHUANGWEI_PHOTO_MAX_PER_REQUEST", "6"))
# Files in one multipart request, checked by Django while parsing: a few more than the photo
# cap, so 7-10 photos get the form's own message and 100 never reach a view (answered 400).
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("CHUANGWEI_UPLOAD_MAX_FILES", str(PHOTO_MAX_PER_REQUEST + 4)))
# Imports: the workbook is checked as a zip first (uncompressed size, member count), then
# streamed with bounds on data rows, columns, cells and seconds; a run of empty rows ends it.
IMPORT_MAX_ROWS = int(os.environ.get("CHUANGWEI_IMPORT_MAX_ROWS", "20000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("CHUANGWEI_IMPORT_MAX_COLUMNS", "60"))
IMPORT_MAX_CELLS = int(os.environ.get("CHUANGWEI_IMPORT_MAX_CELLS", "1000000"))
IMPORT_MAX_SECONDS = int(os.environ.get("CHUANGWEI_IMPORT_MAX_SECONDS", "120"))
IMPORT_MAX_EMPTY_ROWS = int(os.environ.get("CHUANGWEI_IMPORT_MAX_EMPTY_ROWS", "1000"))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("CHUANGWEI_IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))
# Every background job: a soft limit (the task gets SoftTimeLimitExceeded and marks its job
# failed with a message) and a hard one (the worker process is killed). Tasks that need
# other values set them on their decorator.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CHUANGWEI_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CHUANGWEI_TASK_TIME_LIMIT", "360"))
DATA_JOB_SOFT_TIME_LIMIT = int(os.environ.get("CHUANGWEI_DATA_JOB_SOFT_TIME_LIMIT", "600"))
DATA_JOB_TIME_LIMIT = int(os.environ.get("CHUANGWEI_DATA_JOB_TIME_LIMIT", "660"))

# --- Operations (issue 9) ---
# Backups: `manage.py backup` writes one folder per run under BACKUP_DIR (database, media,
# manifest.json, SHA256SUMS) and keeps the newest BACKUP_KEEP; `manage.py restore` puts one back.
# The health endpoint /health/ (django-health-check) answers the load balancer without login.
INSTALLED_APPS += ["health_check", "apps.ops"]
BACKUP_DIR = Path(os.environ.get("CHUANGWEI_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("CHUANGWEI_BACKUP_KEEP", "14"))
# Audit events are kept at least this long (never under 180 days); `manage.py purge_audit` refuses newer.
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("CHUANGWEI_AUDIT_RETENTION_DAYS", "180")))

# --- Input parsing (issue 9) ---
# List filters and query parameters are parsed by strict filtersets (apps/core/filters.py,
# django-filter): ASCII-digit integers, dates within these bounds, known choices, scoped ids,
# bounded text; anything else answers 400 with a message. A middleware refuses NUL and other
# control characters in every parameter before any view or database sees them.
INSTALLED_APPS += ["django_filters"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "apps.core.middleware.ControlCharacterGuardMiddleware",
)
REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] = ["apps.core.filters.StrictFilterBackend"]
FILTER_DATE_MIN = os.environ.get("CHUANGWEI_FILTER_DATE_MIN", "2000-01-01")
FILTER_DATE_MAX = os.environ.get("CHUANGWEI_FILTER_DATE_MAX", "2099-12-31")
FILTER_TEXT_MAX_LENGTH = 100
