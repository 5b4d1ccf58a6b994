"""What a backup held, written beside it, and the check that a restored
database holds the same.

The manifest is taken from exactly what was dumped: on PostgreSQL inside the
snapshot that pg_dump then reads, on SQLite from the backup copy itself. It
holds counts, hashes and names, never a person's data: every table's row
count, the audit log's event count and last hash, the applied migrations, and
for each encrypted field how many values it holds and a digest of a few stored
(encrypted) values. A restored database that gives the same counts, the same
digests, values that decrypt with the configured keys and an audit chain that
verifies is the database that was backed up.

The manifest is built with plain SQL through any DB-API cursor, so the same
code reads a PostgreSQL snapshot, a SQLite backup file and the live database.
"""

import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hoth import encryption

FORMAT = "hoth-backup-manifest/1"
AUDIT_TABLE = "audit_auditevent"
# Stored values whose digest is kept per encrypted field, spread over the table.
SAMPLES_PER_FIELD = 5


def manifest_path(dump_path):
    return dump_path.with_name(dump_path.name + ".manifest.json")


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _rows(cursor, sql):
    cursor.execute(sql)
    return cursor.fetchall()


def table_names(cursor, vendor):
    """Every table of the database the service uses (its schema on PostgreSQL)."""
    if vendor == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [name for (name,) in _rows(cursor, sql)]


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprints():
    """Short digests of the configured field keys: enough to tell which keys a
    backup was written under, useless for decrypting anything."""
    return [hashlib.sha256(key.encode()).hexdigest()[:12] for key in settings.FIELD_ENCRYPTION_KEYS]


def _encrypted_field_summary(cursor, tables):
    fields = {}
    for model, name in encryption.encrypted_fields():
        table = model._meta.db_table
        if table not in tables:
            continue
        column, pk = model._meta.get_field(name).column, model._meta.pk.column
        where = f"{_quote(column)} IS NOT NULL AND {_quote(column)} <> ''"
        ((count,),) = _rows(cursor, f"SELECT COUNT(*) FROM {_quote(table)} WHERE {where}")
        # Rows spread evenly through the table, from the first to the last.
        positions = sorted({(count - 1) * i // max(1, SAMPLES_PER_FIELD - 1) for i in range(SAMPLES_PER_FIELD)})
        rows = (
            []
            if not count
            else [
                _rows(
                    cursor,
                    f"SELECT {_quote(pk)}, {_quote(column)} FROM {_quote(table)} WHERE {where} "
                    f"ORDER BY {_quote(pk)} LIMIT 1 OFFSET {position}",
                )[0]
                for position in positions
            ]
        )
        fields[f"{table}.{column}"] = {
            "values": count,
            "samples": [{"pk": key, "sha256": hashlib.sha256(stored.encode()).hexdigest()} for key, stored in rows],
        }
    return fields


def undecryptable(cursor, fields):
    """The sampled stored values that the configured keys cannot decrypt, as
    'table.column #pk' strings."""
    failed = []
    for label, field in fields.items():
        table, column = label.split(".", 1)
        model = next(
            (
                m
                for m, n in encryption.encrypted_fields()
                if m._meta.db_table == table and m._meta.get_field(n).column == column
            ),
            None,
        )
        if model is None:  # a field this version no longer has: differences() names it
            continue
        pk = model._meta.pk.column
        for sample in field["samples"]:
            found = _rows(
                cursor, f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(pk)} = {int(sample['pk'])}"
            )
            try:
                if found:
                    encryption.decrypt(found[0][0])
            except ImproperlyConfigured:  # what decrypt() raises for a key it does not hold
                failed.append(f"{label} #{sample['pk']}")
    return failed


def take(cursor, vendor, *, now=None):
    """The manifest of the database `cursor` reads (everything but the dump's own file details)."""
    tables = table_names(cursor, vendor)
    counts = {name: _rows(cursor, f"SELECT COUNT(*) FROM {_quote(name)}")[0][0] for name in tables}
    audit = {"events": counts.get(AUDIT_TABLE, 0), "last_id": None, "last_hash": None}
    if AUDIT_TABLE in counts:
        last = _rows(cursor, f"SELECT id, hash FROM {_quote(AUDIT_TABLE)} ORDER BY id DESC LIMIT 1")
        if last:
            audit["last_id"], audit["last_hash"] = last[0]
    migrations = []
    if "django_migrations" in counts:
        migrations = [
            f"{app}.{name}" for app, name in _rows(cursor, "SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    encrypted = _encrypted_field_summary(cursor, counts)
    return {
        "format": FORMAT,
        "taken_at": (now or datetime.now(UTC)).isoformat(),
        "database": vendor,
        "tables": counts,
        "audit": audit,
        "migrations": migrations,
        "encrypted_fields": encrypted,
        "field_key_fingerprints": key_fingerprints(),
    }


def differences(expected, actual):
    """What differs between the manifest of a backup and that of a database,
    as sentences; empty when they agree."""
    problems = []
    missing = sorted(expected["tables"].keys() - actual["tables"].keys())
    extra = sorted(actual["tables"].keys() - expected["tables"].keys())
    if missing:
        problems.append(f"tables missing from the database: {', '.join(missing)}")
    if extra:
        problems.append(f"tables the backup did not have: {', '.join(extra)}")
    for name, count in sorted(expected["tables"].items()):
        if name in actual["tables"] and actual["tables"][name] != count:
            problems.append(f"{name} holds {actual['tables'][name]} rows; the backup held {count}")
    if actual["audit"] != expected["audit"]:
        problems.append(
            f"the audit log holds {actual['audit']['events']} events ending with hash {actual['audit']['last_hash']}; "
            f"the backup held {expected['audit']['events']} ending with {expected['audit']['last_hash']}"
        )
    if actual["migrations"] != expected["migrations"]:
        lost = sorted(set(expected["migrations"]) - set(actual["migrations"]))
        gained = sorted(set(actual["migrations"]) - set(expected["migrations"]))
        problems.append(
            f"the applied migrations differ (missing: {', '.join(lost) or 'none'}; "
            f"not in the backup: {', '.join(gained) or 'none'})"
        )
    for label, field in sorted(expected["encrypted_fields"].items()):
        found = actual["encrypted_fields"].get(label)
        if found is None:
            problems.append(f"the encrypted field {label} is missing")
        elif found != field:
            problems.append(f"the encrypted field {label} does not hold the values that were backed up")
    return problems
