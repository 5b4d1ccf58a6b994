"""Database triggers that make the audit table append-only.

Kept as functions so that the migration installs them and the test suite can
lift them for the moment Django empties tables between transactional tests.
"""

TABLE = "audit_auditevent"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"""CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection):
    _run(connection, POSTGRES_INSTALL if connection.vendor == "postgresql" else SQLITE_INSTALL)


def remove(connection):
    _run(connection, POSTGRES_REMOVE if connection.vendor == "postgresql" else SQLITE_REMOVE)
