"""A backup restores into a fresh database that holds the same rows, an audit
chain that verifies and encrypted fields that decrypt: checked on a generated
partnership on each database, and the restore refuses what it should."""

import json
import sqlite3
from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from hoth.audit.models import AuditEvent
from hoth.people.models import Person
from hoth.referrals.models import Referral

from .conftest import manage, postgres_url, sqlite_url

ON_SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup API")
ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
TODAY = date(2026, 1, 15)


def generate_tiny_partnership():
    call_command("load_reference_data", stdout=StringIO())
    call_command("generate_partnership", size="tiny", seed=2, today=TODAY, stdout=StringIO())


def backup(path):
    call_command("backup", output=str(path), stdout=StringIO())
    return json.loads(path.with_name(path.name + ".manifest.json").read_text())


def assert_restored_check_passed(result, manifest):
    assert result.returncode == 0, result.stderr
    assert "The database matches the backup" in result.stdout
    assert f"an audit log of {manifest['audit']['events']:,} events that verifies" in result.stdout


def live_facts():
    """What the live database holds, read through the ORM, to compare the
    restored copy with independently of the manifest code."""
    referral = Referral.objects.exclude(what_happened="").order_by("pk").last()
    return {
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "audit_last_hash": AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first(),
        "referral_pk": referral.pk,
        "what_happened": referral.what_happened,
    }


# ---------------------------------------------------------------- SQLite


@ON_SQLITE
def test_a_sqlite_backup_restores_into_a_new_file_with_the_same_rows_audit_chain_and_encrypted_text(
    transactional_db, tmp_path
):
    generate_tiny_partnership()
    facts = live_facts()
    manifest = backup(tmp_path / "hoth.sqlite3.backup")
    assert manifest["database"] == "sqlite"
    assert manifest["tables"]["people_person"] == facts["people"] > 0
    # The backup itself is audited, after the snapshot it describes.
    assert manifest["audit"]["last_hash"] == facts["audit_last_hash"]
    assert AuditEvent.objects.order_by("-id").first().action == "export"

    restored = tmp_path / "restored.sqlite3"
    result = manage("restore", "--input", str(tmp_path / "hoth.sqlite3.backup"), database_url=sqlite_url(restored))
    assert_restored_check_passed(result, manifest)

    with sqlite3.connect(restored) as copy:
        assert copy.execute("SELECT COUNT(*) FROM people_person").fetchone()[0] == facts["people"]
        assert copy.execute("SELECT COUNT(*) FROM referrals_referral").fetchone()[0] == facts["referrals"]
        stored = copy.execute(
            "SELECT what_happened FROM referrals_referral WHERE id = ?", [facts["referral_pk"]]
        ).fetchone()[0]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stored.startswith("fernet:") and facts["what_happened"] not in stored
    from hoth.encryption import decrypt

    assert decrypt(stored) == facts["what_happened"]
    assert manage("verify_audit", database_url=sqlite_url(restored)).returncode == 0


