"""Check the audit log's hash chain from its first event to its last.

Exit status 0 when every event holds, 1 at the first that does not, so that a
scheduled job or monitoring check can raise the alarm. It only reads: it can be
run against a read-only replica.
"""

import sys
from datetime import timezone as dt_timezone

from django.core.management.base import BaseCommand, CommandError

from hoth.audit.log import verify


def describe(event):
    at = event.at.astimezone(dt_timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"event #{event.pk} at {at}, by {event.actor or 'nobody signed in'}, action {event.action!r}"


class Command(BaseCommand):
    help = "Verify that no audit event has been altered, removed or reordered."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="Events read per query (default 5000).")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        result = verify(batch_size=batch_size)
        if result.intact:
            self.stdout.write(f"The audit log is intact: {result.checked} events checked.")
            if result.last_good is not None:
                # Writing these down elsewhere catches what a chain cannot: the
                # newest events being cut off the end.
                self.stdout.write(f"Latest: {describe(result.last_good)}, hash {result.last_good.hash}.")
            return
        self.stderr.write(
            f"The audit log has been tampered with. First broken entry: {describe(result.first_broken)}.\n"
            f"Why: {result.problem}.\n"
            f"Problem: {'altered' if result.kind in ('altered', 'index') else 'removed or reordered'}.\n"
            f"{result.checked} events before it were checked and hold."
        )
        sys.exit(1)
