"""Freeze the board's figures for a month (by default the last one ended),
as the nightly job does. `make demo` runs it so the dashboard has figures."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from hoth.insight import services
from hoth.insight.models import Snapshot


class Command(BaseCommand):
    help = "Freeze the board's figures for a month that has ended (the nightly job does this)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; the last month ended if not given")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the month is frozen already")

    def handle(self, *args, month=None, if_missing=False, **options):
        try:
            chosen = datetime.date.fromisoformat(f"{month}-01") if month else services.last_ended_month()
        except ValueError:
            raise CommandError(f"--month must be a year and month, like 2026-11, not {month!r}") from None
        if if_missing and Snapshot.objects.filter(month=chosen, is_current=True).exists():
            self.stdout.write(f"The figures to {chosen:%B %Y} are frozen already")
            return
        try:
            snapshot = services.take_snapshot(chosen)
        except services.NotEnded as ended:
            raise CommandError(str(ended)) from None
        self.stdout.write(
            f"The figures to {chosen:%B %Y} frozen: {snapshot.figures.count():,} figures in {snapshot.seconds} s"
        )
