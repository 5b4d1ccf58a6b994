"""Purge the retention schedule's routine records: daily.

Only the lines that need no approval (expired sessions, API idempotency keys,
old notifications, ended break-glass grants, abandoned drafts, the lockout
library's logs). Everything else waits for the data protection officer
(manage.py propose_retention)."""

from django.core.management.base import BaseCommand

from hoth.information_governance.services import purge_routine


class Command(BaseCommand):
    help = "Delete the routine records (sessions, idempotency keys, notifications...) past their retention period."

    def handle(self, *args, **options):
        for code, count in purge_routine().items():
            self.stdout.write(f"{code}: {count} deleted")
