"""Run daily (cron or a scheduler): tell officers and plan owners about
orders and notices that expire soon, and about those that have expired
(marking them expired). Running it twice tells no one twice."""

from django.core.management.base import BaseCommand

from hoth.disruption.reminders import send_expiry_reminders
from hoth.disruption.services import expiry_warning_days


class Command(BaseCommand):
    help = "Tell officers and plan owners about disruption orders expiring soon or expired, once each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Warn this many days ahead (default: HOTH_DISRUPTION_EXPIRY_WARNING_DAYS)",
        )

    def handle(self, *args, days=None, **options):
        days = expiry_warning_days() if days is None else days
        done = send_expiry_reminders(days=days)
        warned, expired = len(done.warned), len(done.expired)
        self.stdout.write(
            f"{warned} order{'s' if warned != 1 else ''} expiring within {days} days and "
            f"{expired} expired: their officers and plan owners told"
        )
