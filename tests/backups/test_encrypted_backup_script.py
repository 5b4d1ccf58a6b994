"""deploy/hoth-backup keeps only encrypted backups: the plain dump never
outlives the script, and what it keeps decrypts to exactly the file the
manifest describes."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from .conftest import REPO

needs_age = pytest.mark.skipif(
    shutil.which("age") is None and not os.environ.get("CI"), reason="age is not installed (apt-get install age)"
)


@needs_age
@pytest.mark.skipif(connection.vendor != "sqlite", reason="backs up a SQLite file made by the test")
def test_the_nightly_script_keeps_only_encrypted_backups_and_prunes_old_ones(few_people, tmp_path):
    # A real database file to back up: the test database's own backup.
    database = tmp_path / "hoth.sqlite3"
    call_command("backup", output=str(database), stdout=StringIO())
    key = tmp_path / "backup-key.txt"
    public = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(public.stderr.split("Public key: ")[1])
    kept = tmp_path / "backups"
    kept.mkdir()
    old = kept / "hoth-2020-01-01T013000Z.dump.age"
    old.write_bytes(b"an old backup")
    forty_days_ago = time.time() - 40 * 86400
    os.utime(old, (forty_days_ago, forty_days_ago))

    env = {
        **os.environ,
        "HOTH_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "HOTH_BACKUP_DIR": str(kept),
        "HOTH_BACKUP_RECIPIENTS": str(recipients),
        "HOTH_MANAGE": f"{sys.executable} {REPO / 'manage.py'}",
    }
    result = subprocess.run(
        ["bash", str(REPO / "deploy" / "hoth-backup")], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr

    names = sorted(path.name for path in kept.iterdir())
    (encrypted,) = [name for name in names if name.endswith(".dump.age")]
    assert names == [encrypted, encrypted.replace(".age", ".manifest.json")]  # no plain dump, no work folder
    manifest = json.loads((kept / encrypted.replace(".age", ".manifest.json")).read_text())
    assert b"Tyler" not in (kept / encrypted).read_bytes()
    plain = subprocess.run(
        ["age", "--decrypt", "--identity", str(key), str(kept / encrypted)], capture_output=True, check=True
    ).stdout
    assert hashlib.sha256(plain).hexdigest() == manifest["dump"]["sha256"]
    assert (kept / encrypted).stat().st_mode & 0o777 == 0o600
