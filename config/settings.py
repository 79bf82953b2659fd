"""Settings, read from the environment.

Embedded default (nothing set): SQLite file, eager Celery, DEBUG on, a development key.
Production (`LIANXIN_ENV=production`): DEBUG off, secure cookies, HSTS; SECRET_KEY and the PII keys
must come from the environment.
"""

import base64
import hashlib
import os
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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "freshness.middleware.RequestVersionsMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
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
        "rest_framework.authentication.TokenAuthentication",
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
    "DEFAULT_THROTTLE_RATES": {"login": "20/min", "reveal": "30/hour", "public_request": "5/hour"},
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
    "ENUM_NAME_OVERRIDES": {
        "PlacementEndReasonEnum": "matching.models.Placement.EndReason",
        "ImportKindEnum": "taxonomy.models.ImportJob.Kind",
        "ImportStatusEnum": "taxonomy.models.ImportJob.Status",
    },
}

# --- Celery: no broker configured means tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "lianxin")
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
    "remind-duty": {"task": "receptions.tasks.duty_remind", "schedule": crontab(hour=17, minute=0)},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianxin@localhost")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
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
# Working age for the employment-rate statistic (policy: 16 to 59).
WORKING_AGE = (16, 59)

# Requests (诉求): days to answer and to resolve from receipt (anonymous ones are throttled: "public_request").
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
