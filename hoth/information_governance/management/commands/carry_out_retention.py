"""Finish carrying out approved retention reviews.

The approval page carries a review out at once. A very large review (the
first on a partnership that has run for years) may outlast the web server's
time limit; what was done stays done, record by record, and this command
carries on from there, in the approver's name. Once the background job
runner (hoth/jobs) exists, carrying out becomes its job and this is its
manual equivalent."""

from django.core.management.base import BaseCommand

from hoth.information_governance.models import RetentionReview
from hoth.information_governance.services import carry_out, counts


class Command(BaseCommand):
    help = "Carry out the approved retention reviews that have not finished."

    def handle(self, *args, **options):
        waiting = RetentionReview.objects.filter(status=RetentionReview.Status.APPROVED).select_related("decided_by")
        if not waiting:
            self.stdout.write("No approved review is waiting to be carried out.")
        for review in waiting:
            carry_out(review, review.decided_by)
            done = sum(c.get("done", 0) for c in counts(review).values())
            self.stdout.write(self.style.SUCCESS(f"Retention review {review.pk} carried out: {done} records erased."))
