"""Back up the database to one file, with a manifest beside it.

    python manage.py backup --output /var/backups/hoth/hoth-2026-01-15.dump

The file holds every person's record: encrypt it before it leaves the machine
(docs/operations.md shows how with age or gpg) and keep the manifest with it.
"""

from django.core.management.base import BaseCommand, CommandError

from hoth.audit.log import record
from hoth.backups import dumps


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: the online backup API) to --output, "
        "with a manifest of row counts, the audit log's last hash, migrations and encrypted-field check values "
        "beside it as OUTPUT.manifest.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The backup file to create (never overwritten).")

    def handle(self, *args, output, **options):
        try:
            taken, unreadable = dumps.backup(output)
        except dumps.BackupError as error:
            raise CommandError(str(error)) from None
        # A backup is an export of everyone's records: it is audited like one.
        record(
            "export",
            actor="manage.py backup",
            detail={
                "backup": taken["dump"]["file"],
                "sha256": taken["dump"]["sha256"],
                "audit_events": taken["audit"]["events"],
            },
        )
        rows = sum(taken["tables"].values())
        self.stdout.write(
            f"Backed up {len(taken['tables'])} tables, {rows:,} rows, {taken['audit']['events']:,} audit events "
            f"(last hash {taken['audit']['last_hash']}) to {output} ({taken['dump']['bytes']:,} bytes)."
        )
        self.stdout.write(f"Manifest: {output}.manifest.json")
        if unreadable:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(unreadable)} encrypted values could not be decrypted with HOTH_FIELD_KEYS (first: "
                    f"{unreadable[0]}). The backup holds them as they are, but restoring it will need the key they "
                    "were written with."
                )
            )
        self.stdout.write(
            "This file holds personal data: encrypt it before it leaves this machine, and keep "
            "HOTH_FIELD_KEYS and the audit keys somewhere else: a restore needs the same keys."
        )
