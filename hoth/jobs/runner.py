"""The one task django-tasks runs: a Job, by its kind (hoth.jobs.registry).

The Job row carries the status people see; django-tasks' own result row
(DBTaskResult) keeps the traceback of a job that crashed, for whoever runs
the service. The person who asked only ever reads a message in plain English.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import task

from . import registry
from .models import Job, JobFile
from .progress import JobCancelled, Progress

logger = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side and the job stopped. Nothing was changed. Try again; "
    "if it happens again, tell your system administrator when it happened."
)
NO_LONGER_ALLOWED = "You are no longer allowed to do this, so the job was stopped. Nothing was changed."
STALLED = "The job stopped part way, probably because the service was restarted. Nothing was changed. Start it again."


@task()
def run_job(job_id: str):
    return run(job_id)


def run(job_id):
    """Run the job if it is still waiting; return the status it ended with."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, updated_at=now, stage="Starting"
    ):
        # Cancelled before a worker reached it, or already run.
        return Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
    job = Job.objects.select_related("user").get(pk=job_id)
    kind = registry.kind(job.kind)
    try:
        result = kind.run(job, Progress(job)) or {}
    except JobCancelled:
        return _finish(job, Job.Status.CANCELLED)
    except registry.JobFailed as failed:
        return _finish(job, Job.Status.FAILED, failure=failed.message)
    except PermissionDenied:
        return _finish(job, Job.Status.FAILED, failure=NO_LONGER_ALLOWED)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, failure=SOMETHING_WENT_WRONG)
        raise  # django-tasks keeps the traceback with its own record of the run
    else:
        return _finish(job, Job.Status.SUCCEEDED, result=result)
    finally:
        JobFile.objects.filter(job=job, purpose=JobFile.Purpose.INPUT).delete()
        if kind.cleanup is not None:
            kind.cleanup(job)


def _finish(job, status, **fields):
    now = timezone.now()
    if status == Job.Status.CANCELLED:
        Job.objects.filter(pk=job.pk).update(finished_at=now, updated_at=now, stage="Cancelled")
        return status
    # A cancel that arrived after the work was done does not undo it: the job says what happened.
    Job.objects.filter(pk=job.pk, status__in=[Job.Status.RUNNING, Job.Status.CANCELLED]).update(
        status=status, finished_at=now, updated_at=now, stage=Job.Status(status).label, **fields
    )
    return status
