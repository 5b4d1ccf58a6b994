"""The systemd units for a machine without containers run what compose runs,
as an unprivileged user, with the settings from a root-owned env file."""

import configparser

import pytest

from tests.operations.settings_run import REPO

UNITS = REPO / "deploy" / "systemd"


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def test_the_web_unit_runs_gunicorn_with_the_projects_configuration():
    service = unit("hoth-web.service")["Service"]
    assert service["ExecStart"] == (
        "/opt/hoth/venv/bin/gunicorn --config /opt/hoth/gunicorn.conf.py hoth.wsgi:application"
    )
    assert service["Type"] == "notify"


def test_the_worker_unit_runs_the_job_runner():
    assert unit("hoth-worker.service")["Service"]["ExecStart"].endswith("manage.py run_worker")


@pytest.mark.parametrize(
    "name", ["hoth-web.service", "hoth-worker.service", "hoth-nightly.service", "hoth-backup.service"]
)
def test_every_unit_runs_unprivileged_with_the_env_file(name):
    service = unit(name)["Service"]
    assert service["User"] == "hoth" and service["Group"] == "hoth"
    assert service["EnvironmentFile"] == "/etc/hoth/hoth.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["UMask"] == "0077"


def test_the_nightly_unit_verifies_the_audit_log_and_each_has_a_timer():
    assert "manage.py verify_audit" in (UNITS / "hoth-nightly.service").read_text()
    for name in ("hoth-nightly", "hoth-backup"):
        assert unit(f"{name}.timer")["Timer"]["OnCalendar"]
