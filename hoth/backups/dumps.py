"""Taking a backup of the service's database and putting one back.

PostgreSQL: pg_dump's custom format, read inside the same snapshot the
manifest is counted in, and pg_restore into an empty database. SQLite: the
online backup API, never a file copy (a copy of a live WAL database can miss
committed pages still in the -wal file, or catch a page half-written).
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction

from hoth.audit.log import verify

from . import manifest as manifests

# Connection settings that libpq understands, passed on to pg_dump and pg_restore.
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "options",
    "connect_timeout",
    "service",
    "passfile",
    "target_session_attrs",
    "application_name",
)


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed."""


def vendor():
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups are made for PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _new_private_file(path):
    """Create `path` readable by this user alone, refusing to replace anything:
    an earlier backup is never overwritten, and a dump is never, even for a
    moment, readable by others."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BackupError(f"{path} already exists: choose a new file name.") from None


def _program(name):
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed. Install PostgreSQL's client programs (on Debian: "
            f"postgresql-client), of the server's major version or newer."
        )
    return found


def _conninfo():
    from psycopg.conninfo import make_conninfo

    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": str(settings["PORT"] or ""),
    }
    params.update({key: str(settings["OPTIONS"][key]) for key in _LIBPQ_OPTIONS if key in settings["OPTIONS"]})
    return make_conninfo(**{key: value for key, value in params.items() if value})


def _pg_environment():
    # The password goes in the environment, not the command line where ps shows it.
    environment = dict(os.environ)
    if connection.settings_dict["PASSWORD"]:
        environment["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return environment


def _run(command):
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


# ---------------------------------------------------------------- backup


def _backup_postgresql(output):
    pg_dump = _program("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exports, so the manifest
        # counts exactly the rows the dump holds while the service keeps working.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        taken = manifests.take(cursor, "postgresql")
        unreadable = manifests.undecryptable(cursor, taken["encrypted_fields"])
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(output), "--dbname", _conninfo()])
    return taken, unreadable


def _backup_sqlite(output):
    connection.ensure_connection()
    copy = sqlite3.connect(output)
    try:
        # Through the service's own connection, so an in-memory database works too.
        connection.connection.backup(copy)
        # One self-contained file: no -wal beside it to lose.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        taken = manifests.take(cursor, "sqlite")
        unreadable = manifests.undecryptable(cursor, taken["encrypted_fields"])
    finally:
        copy.close()
    return taken, unreadable


def backup(output):
    """Write the database to `output` and its manifest beside it. Returns the
    manifest and the sampled encrypted values the configured keys could not read."""
    output = Path(output)
    kind = vendor()
    written_manifest = manifests.manifest_path(output)
    if written_manifest.exists():
        raise BackupError(f"{written_manifest} already exists: choose a new file name.")
    _new_private_file(output)
    try:
        taken, unreadable = _backup_postgresql(output) if kind == "postgresql" else _backup_sqlite(output)
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    taken["dump"] = {"file": output.name, "bytes": output.stat().st_size, "sha256": manifests.sha256_file(output)}
    _new_private_file(written_manifest)
    written_manifest.write_text(json.dumps(taken, indent=2, sort_keys=True) + "\n")
    return taken, unreadable


# ---------------------------------------------------------------- restore


def read_manifest(dump):
    dump = Path(dump)
    path = manifests.manifest_path(dump)
    if not dump.exists():
        raise BackupError(f"There is no backup at {dump}.")
    if not path.exists():
        raise BackupError(
            f"There is no manifest beside the backup ({path}): without it the restore cannot be "
            "checked. Keep each backup with its .manifest.json file."
        )
    written = json.loads(path.read_text())
    if written.get("format") != manifests.FORMAT:
        raise BackupError(f"{path} is not a manifest this version understands ({written.get('format')!r}).")
    if written["database"] != vendor():
        raise BackupError(
            f"This is a {written['database']} backup and the configured database is "
            f"{vendor()}: restore it into the same kind of database."
        )
    return written


def check_dump_file(dump, written):
    if manifests.sha256_file(dump) != written["dump"]["sha256"]:
        raise BackupError(
            f"{dump} is not the file its manifest describes (its SHA-256 differs): it was damaged or "
            "changed after the backup. Nothing was restored."
        )


def _existing_tables():
    with connection.cursor() as cursor:
        return manifests.table_names(cursor, vendor())


def _restore_postgresql(dump, force):
    pg_restore = _program("pg_restore")
    if _existing_tables():
        if not force:
            raise BackupError(_NOT_EMPTY)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            (schema,) = cursor.fetchone()
            quoted = connection.ops.quote_name(schema)
            cursor.execute(f"DROP SCHEMA {quoted} CASCADE")
            cursor.execute(f"CREATE SCHEMA {quoted}")
    connection.close()
    # One transaction: a restore that fails part-way leaves the database empty, not half-filled.
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _conninfo(),
            str(dump),
        ]
    )


def _restore_sqlite(dump, force):
    if _existing_tables() and not force:
        raise BackupError(_NOT_EMPTY)
    source = sqlite3.connect(Path(dump).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{dump} is not a SQLite backup: {error}") from None
    finally:
        source.close()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")


_NOT_EMPTY = (
    "The configured database already holds tables. Restore into a freshly created, empty database "
    "(PostgreSQL: createdb; SQLite: a new file), or pass --force to erase everything in this one first."
)


def restore(dump, force=False):
    """Put the backup at `dump` into the configured database, which must be
    empty unless `force`. Returns the backup's manifest, for check()."""
    dump = Path(dump)
    written = read_manifest(dump)
    check_dump_file(dump, written)
    if vendor() == "postgresql":
        _restore_postgresql(dump, force)
    else:
        _restore_sqlite(dump, force)
    return written


def check(written):
    """Compare the configured database with a backup's manifest. Returns
    (problems as sentences, the database's own manifest, audit events verified)."""
    with connection.cursor() as cursor:
        found = manifests.take(cursor, vendor())
        problems = manifests.differences(written, found)
        unreadable = manifests.undecryptable(cursor, written["encrypted_fields"])
    if unreadable:
        problems.append(
            f"{len(unreadable)} encrypted values do not decrypt with HOTH_FIELD_KEYS (first: {unreadable[0]}). "
            f"The backup was written under keys with fingerprints {', '.join(written['field_key_fingerprints'])}; "
            f"the configured keys have {', '.join(found['field_key_fingerprints'])}"
        )
    result = verify()
    if not result.intact:
        problems.append(f"the audit log does not verify: {result.problem} (run manage.py verify_audit)")
    return problems, found, result.checked
