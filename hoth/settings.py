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

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("HOTH_DEBUG")


def _development_secrets():
    """Per-checkout secrets for development and tests, created on first use."""
    path = BASE_DIR / ".local" / "dev-secrets.json"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "HOTH_SECRET_KEY": secrets.token_urlsafe(50),
                    "HOTH_FIELD_KEYS": Fernet.generate_key().decode(),
                }
            )
        )
        path.chmod(0o600)
    return json.loads(path.read_text())


def secret(name):
    if name in os.environ:
        return os.environ[name]
    if DEBUG:
        return _development_secrets()[name]
    raise ImproperlyConfigured(f"{name} must be set in the environment when HOTH_DEBUG is off.")


SECRET_KEY = secret("HOTH_SECRET_KEY")
# Comma-separated Fernet keys: the first encrypts, all decrypt. Rotate by putting a
# new key first and running `manage.py rotate_field_keys`, then dropping the old one.
FIELD_ENCRYPTION_KEYS = [k.strip() for k in secret("HOTH_FIELD_KEYS").split(",") if k.strip()]

ALLOWED_HOSTS = [h for h in os.environ.get("HOTH_ALLOWED_HOSTS", "").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HOTH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

PARTNERSHIP_NAME = os.environ.get(
    "HOTH_PARTNERSHIP_NAME", "Cheshire East Safeguarding Children Partnership"
)
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
    "hoth.information_governance",
    "hoth.home",
    "hoth.api",
    "hoth.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hoth.access.middleware.AccessMemoMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hoth.accounts.middleware.IdleTimeoutMiddleware",
    "hoth.accounts.middleware.SecondFactorRequiredMiddleware",
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The access gate asks its questions row by row (EXISTS), which PostgreSQL
    # costs high enough to compile with JIT: a second of compiling for a
    # query that then runs in milliseconds. A web request never gains from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

# Lockout after repeated failures, per account: an attacker changing address gets
# no more guesses. Not per address as well, because a whole office behind one
# address would be locked out by five colleagues' typing errors (axes.W006).
AXES_FAILURE_LIMIT = int(os.environ.get("HOTH_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HOTH_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hoth.accounts.views.locked_out"
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
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The front door's service standard (hoth/referrals/service_standard.py): a
# referral is screened within this many working days of arriving, an urgent
# one the same working day (0). Bank holidays as YYYY-MM-DD, comma separated.
HOTH_SCREENING_WORKING_DAYS = int(os.environ.get("HOTH_SCREENING_WORKING_DAYS", "1"))
HOTH_URGENT_SCREENING_WORKING_DAYS = int(os.environ.get("HOTH_URGENT_SCREENING_WORKING_DAYS", "0"))
HOTH_WORKING_DAY_ENDS = os.environ.get("HOTH_WORKING_DAY_ENDS", "17:00")
HOTH_BANK_HOLIDAYS = [d.strip() for d in os.environ.get("HOTH_BANK_HOLIDAYS", "").split(",") if d.strip()]

# Disruption: the officer and the plan owner are told this many days before an
# order in force expires (hoth.disruption.reminders), and again once it has.
HOTH_DISRUPTION_EXPIRY_WARNING_DAYS = int(os.environ.get("HOTH_DISRUPTION_EXPIRY_WARNING_DAYS", "28"))

EMAIL_BACKEND = os.environ.get("HOTH_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HOTH_FROM_EMAIL", "hoth-no-reply@example.org")

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
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HOTH platform API",
    "DESCRIPTION": "Partner systems' interface to the Harm Outside the Home platform. "
    "Every call is scoped by the same access gate and audited like the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Screening levels appear in several answers; one name for them in the schema.
    "ENUM_NAME_OVERRIDES": {"ScreeningLevelEnum": "hoth.analytics.screening.LEVELS"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOTH_LOG_LEVEL", "WARNING")},
}