@ON_SQLITE
def test_the_backup_file_is_one_file_readable_only_by_its_owner(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.with_name("hoth.backup.manifest.json").stat().st_mode & 0o777 == 0o600
    assert not path.with_name("hoth.backup-wal").exists()
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@ON_SQLITE
def test_the_manifest_holds_counts_and_digests_never_the_text_or_names(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    written = path.with_name("hoth.backup.manifest.json").read_text()
    for secret in ("Tyler", "Okafor", "Seen with older males", "Goes missing"):
        assert secret not in written
    manifest = json.loads(written)
    assert manifest["encrypted_fields"]["people_person.sensitive_notes"]["values"] == 2
    assert manifest["audit"]["events"] == 2
    assert "people.0001_initial" in manifest["migrations"]


@ON_SQLITE
def test_an_earlier_backup_is_never_overwritten(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        backup(path)
    assert path.read_bytes() == before


@ON_SQLITE
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    target = tmp_path / "in-use.sqlite3"
    with sqlite3.connect(target) as in_use:
        in_use.execute("CREATE TABLE notes (text TEXT)")
        in_use.execute("INSERT INTO notes VALUES ('keep me')")
    refused = manage("restore", "--input", str(path), database_url=sqlite_url(target))
    assert refused.returncode == 1 and "already holds tables" in refused.stderr
    with sqlite3.connect(target) as in_use:
        assert in_use.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
    forced = manage("restore", "--input", str(path), "--force", database_url=sqlite_url(target))
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(target) as restored:
        assert not restored.execute("SELECT name FROM sqlite_master WHERE name = 'notes'").fetchall()


@ON_SQLITE
def test_a_damaged_backup_is_refused_before_anything_is_restored(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    with open(path, "r+b") as damaged:
        damaged.seek(4096)
        damaged.write(b"\x00" * 16)
    target = tmp_path / "restored.sqlite3"
    result = manage("restore", "--input", str(path), database_url=sqlite_url(target))
    assert result.returncode == 1 and "SHA-256 differs" in result.stderr
    assert not target.exists() or target.stat().st_size == 0


@ON_SQLITE
def test_a_backup_without_its_manifest_is_refused(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    path.with_name("hoth.backup.manifest.json").unlink()
    result = manage("restore", "--input", str(path), database_url=sqlite_url(tmp_path / "restored.sqlite3"))
    assert result.returncode == 1 and "no manifest" in result.stderr


@ON_SQLITE
def test_restoring_with_other_field_keys_is_reported_as_such(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    manifest = backup(path)
    other_keys = Fernet.generate_key().decode()
    result = manage(
        "restore",
        "--input",
        str(path),
        database_url=sqlite_url(tmp_path / "restored.sqlite3"),
        HOTH_FIELD_KEYS=other_keys,
    )
    assert result.returncode == 1
    assert "do not decrypt with HOTH_FIELD_KEYS" in result.stderr
    assert manifest["field_key_fingerprints"][0] in result.stderr


def backed_up_and_restored(tmp_path):
    """A backup of the test database and its restored copy in a new file."""
    path, restored = tmp_path / "hoth.backup", tmp_path / "restored.sqlite3"
    backup(path)
    assert manage("restore", "--input", str(path), database_url=sqlite_url(restored)).returncode == 0
    return path, restored


@ON_SQLITE
def test_the_check_finds_an_audit_log_altered_after_the_restore_even_when_counts_agree(few_people, tmp_path):
    path, restored = backed_up_and_restored(tmp_path)
    with sqlite3.connect(restored) as copy:
        copy.execute("DROP TRIGGER audit_no_update")
        copy.execute(
            "UPDATE audit_auditevent SET actor = 'someone else' WHERE id = (SELECT MIN(id) FROM audit_auditevent)"
        )
    result = manage("restore", "--input", str(path), "--check", database_url=sqlite_url(restored))
    assert result.returncode == 1
    assert "the audit log does not verify" in result.stderr
    assert "rows; the backup held" not in result.stderr


@ON_SQLITE
def test_the_check_names_rows_that_went_missing(few_people, tmp_path):
    path, restored = backed_up_and_restored(tmp_path)
    with sqlite3.connect(restored) as copy:
        copy.execute("DELETE FROM people_person WHERE given_names = 'Jade'")
    result = manage("restore", "--input", str(path), "--check", database_url=sqlite_url(restored))
    assert result.returncode == 1
    assert "people_person holds 1 rows; the backup held 2" in result.stderr
    assert "people_person.sensitive_notes does not hold the values that were backed up" in result.stderr


@ON_SQLITE
def test_a_sqlite_backup_is_not_restored_into_postgresql(few_people, tmp_path):
    path = tmp_path / "hoth.backup"
    backup(path)
    manifest = path.with_name("hoth.backup.manifest.json")
    manifest.write_text(manifest.read_text().replace('"database": "sqlite"', '"database": "postgresql"'))
    with pytest.raises(CommandError, match="restore it into the same kind of database"):
        call_command("restore", input=str(path), check=True)


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture
def fresh_postgresql_database():
    """A freshly created, empty database on the same server, dropped afterwards."""
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    params = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**params) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@ON_POSTGRESQL
def test_a_postgresql_backup_restores_into_a_fresh_database_with_the_same_rows_audit_chain_and_encrypted_text(
    transactional_db, tmp_path, fresh_postgresql_database
):
    import psycopg

    generate_tiny_partnership()
    facts = live_facts()
    path = tmp_path / "hoth.dump"
    manifest = backup(path)
    assert manifest["database"] == "postgresql"
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert manifest["tables"]["people_person"] == facts["people"] > 0
    assert manifest["audit"]["last_hash"] == facts["audit_last_hash"]

    url = postgres_url(fresh_postgresql_database)
    result = manage("restore", "--input", str(path), database_url=url)
    assert_restored_check_passed(result, manifest)

    with psycopg.connect(url) as copy:
        assert copy.execute("SELECT COUNT(*) FROM people_person").fetchone()[0] == facts["people"]
        assert copy.execute("SELECT COUNT(*) FROM referrals_referral").fetchone()[0] == facts["referrals"]
        stored = copy.execute(
            "SELECT what_happened FROM referrals_referral WHERE id = %s", [facts["referral_pk"]]
        ).fetchone()[0]
        # The append-only triggers come back with the tables.
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            copy.execute("DELETE FROM audit_auditevent")
    from hoth.encryption import decrypt

    assert decrypt(stored) == facts["what_happened"]
    assert manage("verify_audit", database_url=url).returncode == 0

    refused = manage("restore", "--input", str(path), database_url=url)
    assert refused.returncode == 1 and "already holds tables" in refused.stderr
