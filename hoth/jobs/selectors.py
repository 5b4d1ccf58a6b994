"""What the jobs pages and the jobs themselves read about a job without
changing it: the file it was given, the file it made while that is still
kept (downloading one is an audited export, so that is in services), and
how long finished jobs are kept."""

from .models import Job, JobFile


def input_bytes(job: Job) -> bytes:
    return JobFile.objects.get(job=job, purpose=JobFile.Purpose.INPUT).get_bytes()


def result_file(job: Job) -> JobFile | None:
    """The file the job made, if it is still kept (for the job's page)."""
    kept = JobFile.objects.filter(job=job, purpose=JobFile.Purpose.RESULT).defer("content", "export_audit").first()
    return None if kept is None or kept.expired else kept


def kept_for_days() -> int | None:
    """How many days a finished job is kept: the retention schedule's line
    "background_jobs" (None if it has none)."""
    from hoth.information_governance.models import RetentionRule

    return RetentionRule.objects.filter(code="background_jobs").values_list("period_days", flat=True).first()
