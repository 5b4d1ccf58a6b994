"""The data protection officer's jobs: routine records purged before dawn and
the day's retention review proposed for the officer to approve, daily (also
`manage.py purge_routine_records` and `manage.py propose_retention`); and an
approved review carried out (also `manage.py carry_out_retention`)."""

from datetime import time

from django.urls import reverse

from hoth.jobs.registry import daily, job_kind

from .models import RetentionItem, RetentionReview
from .selectors import CARRY_OUT, counts
from .services import carry_out, propose_due, purge_routine


# Not cancellable: what is erased stays erased, so a cancel could only stop it
# part-way while seeming to undo it.
@job_kind(CARRY_OUT, title="Carry out an approved retention review", cancellable=False)
def carry_out_review(job, progress):
    review = RetentionReview.objects.select_related("decided_by").get(pk=job.params["review"])
    progress.stage("Erasing the approved records", total=job.total, unit="records done")
    carry_out(review, review.decided_by, progress=progress)
    erased = review.items.filter(status=RetentionItem.Status.DONE).count()
    return {
        "summary": f"Retention review {review.pk} carried out: {erased:,} record{'s' if erased != 1 else ''} erased",
        "count": erased,
        "url": reverse("retention:review", args=[review.pk]),
        "link_text": "See the review",
    }


@daily(
    "information_governance.purge_routine_records",
    at=time(4, 0),
    title="Delete routine records past their retention period",
)
def purge_routine_records(job, progress):
    deleted = purge_routine()
    total = sum(deleted.values())
    return {
        "summary": f"{total:,} routine record{'s' if total != 1 else ''} deleted",
        "count": total,
        "by_rule": deleted,
    }


@daily(
    "information_governance.propose_retention",
    at=time(6, 0),
    title="Propose the records past their retention trigger for the data protection officer",
)
def propose_retention(job, progress):
    review = propose_due()
    if review is None:
        return {"summary": "Nothing is due: no review proposed", "count": 0}
    due = sum(statuses.get("due", 0) for statuses in counts(review).values())
    return {
        "summary": f"Retention review {review.pk} proposed: {due:,} record{'s' if due != 1 else ''} due",
        "count": due,
        "review": review.pk,
    }
