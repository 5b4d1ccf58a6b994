"""The data protection officer's daily jobs (also `manage.py propose_retention`
and `manage.py purge_routine_records`): routine records purged before dawn,
then the day's retention review proposed for the officer to approve."""

from datetime import time

from hoth.jobs.registry import daily

from .services import counts, propose_due, purge_routine


@daily("information_governance.purge_routine_records", at=time(4, 0),
       title="Delete routine records past their retention period")
def purge_routine_records(job, progress):
    deleted = purge_routine()
    total = sum(deleted.values())
    return {"summary": f"{total:,} routine record{'s' if total != 1 else ''} deleted", "count": total,
            "by_rule": deleted}


@daily("information_governance.propose_retention", at=time(6, 0),
       title="Propose the records past their retention trigger for the data protection officer")
def propose_retention(job, progress):
    review = propose_due()
    if review is None:
        return {"summary": "Nothing is due: no review proposed", "count": 0}
    due = sum(statuses.get("due", 0) for statuses in counts(review).values())
    return {"summary": f"Retention review {review.pk} proposed: {due:,} record{'s' if due != 1 else ''} due",
            "count": due, "review": review.pk}
