"""Who may see, cancel and download a background job."""

from hoth.access.policy import can, rule, scope

from . import registry


@scope("jobs.Job")
def visible_jobs(user, jobs):
    """A background job is its person's alone, whatever anyone else's role:
    it holds the rows of the file they gave or the profile made for them."""
    return jobs.filter(user=user)


@rule("job.view")
def view(user, job):
    """Everyone has "Your jobs"; a job's page is for the person who asked."""
    return job is None or job.user_id == user.pk


@rule("job.cancel")
def cancel(user, job):
    """Cancelling a job: the person who asked, if its kind may be cancelled
    (erasing records under the retention schedule may not, once begun)."""
    if job is None:
        return True
    kind = registry.KINDS.get(job.kind)
    return job.user_id == user.pk and (kind is None or kind.cancellable)


@rule("job.download")
def download(user, job):
    """The file a job made, for the person who asked, while they may still
    do what made it (the job kind's own rule, asked again at download)."""
    if job is None:
        return True
    kind = registry.KINDS.get(job.kind)
    return (
        job.user_id == user.pk and kind is not None and bool(kind.download_action) and can(user, kind.download_action)
    )
