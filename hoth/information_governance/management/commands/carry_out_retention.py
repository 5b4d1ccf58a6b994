"""Finish carrying out approved retention reviews.

Approving a review starts a background job that carries it out. If that job
stopped part-way (its worker was restarted), what was done stays done, record
by record, and the review's page offers to carry on; this command is the same
from the server, in the approver's name, without a worker."""

from django.core.management.base import BaseCommand

from hoth.information_governance.models import RetentionReview
from hoth.information_governance.selectors import carrying_out, counts
from hoth.information_governance.services import carry_out


class Command(BaseCommand):
    help = "Carry out the approved retention reviews that have not finished."

    def handle(self, *args, **options):
        waiting = RetentionReview.objects.filter(status=RetentionReview.Status.APPROVED).select_related("decided_by")
        if not waiting:
            self.stdout.write("No approved review is waiting to be carried out.")
        for review in waiting:
            job = carrying_out(review)
            if job is not None and not job.is_finished:
                # Two at once would race for the same records.
                self.stdout.write(f"Retention review {review.pk} is being carried out by a job ({job.pk}): left to it.")
                continue
            carry_out(review, review.decided_by)
            done = sum(c.get("done", 0) for c in counts(review).values())
            self.stdout.write(self.style.SUCCESS(f"Retention review {review.pk} carried out: {done} records erased."))
