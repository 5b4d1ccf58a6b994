"""Database triggers that make the audit tables append-only.

The application never updates or deletes an audit row; these triggers make the
database refuse it too, whoever asks (the ORM, raw SQL, a console session), on
SQLite and on PostgreSQL. Someone with rights to drop the triggers can still
change rows: the hash chain (hoth.audit.log.verify) is what catches that.

Kept as functions so that the migrations install them and the test suite can
lift them for the moment Django empties tables between transactional tests.
"""

EVENTS = "audit_auditevent"
EVENT_PEOPLE = "audit_auditeventperson"
TABLES = (EVENTS, EVENT_PEOPLE)
# Kept for code that imported the old single-table name.
TABLE = EVENTS

# Trigger names are per database on SQLite, so each table has its own prefix.
# The events table keeps the names its first migration gave it.
_PREFIX = {EVENTS: "audit", EVENT_PEOPLE: "audit_person"}

_REFUSE = "the audit log is append-only"


def _sqlite_install(table):
    prefix = _PREFIX[table]
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END""",
    ]


def _sqlite_remove(table):
    prefix = _PREFIX[table]
    return [f"DROP TRIGGER IF EXISTS {prefix}_no_update", f"DROP TRIGGER IF EXISTS {prefix}_no_delete"]


_POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{_REFUSE}'; END; $$ LANGUAGE plpgsql"""


def _postgres_install(table):
    prefix = _PREFIX[table]
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_no_change ON {table}",
        f"""CREATE TRIGGER {prefix}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
        f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
        f"""CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    ]


def _postgres_remove(table):
    prefix = _PREFIX[table]
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
    ]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection, tables=TABLES):
    """Make `tables` append-only. Migrations name the tables that exist at their
    point in history; everyone else takes the default, all of them."""
    if connection.vendor == "postgresql":
        statements = [_POSTGRES_FUNCTION]
        for table in tables:
            statements += _postgres_install(table)
    else:
        statements = [sql for table in tables for sql in _sqlite_install(table)]
    _run(connection, statements)


def remove(connection, tables=TABLES):
    build = _postgres_remove if connection.vendor == "postgresql" else _sqlite_remove
    _run(connection, [sql for table in tables for sql in build(table)])
