"""Settings for Route 2035, read from the environment (as healthchecks does).

Production is the default: DEBUG is off unless DEBUG=1 is set, and SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL come from the environment. `make run` uses
config/settings_demo.py (DEBUG off, plain http on 127.0.0.1).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Zet SECRET_KEY in de omgeving (zie docs/deploy.md).")
    SECRET_KEY = "insecure-dev-only-key-never-use-in-production-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django admin whose site also asks for 2FA (regions.two_factor.VerifiedAdminSite).
    "regions.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds its widget templates through TEMPLATES
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "regions",
    "learners",
    "toolkit",
    "initiatives",
    "checklists",
    "plans",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (config/logs.py).
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout without a session write on every page view (config/middleware.py).
    "config.middleware.SlidingSessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login: who verified (django-otp), then nothing else until one did.
    "django_otp.middleware.OTPMiddleware",
    "regions.two_factor.TwoFactorMiddleware",
    # Pupil queries are scoped to the user's regions from here on (django-scopes).
    "learners.middleware.PupilScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.RefuseNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below CSPMiddleware: allows the admin's inline styles, on /beheer/ only.
    "config.middleware.AdminCspMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.FriendlyRedirectsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Low in the list: its process_exception sees a view's exception early (database gone: 503).
    "config.middleware.DatabaseUnavailableMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Forms render as NL Design System (Utrecht) form fields: config/forms.py.
FORM_RENDERER = "config.forms.UtrechtFormRenderer"
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
                "regions.context_processors.scope",
            ],
        },
    }
]

# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # However SQLite is named (SQLITE_PATH or a sqlite:// DATABASE_URL): writers wait for
    # each other instead of failing with "database is locked" (the web and the task worker
    # write at once), and readers never wait for writers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Follow-up check-ins after a placement, in months after enrolment.
CHECKIN_MONTHS = [3, 14, 26]

# A CvO decision (and an arrangement) runs at most this many years.
CVO_MAX_YEARS = int(os.environ.get("CVO_MAX_YEARS", "5"))

# A begeleider keeps access to a pupil this many days after the last arrangement ends.
BEGELEIDER_GRACE_DAYS = int(os.environ.get("BEGELEIDER_GRACE_DAYS", "30"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Usernames match whatever their case: in the app, in /beheer/ and in the lock-out.
    "regions.auth.CaseInsensitiveBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures, per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Failures count per lower-cased name: "Begeleider" is locked with "begeleider".
AXES_USERNAME_CALLABLE = "regions.auth.lockout_username"
# The address counted: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of our own the
# address they put in X-Forwarded-For (docs/deploy.md). 0: X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "regions.auth.client_ip"

# Two-factor login (regions/two_factor.py). The name the authenticator app shows.
OTP_TOTP_ISSUER = "Route 2035"
# Only for the demo (settings_demo) and DEBUG=1 development: the five demo users log in
# without 2FA. A system check refuses it anywhere else (route2035.E001).
OTP_DEMO_EXEMPT = DEBUG

# Password reset by e-mail: at most this many requests per address and per e-mail
# address per hour (counted in the cache), and the link is valid for one hour.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "5"))
PASSWORD_RESET_TIMEOUT = 60 * 60

# Sessions end after 30 minutes without activity and when the browser closes. They live
# in the database (shared by every app server). Not saved on every request (a write per
# page view): config.middleware.SlidingSessionMiddleware moves the expiry forward at most
# once per SESSION_REFRESH_INTERVAL seconds, so the idle timeout is 29-30 minutes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_REFRESH_INTERVAL = 60
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


def caches_from(url):
    """CACHE_URL: empty for this process's memory (one app server); "db" for the database
    cache, shared by every app server (`manage.py createcachetable` once); redis://... for
    Redis (needs the redis package)."""
    if url == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "route2035_cache",
        }
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("CACHE_URL is leeg, db of redis://... (zie docs/deploy.md).")
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


# Empty: each process's memory (the demo); production: CACHE_URL=db (or Redis), so the
# password-reset limit counts across processes. Cached pages stay right with any cache
# (regions/data_version.py keeps the data versions in the database).
CACHES = {"default": caches_from(os.environ.get("CACHE_URL", "").strip())}

SECURE = not (DEBUG or TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
# The load balancer asks /health/ over plain HTTP on the private network: no redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^health/ready/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles, no third-party hosts: every asset comes from the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# Background work (PDF rendering, the deadline digest): Django's tasks API through the
# django-tasks backport, queued in the database so it runs on SQLite and PostgreSQL and
# any number of `manage.py db_worker` processes on any number of machines.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# How long data is kept, in days, per kind (purge_expired; docs/security.md says why).
# Each can be set from the environment: RETENTION_PUPIL_DAYS=1095 and so on.
RETENTION_DEFAULTS = {
    "pupil": 2 * 365,  # a pupil and every record of it, counted from inactive_since
    "access_log": 2 * 365,  # who looked at pupil data (of pupils that are still kept)
    "audit": 5 * 365,  # change history of everything else (partners, region work)
    "task_result": 30,  # finished background tasks
    "axes_attempt": 365,  # login attempts and failures
    "plan_export": 90,  # plan PDFs that are not a frozen version
}
RETENTION = {
    kind: int(os.environ.get(f"RETENTION_{kind.upper()}_DAYS", days))
    for kind, days in RETENTION_DEFAULTS.items()
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "route2035@localhost")

# Imports: everything or nothing, previewed first.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Uploaded files wait for confirmation in the database (regions.ImportJob), never on a
# local disk: a preview older than IMPORT_PREVIEW_MAX_AGE seconds expires and its rows go;
# `manage.py purge_import_uploads` deletes jobs older than IMPORT_JOB_KEEP_DAYS.
IMPORT_PREVIEW_MAX_AGE = 24 * 60 * 60
IMPORT_JOB_KEEP_DAYS = 7
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Pupil names never reach the audit trail (see learners/ registration).
AUDITLOG_INCLUDE_ALL_MODELS = False
# Masked fields become a fixed marker; auditlog's default keeps half the text.
AUDITLOG_MASK_CALLABLE = "learners.audit.mask_text"

# To stdout, each line with its request's id: LOG_FORMAT=json for JSON lines (config/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))
# The retention purge logs one line of counts per kind: wanted in the journal.
LOGGING["loggers"] = {"route2035.retention": {"level": "INFO"}}
