"""Settings of Xianfeng, all read from the environment.

Local runs need no configuration: SQLite in ./var, development secrets, DEBUG on.
Production (XIANFENG_ENV=production) refuses to start without real secrets; see docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xianfeng.core.env import env_bool, env_int, env_list, env_secret

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("XIANFENG_VAR_DIR", REPO_DIR / "var"))

ENVIRONMENT = os.environ.get("XIANFENG_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("XIANFENG_DEBUG", default=not PRODUCTION)

# Development-only values: known to everyone, so production refuses them.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"
_DEV_DATA_KEY = "ZGV2LW9ubHktZGF0YS1rZXktZG8tbm90LXVzZS0wMDA="

SECRET_KEY = env_secret("XIANFENG_SECRET_KEY", default=_DEV_SECRET_KEY)
# Fernet keys (urlsafe base64 of 32 bytes); several, comma-separated, for rotation: first encrypts.
DATA_KEYS = env_list("XIANFENG_DATA_KEY", default=[_DEV_DATA_KEY], secret=True)
# Keys the look-up hashes of encrypted values (ID number, phone). Separate from the data keys so that
# rotating those never changes a hash; changing this one means re-hashing (docs/deployment.md).
LOOKUP_KEY = env_secret("XIANFENG_LOOKUP_KEY", default="")

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("XIANFENG_SECRET_KEY must be set to a random value of 40+ characters.")
    if _DEV_DATA_KEY in DATA_KEYS:
        raise ImproperlyConfigured("XIANFENG_DATA_KEY must be set to a Fernet key (see docs/deployment.md).")
    if len(LOOKUP_KEY) < 32:
        raise ImproperlyConfigured("XIANFENG_LOOKUP_KEY must be set to a random value of 32+ characters.")
    if DEBUG:
        raise ImproperlyConfigured("XIANFENG_DEBUG must be off in production.")

ALLOWED_HOSTS = env_list("XIANFENG_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("XIANFENG_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "axes",
    "xianfeng.core",
    "xianfeng.orgs",
    "xianfeng.people",
    "xianfeng.activities",
    "xianfeng.compliance",
    "xianfeng.dues",
    "xianfeng.development",
    "xianfeng.lifecycle",
    "xianfeng.scoring",
    "xianfeng.supervision",
    "xianfeng.reports",
    "xianfeng.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xianfeng.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xianfeng.urls"
WSGI_APPLICATION = "xianfeng.wsgi.application"

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
                "xianfeng.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL with DATABASE_URL -------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("XIANFENG_CONN_MAX_AGE", 60))
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("XIANFENG_SQLITE_PATH", str(VAR_DIR / "xianfeng.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE avoids "database is locked" on read-then-write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth, lockout, sessions ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xianfeng.core.passwords.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("XIANFENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("XIANFENG_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account, not the address: a whole office shares one NAT address on an enterprise intranet.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the cookie expires SESSION_COOKIE_AGE after the last request.
SESSION_COOKIE_AGE = env_int("XIANFENG_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("XIANFENG_SECURE_COOKIES", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("XIANFENG_HSTS_SECONDS", 0)

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: our own plus front-end packages straight from node_modules --------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("XIANFENG_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production WhiteNoise serves straight from the finders (our static/ and node_modules).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
_NODE = REPO_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
]
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
MEDIA_ROOT = Path(os.environ.get("XIANFENG_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
XIANFENG_IMPORT_MAX_BYTES = env_int("XIANFENG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
XIANFENG_IMPORT_MAX_ROWS = env_int("XIANFENG_IMPORT_MAX_ROWS", 20_000)
XIANFENG_IMPORT_BATCH_HOURS = env_int("XIANFENG_IMPORT_BATCH_HOURS", 2)

# --- Organizational life and compliance -----------------------------------------------------------
# QR check-in window around the planned start (both ends included), attachment size limit.
XIANFENG_CHECKIN_BEFORE_MINUTES = env_int("XIANFENG_CHECKIN_BEFORE_MINUTES", 30)
XIANFENG_CHECKIN_AFTER_MINUTES = env_int("XIANFENG_CHECKIN_AFTER_MINUTES", 30)
XIANFENG_ATTACHMENT_MAX_BYTES = env_int("XIANFENG_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# 三分类: health-check score at or above ADVANCED is advanced, below LAGGING is lagging (BR-20, local).
XIANFENG_CLASSIFY_ADVANCED = env_int("XIANFENG_CLASSIFY_ADVANCED", 90)
XIANFENG_CLASSIFY_LAGGING = env_int("XIANFENG_CLASSIFY_LAGGING", 60)
# Reminders to a WeCom (企业微信) or DingTalk (钉钉) group robot; empty URL disables the channel.
XIANFENG_WEBHOOK_URL = env_secret("XIANFENG_WEBHOOK_URL", default="")
XIANFENG_WEBHOOK_KIND = os.environ.get("XIANFENG_WEBHOOK_KIND", "wecom")
XIANFENG_WEBHOOK_SECRET = env_secret("XIANFENG_WEBHOOK_SECRET", default="")
XIANFENG_WEBHOOK_TIMEOUT = env_int("XIANFENG_WEBHOOK_TIMEOUT", 5)

# --- Party dues (RULES.md §1; local practice, L) ------------------------------------------------------
# A monthly cap in yuan (DUES-05 says "generally not above 1000"; empty = flag only, cap nothing),
# the arrears warning in consecutive months (DUES-13 engine note), and how often the branch publishes
# its collection to members: "quarter" or "year" (DUES-17).
XIANFENG_DUES_MONTHLY_CAP = os.environ.get("XIANFENG_DUES_MONTHLY_CAP", "") or None
XIANFENG_DUES_WARN_MONTHS = env_int("XIANFENG_DUES_WARN_MONTHS", 3)
XIANFENG_DUES_PUBLICATION = os.environ.get("XIANFENG_DUES_PUBLICATION", "quarter")

# --- Member development (RULES.md §2; local practice, L) --------------------------------------------
# 公示 length in working days (DEV-08), and how many days before probation ends the branch is
# reminded to prepare the conversion (DEV-17/19).
XIANFENG_DEV_PUBLICITY_WORKING_DAYS = env_int("XIANFENG_DEV_PUBLICITY_WORKING_DAYS", 5)
XIANFENG_DEV_PROBATION_NOTICE_DAYS = env_int("XIANFENG_DEV_PROBATION_NOTICE_DAYS", 30)
# Written thought reports from activists, candidates and probationary members: one every N months
# (quarterly is the common local rule, RULES.md MISC-05, L); 0 turns the reminder off.
XIANFENG_DEV_THOUGHT_REPORT_MONTHS = env_int("XIANFENG_DEV_THOUGHT_REPORT_MONTHS", 3)

# --- Membership lifecycle (RULES.md §5) ----------------------------------------------------------------
# Days a transfer letter (组织关系介绍信) stays valid; MEM-03 gives no national figure (U): configurable.
XIANFENG_TRANSFER_LETTER_DAYS = env_int("XIANFENG_TRANSFER_LETTER_DAYS", 90)

# --- Evaluation schemes, supervision, generated documents ---------------------------------------------
XIANFENG_SCORING_IMPORT_MAX_BYTES = env_int("XIANFENG_SCORING_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
# Days before a key task, rectification or work order's deadline from which it is due soon; the
# deadline of a 立行立改 (rectify at once) item; days after a deadline before escalation to the issuer.
XIANFENG_SUPERVISION_DUE_SOON_DAYS = env_int("XIANFENG_SUPERVISION_DUE_SOON_DAYS", 7)
XIANFENG_SUPERVISION_IMMEDIATE_DAYS = env_int("XIANFENG_SUPERVISION_IMMEDIATE_DAYS", 15)
XIANFENG_SUPERVISION_ESCALATE_DAYS = env_int("XIANFENG_SUPERVISION_ESCALATE_DAYS", 0)
# How summary builds run: "thread" (in the web process), "inline" (in the request) or "command"
# (picked up by `manage.py reports_run_jobs --loop`); LibreOffice's path for PDF (default: PATH).
XIANFENG_REPORTS_JOB_MODE = os.environ.get("XIANFENG_REPORTS_JOB_MODE", "thread")
XIANFENG_REPORTS_JOB_STALE_MINUTES = env_int("XIANFENG_REPORTS_JOB_STALE_MINUTES", 30)
XIANFENG_REPORTS_PDF_TIMEOUT = env_int("XIANFENG_REPORTS_PDF_TIMEOUT", 120)
XIANFENG_REPORTS_SOFFICE = os.environ.get("XIANFENG_REPORTS_SOFFICE", "")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xianfeng.core.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "xianfeng.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "xianfeng.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xianfeng API",
    "DESCRIPTION": "先锋党建 REST API. Every list is scoped to the caller's roles on the organization tree.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the sidecar package: served locally, no CDN (offline intranets).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Several models have a "status"; name their enums after the choice classes.
    "ENUM_NAME_OVERRIDES": {
        "OrgStatusEnum": "xianfeng.orgs.choices.OrgStatus",
        "PoliticalStatusEnum": "xianfeng.people.choices.PoliticalStatus",
        "LeaveReasonEnum": "xianfeng.people.choices.LeaveReason",
        "SchemeStatusEnum": "xianfeng.scoring.choices.SchemeStatus",
        "EntrySourceEnum": "xianfeng.scoring.choices.EntrySource",
    },
}
XIANFENG_API_TOKEN_DAYS = env_int("XIANFENG_API_TOKEN_DAYS", 30)

# --- Mail, logging ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("XIANFENG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("XIANFENG_FROM_EMAIL", "xianfeng@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIANFENG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

XIANFENG_PRODUCT_NAME = _("Xianfeng Party Building")
