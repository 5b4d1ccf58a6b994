"""Restore a backup into a fresh, empty database, then check it.

    python manage.py restore --input hoth-2026-01-15.dump
    python manage.py restore --input hoth-2026-01-15.dump --check   # check only

The configured database (DATABASE_URL) must be empty: a freshly created
PostgreSQL database, or a new SQLite file. --force erases what is there first.
Restoring needs the HOTH_FIELD_KEYS (and audit keys) the backup was written
under; the check says so if they differ.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hoth.backups import dumps


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured (empty) database and check it "
        "against its manifest: row counts, the audit chain, migrations and encrypted fields."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="The backup file; its .manifest.json must be beside it.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Restore nothing: only check the configured database against the manifest.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Erase everything in the configured database first if it is not empty."
        )

    def handle(self, *args, input, check, force, **options):
        try:
            if check:
                written = dumps.read_manifest(input)
            else:
                written = dumps.restore(input, force=force)
                self.stdout.write(f"Restored {input} (taken {written['taken_at']}).")
            problems, found, verified = dumps.check(written)
        except dumps.BackupError as error:
            raise CommandError(str(error)) from None
        if problems:
            raise CommandError("The database does not match the backup's manifest:\n- " + "\n- ".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"The database matches the backup: {len(found['tables'])} tables and their row counts, "
                f"{len(found['migrations'])} migrations, {len(found['encrypted_fields'])} encrypted fields that decrypt "
                f"with the configured keys, and an audit log of {verified:,} events that verifies, ending with "
                f"{found['audit']['last_hash']}."
            )
        )
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"This version of the service has {len(pending)} migrations the backup predates: run "
                "manage.py migrate, then manage.py load_reference_data."
            )
