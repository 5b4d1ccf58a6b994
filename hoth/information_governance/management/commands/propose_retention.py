"""Propose what the retention schedule says is due: daily.

Writes a retention review for the data protection officer to approve or
reject; deletes nothing. The worker runs it as a daily job
(hoth/information_governance/jobs.py); this runs it by hand."""

from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from hoth.information_governance.selectors import counts
from hoth.information_governance.services import propose_due


class Command(BaseCommand):
    help = "Propose the records past their retention trigger for the data protection officer's approval."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            default=None,
            help="Work out what is due at this moment (YYYY-MM-DDTHH:MM), for a rehearsal",
        )

    def handle(self, *args, now=None, **options):
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        review = propose_due(now)
        if review is None:
            self.stdout.write("Nothing is due: no review proposed.")
            return
        for code, statuses in counts(review).items():
            self.stdout.write(f"{code}: {statuses.get('due', 0)} due, {statuses.get('held', 0)} held back")
        self.stdout.write(self.style.SUCCESS(f"Retention review {review.pk} proposed for the data protection officer."))
