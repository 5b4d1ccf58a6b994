"""Helpers for backup tests: the restore runs as an operator would run it, as
`manage.py` in another process pointed at a fresh database by DATABASE_URL."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from hoth.audit.log import record
from hoth.people.models import Person

REPO = Path(__file__).resolve().parents[2]


def manage(*arguments, database_url, **environment):
    """Run manage.py with the test run's development secrets against another
    database, and with audit checkpoints of its own: never the checkout's
    .local/audit-checkpoints, which record the development database."""
    with tempfile.TemporaryDirectory(prefix="hoth-test-checkpoints-") as checkpoints:
        env = {
            **os.environ,
            "HOTH_DEBUG": "1",
            "DATABASE_URL": database_url,
            "HOTH_AUDIT_CHECKPOINT_DIR": checkpoints,
            **environment,
        }
        return subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )


def sqlite_url(path):
    return f"sqlite:///{path}"


def postgres_url(name):
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def few_people(transactional_db):
    """Two people with encrypted notes and two audit events: enough to back
    up when a test is about refusals rather than a whole partnership."""
    people = [
        Person.objects.create(given_names="Tyler", family_name="Okafor", sensitive_notes="Seen with older males"),
        Person.objects.create(given_names="Jade", family_name="Pritchard", sensitive_notes="Goes missing at weekends"),
    ]
    for person in people:
        record("create", actor="test", obj=person)
    return people
