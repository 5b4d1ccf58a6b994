"""What the settings refuse and read in production (HOTH_DEBUG unset), each
checked in a fresh interpreter with the environment a deployment would give."""

from hoth.audit.keys import new_audit_key
from tests.operations.settings_run import load_settings, production_environment

POSTGRES = "postgres://hoth@db.internal:5432/hoth"


def test_production_refuses_sqlite_when_no_database_is_configured():
    loaded, errors = load_settings(production_environment(), "DATABASES")
    assert loaded is None
    assert "ImproperlyConfigured" in errors and "HOTH_ALLOW_SQLITE=1" in errors


def test_production_refuses_a_sqlite_database_url_too(tmp_path):
    env = production_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'hoth.sqlite3'}")
    loaded, errors = load_settings(env, "DATABASES")
    assert loaded is None and "PostgreSQL" in errors


def test_a_small_install_may_keep_sqlite_by_saying_so(tmp_path):
    env = production_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'hoth.sqlite3'}", HOTH_ALLOW_SQLITE="1")
    loaded, errors = load_settings(env, "DATABASES", "DEBUG")
    assert loaded is not None, errors
    assert loaded["DEBUG"] is False
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_production_on_postgresql_needs_no_permission():
    loaded, errors = load_settings(production_environment(DATABASE_URL=POSTGRES), "DATABASES")
    assert loaded is not None, errors
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_development_keeps_sqlite_as_the_default():
    loaded, errors = load_settings(production_environment(HOTH_DEBUG="1"), "DATABASES")
    assert loaded is not None, errors
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_production_still_refuses_to_start_without_its_secrets():
    env = production_environment(DATABASE_URL=POSTGRES, HOTH_FIELD_KEYS=None)
    loaded, errors = load_settings(env, "FIELD_ENCRYPTION_KEYS")
    assert loaded is None and "HOTH_FIELD_KEYS must be set" in errors


# ---------------------------------------------------------------- email

EMAIL_SETTINGS = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
)


def test_the_smtp_relay_is_read_from_the_environment():
    env = production_environment(
        DATABASE_URL=POSTGRES,
        HOTH_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        HOTH_EMAIL_HOST="smtp.council.example",
        HOTH_EMAIL_PORT="587",
        HOTH_EMAIL_HOST_USER="hoth-relay",
        HOTH_EMAIL_HOST_PASSWORD="relay-password-for-the-test",
        HOTH_EMAIL_USE_TLS="1",
        HOTH_EMAIL_TIMEOUT="7",
        HOTH_FROM_EMAIL="hoth@council.example",
    )
    loaded, errors = load_settings(env, *EMAIL_SETTINGS)
    assert loaded == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.council.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "hoth-relay",
        "EMAIL_HOST_PASSWORD": "relay-password-for-the-test",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 7,
        "DEFAULT_FROM_EMAIL": "hoth@council.example",
    }, errors


def test_without_email_settings_a_relay_on_this_machine_is_assumed_with_a_timeout():
    loaded, errors = load_settings(production_environment(DATABASE_URL=POSTGRES), *EMAIL_SETTINGS)
    assert loaded is not None, errors
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"], loaded["EMAIL_USE_TLS"], loaded["EMAIL_USE_SSL"]) == (
        "localhost",
        25,
        False,
        False,
    )
    assert loaded["EMAIL_TIMEOUT"] == 10


def test_implicit_tls_for_port_465_is_read_too():
    env = production_environment(DATABASE_URL=POSTGRES, HOTH_EMAIL_PORT="465", HOTH_EMAIL_USE_SSL="true")
    loaded, errors = load_settings(env, "EMAIL_PORT", "EMAIL_USE_SSL", "EMAIL_USE_TLS")
    assert loaded == {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}, errors


def test_starttls_and_implicit_tls_together_are_refused():
    env = production_environment(DATABASE_URL=POSTGRES, HOTH_EMAIL_USE_TLS="1", HOTH_EMAIL_USE_SSL="1")
    loaded, errors = load_settings(env, "EMAIL_USE_TLS")
    assert loaded is None and "not both" in errors


def test_the_images_build_time_collectstatic_settings_load():
    """The Dockerfile collects static files with placeholder secrets and a
    throwaway audit key: the settings must accept exactly those."""
    env = production_environment(
        HOTH_SECRET_KEY="placeholder-for-collectstatic",
        HOTH_FIELD_KEYS="placeholder-for-collectstatic",
        HOTH_AUDIT_KEYS=new_audit_key("build"),
        HOTH_ALLOWED_HOSTS=None,
        DATABASE_URL="postgres://collectstatic@localhost/none",
    )
    loaded, errors = load_settings(env, "STATIC_ROOT")
    assert loaded is not None, errors
