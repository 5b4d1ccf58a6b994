"""Settings for the HOTH platform.

Everything that differs between a laptop and production comes from the
environment. Secrets never live in the repository: on a developer's machine
(HOTH_DEBUG=1) they are generated once into .local/dev-secrets.json; in
production their absence stops the service from starting.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hoth.audit.keys import (
    KeyProblem,
    new_audit_key,
    new_checkpoint_key,
    parse_audit_keys,
    parse_checkpoint_key,
    parse_checkpoint_public_keys,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("HOTH_DEBUG")


def _new_development_secrets():
    # Key ids differ per checkout, so that events signed on another machine, or
    # before .local/ was deleted, are reported as "cannot be checked" rather
    # than as tampered with.
    suffix = secrets.token_hex(3)
    return {
        "HOTH_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "HOTH_FIELD_KEYS": lambda: Fernet.generate_key().decode(),
        "HOTH_AUDIT_KEYS": lambda: new_audit_key(f"dev-{suffix}"),
        "HOTH_AUDIT_CHECKPOINT_KEY": lambda: new_checkpoint_key(f"dev-{suffix}")[0],
    }


def _development_secrets():
    """Per-checkout secrets for development and tests, created on first use.
    A checkout made before a secret was added gets it added, keeping the rest."""
    path = BASE_DIR / ".local" / "dev-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    missing = {name: make for name, make in _new_development_secrets().items() if name not in stored}
    if missing:
        stored.update({name: make() for name, make in missing.items()})
        path.parent.mkdir(exist_ok=True)
        # Written whole then renamed, so that a second process starting at the
        # same moment never reads half a file.
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(stored))
        partial.chmod(0o600)
        partial.replace(path)
    return stored


def secret(name, required=True):
    if name in os.environ:
        return os.environ[name]
    if DEBUG:
        stored = _development_secrets()
        return stored[name] if required else stored.get(name, "")
    if not required:
        return ""
    raise ImproperlyConfigured(f"{name} must be set in the environment when HOTH_DEBUG is off.")


SECRET_KEY = secret("HOTH_SECRET_KEY")
# Comma-separated Fernet keys: the first encrypts, all decrypt. Rotate by putting a
# new key first and running `manage.py rotate_field_keys`, then dropping the old one.
FIELD_ENCRYPTION_KEYS = [k.strip() for k in secret("HOTH_FIELD_KEYS").split(",") if k.strip()]


def _audit_setting(name, parse, *args, required=True):
    try:
        return parse(secret(name, required), *args)
    except KeyProblem as problem:
        raise ImproperlyConfigured(f"{name}: {problem}.") from None


# The audit log's keys (see hoth/audit/keys.py): HMAC keys for the chain, the
# first signs and all verify; an Ed25519 key for checkpoints, needed only where
# checkpoints are written, and its public halves wherever they are verified.
AUDIT_KEYS = _audit_setting("HOTH_AUDIT_KEYS", parse_audit_keys)
AUDIT_CHECKPOINT_KEY = _audit_setting("HOTH_AUDIT_CHECKPOINT_KEY", parse_checkpoint_key, required=False)
AUDIT_CHECKPOINT_PUBLIC_KEYS = _audit_setting(
    "HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS", parse_checkpoint_public_keys, AUDIT_CHECKPOINT_KEY, required=False
)
# One file per checkpoint, never overwritten: in production a directory on
# write-once storage that the database's administrators cannot change.
if os.environ.get("HOTH_AUDIT_CHECKPOINT_DIR"):
    AUDIT_CHECKPOINT_DIR = Path(os.environ["HOTH_AUDIT_CHECKPOINT_DIR"])
else:
    AUDIT_CHECKPOINT_DIR = BASE_DIR / ".local" / "audit-checkpoints" if DEBUG else None
AUDIT_CHECKPOINT_EMAIL = [a.strip() for a in os.environ.get("HOTH_AUDIT_CHECKPOINT_EMAIL", "").split(",") if a.strip()]

ALLOWED_HOSTS = [h for h in os.environ.get("HOTH_ALLOWED_HOSTS", "").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HOTH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

PARTNERSHIP_NAME = os.environ.get("HOTH_PARTNERSHIP_NAME", "Cheshire East Safeguarding Children Partnership")
SERVICE_NAME = "Harm Outside the Home"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hoth.accounts",
    "hoth.audit",
    "hoth.access",
    "hoth.people",
    "hoth.contexts",
    "hoth.referrals",
    "hoth.screening",
    "hoth.cases",
    "hoth.plans",
    "hoth.intelligence",
    "hoth.directory",
    "hoth.panels",
    "hoth.disruption",
    "hoth.tasks",
    "hoth.notifications",
    "hoth.jobs",
    "hoth.information_governance",
    "hoth.insight",
    "hoth.home",
    "hoth.working_days",
    "hoth.api",
    "hoth.synthetic",
    "hoth.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of what touches the database, so that it ends after every transaction.
    "hoth.audit.middleware.AuditSurvivesRollbackMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hoth.access.middleware.AccessMemoMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hoth.accounts.middleware.IdleTimeoutMiddleware",
    "hoth.accounts.middleware.SecondFactorRequiredMiddleware",
    "hoth.accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoth.urls"
WSGI_APPLICATION = "hoth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hoth" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoth.home.context_processors.service",
                "hoth.home.navigation.navigation",
            ],
        },
    },
]

# Lets form widgets use the project's templates (the GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'hoth.sqlite3'}",
        conn_max_age=int(os.environ.get("HOTH_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite keeps one writer at a time and lives on one machine's disk: fine for
    # a laptop, a demonstration or a very small single-machine install, not for
    # a partnership's live service. Production must say so on purpose.
    if not DEBUG and not env_flag("HOTH_ALLOW_SQLITE"):
        raise ImproperlyConfigured(
            "DATABASE_URL points at SQLite (or is unset) and HOTH_DEBUG is off. Production runs on PostgreSQL: "
            "set DATABASE_URL=postgres://... . A small single-machine install may keep SQLite by setting "
            "HOTH_ALLOW_SQLITE=1 (see docs/operations.md for its limits)."
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The access gate asks its questions row by row (EXISTS), which PostgreSQL
    # costs high enough to compile with JIT: a second of compiling for a
    # query that then runs in milliseconds. A web request never gains from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Per process: what may be a few minutes stale (name variant groups).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every process, in the database: counters that must not be
    # multiplied by the number of processes (API rate limits). The table is
    # made by a migration (hoth/api/migrations).
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hoth_shared_cache"},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Idle sessions end; the page warns two minutes before (see static/js/hoth.js).
SESSION_IDLE_TIMEOUT = int(os.environ.get("HOTH_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_IDLE_WARNING = 120
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures, per account (django-axes): an attacker
# changing address gets no more guesses. Per address too, after more failures
# (hoth.accounts.selectors.address_is_locked): a whole office behind one
# address must not be locked out by five colleagues' typing errors, but one
# machine trying a few passwords against every account is stopped.
AXES_FAILURE_LIMIT = int(os.environ.get("HOTH_LOCKOUT_FAILURES", "5"))
HOTH_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("HOTH_LOCKOUT_ADDRESS_FAILURES", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HOTH_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hoth.accounts.views.signing_in.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "HOTH " + PARTNERSHIP_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "hoth" / "static"]
# Where collectstatic writes: the image and a pip-installed service set it
# outside the installed package.
STATIC_ROOT = Path(os.environ.get("HOTH_STATIC_ROOT", BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The front door's service standard (hoth/referrals/service_standard.py): a
# referral is screened within this many working days of arriving, an urgent
# one the same working day (0). Bank holidays are reference data
# (hoth.working_days), shared with every clock that counts working days.
HOTH_SCREENING_WORKING_DAYS = int(os.environ.get("HOTH_SCREENING_WORKING_DAYS", "1"))
HOTH_URGENT_SCREENING_WORKING_DAYS = int(os.environ.get("HOTH_URGENT_SCREENING_WORKING_DAYS", "0"))
HOTH_WORKING_DAY_ENDS = os.environ.get("HOTH_WORKING_DAY_ENDS", "17:00")

# Search before create checks records the user cannot see for a possible
# duplicate (hoth/people/other_agencies.py): at most this many checks an hour
# per user, and the coordinators are told when someone finds such records
# this many times in a day.
HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR = int(os.environ.get("HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR", "10"))
HOTH_HIDDEN_MATCH_ALERT_AFTER = int(os.environ.get("HOTH_HIDDEN_MATCH_ALERT_AFTER", "3"))

# Disruption: the officer and the plan owner are told this many days before an
# order in force expires (hoth.disruption.reminders), and again once it has.
HOTH_DISRUPTION_EXPIRY_WARNING_DAYS = int(os.environ.get("HOTH_DISRUPTION_EXPIRY_WARNING_DAYS", "28"))

# Background jobs (hoth.jobs): queued in the database and run by
# `manage.py run_worker`, which also starts the daily scheduled jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A file a job made (a problem profile's PDF) is kept encrypted for this many
# hours for the person who asked to download, then deleted (by the retention
# schedule's daily purge of routine records).
HOTH_JOB_FILE_HOURS = int(os.environ.get("HOTH_JOB_FILE_HOURS", "24"))
# A running job that has not reported progress for this long is taken to have
# died with its worker (a restart, a crash) and is marked failed.
HOTH_JOB_STALLED_MINUTES = int(os.environ.get("HOTH_JOB_STALLED_MINUTES", "30"))
# How long finished jobs are kept is a line of the retention schedule
# (background_jobs), purged daily with the other routine records.

EMAIL_BACKEND = os.environ.get("HOTH_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HOTH_FROM_EMAIL", "hoth-no-reply@example.org")
# The SMTP relay (used when HOTH_EMAIL_BACKEND is the SMTP backend). A council's
# relay usually wants STARTTLS on 587 with a user and password; Django's own
# defaults (localhost:25, no TLS) stay for a relay on the same machine.
EMAIL_HOST = os.environ.get("HOTH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HOTH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HOTH_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HOTH_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("HOTH_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("HOTH_EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set one of HOTH_EMAIL_USE_TLS (STARTTLS, usually port 587) and HOTH_EMAIL_USE_SSL (implicit TLS, "
        "usually port 465), not both."
    )
# Seconds before an unanswering relay gives up, so a request that sends mail
# never hangs a web worker.
EMAIL_TIMEOUT = int(os.environ.get("HOTH_EMAIL_TIMEOUT", "10"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("HOTH_SSL_REDIRECT", True)
    # The container's health check asks over plain HTTP from inside the container.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hoth.api.authentication.ServiceTokenAuthentication",
        "hoth.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hoth.api.problems.problem_exception_handler",
    # JSON only: the schema advertises no other body, so no other is parsed.
    "DEFAULT_PARSER_CLASSES": ["hoth.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "hoth.api.pagination.Page",
    "DEFAULT_THROTTLE_CLASSES": ["hoth.api.throttles.PerCredential"],
}
# Requests each API credential may make (DRF's "number/period": s, min, hour, day).
HOTH_API_RATE = os.environ.get("HOTH_API_RATE", "300/min")
# Requests with a token that is not valid, from one address, before that
# address is refused for HOTH_API_BAD_TOKEN_MINUTES.
HOTH_API_BAD_TOKEN_LIMIT = int(os.environ.get("HOTH_API_BAD_TOKEN_LIMIT", "10"))
HOTH_API_BAD_TOKEN_MINUTES = int(os.environ.get("HOTH_API_BAD_TOKEN_MINUTES", "15"))

SPECTACULAR_SETTINGS = {
    "TITLE": "HOTH platform API",
    "DESCRIPTION": "Partner systems' interface to the Harm Outside the Home platform. "
    "Every call is scoped by the same access gate and audited like the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Screening levels appear in several answers; one name for them in the schema.
    "ENUM_NAME_OVERRIDES": {"ScreeningLevelEnum": "hoth.analytics.screening.LEVELS"},
    # Request bodies as their own components, so that what a request must send
    # (a name that is not blank) is not confused with what an answer holds.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hoth.api.serializers.strict_request_bodies",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOTH_LOG_LEVEL", "WARNING")},
}
