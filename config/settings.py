"""Settings, read from the environment.

Embedded default (nothing set): SQLite file, eager Celery, DEBUG on, a development key.
Production (`LIANXIN_ENV=production`): DEBUG off, secure cookies, HSTS; SECRET_KEY and the PII keys
must come from the environment.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LIANXIN_ENV = os.environ.get("LIANXIN_ENV", "development")
PRODUCTION = LIANXIN_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
_DEV_SECRET = "dev-only-insecure-key-lianxin-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "outbox",
    "freshness",
    "taxonomy",
    "residents",
    "jobs",
    "training",
    "matching",
    "stations",
    "receptions",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.http.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "web.middleware.CleanTextInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "freshness.middleware.RequestVersionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: write-ahead log, so that pages keep reading while an import writes (its one long
    # transaction would otherwise lock readers out), and writers wait a while for each other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 30})

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: Django calls its `password_changed` after every password change (admin, pages,
    # `changepassword`), which ends all of the user's API tokens.
    {"NAME": "config.login.EndTokensOnPasswordChange"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address before any check
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions end after a working day (and when the browser closes): a shared office computer left signed in
# overnight is not left open.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "10")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# A strict Content-Security-Policy (django-csp): everything from the service itself, no inline script, no
# framing. Inline `style` attributes stay allowed (the progress bars' widths); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Login throttling (django-axes): web, admin and API logins alike.
# An account is locked after LOGIN_ACCOUNT_FAILURE_LIMIT failures (from anywhere); an address after
# LOGIN_ADDRESS_FAILURE_LIMIT failures (any accounts), except for accounts that have logged in from it before,
# so that one clerk's mistyping or an attack on one account never locks the whole office out.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "config.login.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout lasts its cool-off, not longer
AXES_CLIENT_IP_CALLABLE = "config.http.client_ip"
AXES_LOCKOUT_CALLABLE = "config.login.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# axes.W006 asks for ip_address among the lockout parameters; AccountAndAddressHandler adds its own
# address rule instead (axes' would lock a whole office out for one clerk's mistakes).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- API tokens (django-rest-knox): one per device and login, stored hashed, ending by role.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=12),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
API_TOKEN_TTL_STAFF = timedelta(hours=int(os.environ.get("API_TOKEN_TTL_STAFF_HOURS", "12")))
API_TOKEN_TTL_RESIDENT = timedelta(days=int(os.environ.get("API_TOKEN_TTL_RESIDENT_DAYS", "30")))
API_TOKENS_PER_USER = int(os.environ.get("API_TOKENS_PER_USER", "10"))  # devices; a new login retires the oldest
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Chinese by default, English available; English source strings with a committed zh_Hans catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # scripts/setup.sh collects with STATIC_MANIFEST=1, so that the files it collects serve a
            # production start as well, whatever mode it ran in.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION or env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# --- Personal data (PIPL): ID numbers and phones are encrypted at rest (Fernet, rotatable) and
# looked up by a keyed hash. In development both keys derive from SECRET_KEY.
def _derived_key(label: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{SECRET_KEY}".encode()).digest()).decode()


PII_ENCRYPTION_KEYS = env_list("PII_ENCRYPTION_KEYS") or ([] if PRODUCTION else [_derived_key("pii-enc")])
PII_HASH_KEY = os.environ.get("PII_HASH_KEY") or ("" if PRODUCTION else _derived_key("pii-hash"))
if not PII_ENCRYPTION_KEYS or not PII_HASH_KEY:
    raise ImproperlyConfigured("PII_ENCRYPTION_KEYS and PII_HASH_KEY must be set in production.")

# --- REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min", "reveal": "30/hour", "public_request": "5/hour",
                               "public_track": "20/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "连心 Lianxin API",
    "DESCRIPTION": "易地扶贫搬迁群众就业匹配服务 — employment matching for relocated residents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_error_responses",
                             "api.schema.relax_caller_shaped_components"],
    "ENUM_NAME_OVERRIDES": {
        "PlacementEndReasonEnum": "matching.models.Placement.EndReason",
        "ImportKindEnum": "taxonomy.models.ImportJob.Kind",
        "ImportStatusEnum": "taxonomy.models.ImportJob.Status",
        "PostingWorkTimeEnum": "jobs.models.JobPosting.WorkTime",
        "ResidentWorkTimeEnum": "residents.models.Resident.WorkTime",
        "JobSkillKindEnum": "jobs.models.JobSkill.Kind",
        "RequestKindEnum": "receptions.models.Request.Kind",
        "RequestStatusEnum": "receptions.models.Request.Status",
    },
}
# In production the schema and the docs are for signed-in staff only (they map every operation).
if PRODUCTION or env_bool("API_DOCS_STAFF_ONLY", False):
    SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["api.permissions.IsStaff"]

# --- Celery: no broker configured means tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Eager tasks only: long work a request asked for (an import) runs in a background thread, not after the response.
EAGER_LONG_TASKS_IN_THREAD = os.environ.get("EAGER_LONG_TASKS_IN_THREAD", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "lianxin")
# A write never waits long for the broker: a task it cannot take at once is kept in the outbox (config/tasks.py).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
# Redis hands an unacknowledged task (its worker died: acks_late) to another worker after the visibility
# timeout. It must exceed the longest task (time limits below), or a running task would be handed out twice;
# the recovery beat tasks find abandoned jobs sooner (STUCK_WORK).
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", str(30 * 60)))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", str(25 * 60)))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 5 * 60))),
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10,
    # Sending a task: one quick second try, then the outbox (kombu would otherwise retry for seconds).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
# Periodic work (run one `celery -A config beat`); times are Asia/Shanghai.
CELERY_BEAT_SCHEDULE = {
    "expire-postings": {"task": "jobs.tasks.postings_expire", "schedule": crontab(hour=0, minute=30)},
    "remind-follow-ups": {"task": "stations.tasks.followups_remind", "schedule": crontab(hour=8, minute=0)},
    "snapshot-statistics": {
        "task": "stations.tasks.statistics_snapshot_previous_month",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    "rank-county": {"task": "matching.tasks.county_ranking", "schedule": crontab(hour=2, minute=0)},
    "train-match-model": {"task": "matching.tasks.train_match_model",
                          "schedule": crontab(day_of_week="mon", hour=3, minute=0)},
    "prune-version-log": {"task": "freshness.tasks.changes_prune", "schedule": crontab(hour=4, minute=0)},
    "recover-imports": {"task": "taxonomy.tasks.imports_recover", "schedule": 60.0},
    "drain-outbox": {"task": "outbox.tasks.outbox_drain", "schedule": 60.0},
    "recover-runs": {"task": "matching.tasks.stuck_work_recover", "schedule": 60.0},
    "remind-duty": {"task": "receptions.tasks.duty_remind", "schedule": crontab(hour=17, minute=0)},
}
# Work a dead worker left behind (see config/stuck.py): when a job counts as abandoned, how often it is
# started again before it fails with a reason staff see.
STUCK_WORK = {
    "GRACE_SECONDS": int(os.environ.get("STUCK_WORK_GRACE_SECONDS", "120")),
    "IDLE_SECONDS": int(os.environ.get("STUCK_WORK_IDLE_SECONDS", "600")),
    "PENDING_SECONDS": int(os.environ.get("STUCK_WORK_PENDING_SECONDS", "600")),
    "MAX_ATTEMPTS": int(os.environ.get("STUCK_WORK_MAX_ATTEMPTS", "3")),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianxin@localhost")

CACHES = {
    "default": (
        # Parallel test processes (pytest-xdist) share one Redis: each keeps its keys under a prefix of its own.
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
         "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX") or os.environ.get("PYTEST_XDIST_WORKER", "")}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Matching: weights of the soft components and limits; a deployment may tune them.
MATCHING = {
    "WEIGHTS": {
        "skills": float(os.environ.get("MATCH_W_SKILLS", "0.35")),
        "occupation": float(os.environ.get("MATCH_W_OCCUPATION", "0.15")),
        "wage": float(os.environ.get("MATCH_W_WAGE", "0.15")),
        "commute": float(os.environ.get("MATCH_W_COMMUTE", "0.15")),
        "hours": float(os.environ.get("MATCH_W_HOURS", "0.10")),
        "priority": float(os.environ.get("MATCH_W_PRIORITY", "0.10")),
    },
    "COMMUTE_SCALE_KM": float(os.environ.get("MATCH_COMMUTE_SCALE_KM", "10")),
    "DEFAULT_MAX_COMMUTE_KM": float(os.environ.get("MATCH_DEFAULT_MAX_COMMUTE_KM", "30")),
}
# How long a bulk action's recommendations can still be withdrawn together.
BATCH_WITHDRAW_HOURS = int(os.environ.get("BATCH_WITHDRAW_HOURS", "24"))
# Pairs of an assignment run recommended per transaction when staff accept them (each chunk commits with its progress).
ASSIGNMENT_ACCEPT_CHUNK = int(os.environ.get("ASSIGNMENT_ACCEPT_CHUNK", "50"))
# The highest wage a posting may state per wage unit (CNY); more is a slip of the amount or the unit
# (5,000元/小时 meant per month). Tune for a labour market with higher pay.
WAGE_CEILINGS = {
    "month": int(os.environ.get("WAGE_CEILING_MONTH", "100000")),
    "day": int(os.environ.get("WAGE_CEILING_DAY", "3000")),
    "hour": int(os.environ.get("WAGE_CEILING_HOUR", "500")),
    "piece": int(os.environ.get("WAGE_CEILING_PIECE", "5000")),
}
# Working age for the employment-rate statistic (policy: 16 to 59).
WORKING_AGE = (16, 59)

# Requests (诉求): days to answer and to resolve from receipt (anonymous ones are throttled: "public_request";
# look-ups by tracking code: "public_track").
REQUEST_ANSWER_DAYS = int(os.environ.get("REQUEST_ANSWER_DAYS", "7"))
REQUEST_RESOLVE_DAYS = int(os.environ.get("REQUEST_RESOLVE_DAYS", "30"))
HOME_COUNTY_CODE = os.environ.get("HOME_COUNTY_CODE", "520622")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Where `manage.py train_coder` saves the fitted title coder and processes load it (taxonomy/coding.py).
OCCUPATION_CODER_PATH = Path(os.environ.get("OCCUPATION_CODER_PATH") or BASE_DIR / "var" / "occupation_coder.npz")
