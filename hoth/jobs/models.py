"""Background jobs as the service and the person who asked see them.

django-tasks queues and runs the work (its DBTaskResult rows are the
runner's own bookkeeping); a Job is what the service owns: who asked, what
it is, how far it has got in words a person understands, what came of it
and what went wrong. Progress is written in short transactions of its own,
so another connection (the job's page) sees it while the job runs.
"""

import base64
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    # Not a counter: a job's address tells nobody how many others there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60, help_text="The registered kind of job (hoth.jobs.registry)")
    title = models.CharField(max_length=200, help_text="What the person who asked sees it called")
    # Empty for scheduled jobs, which nobody asked for.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing now, in plain English")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    # What `done` counts, as the page says it: "1,200 of 20,000 rows checked".
    unit = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # What the person gets: {"summary": ..., "count": ..., "url": ..., "link_text": ...}.
    result = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True, help_text="What went wrong, in plain English (never a traceback)")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Every progress report moves it: a running job whose heartbeat stops has lost its worker.
    updated_at = models.DateTimeField(default=timezone.now)
    task_result_id = models.CharField(max_length=64, blank=True, help_text="django-tasks' id for the run")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_newest")]

    def __str__(self):
        return self.title

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def tag_class(self):
        return {
            "queued": "govuk-tag--grey",
            "running": "govuk-tag--blue",
            "succeeded": "govuk-tag--green",
            "failed": "govuk-tag--red",
            "cancelled": "govuk-tag--orange",
        }[self.status]

    @property
    def progress_text(self):
        """'1,200 of 20,000 rows checked', or the stage alone when nothing is counted."""
        if self.total:
            return f"{self.done:,} of {self.total:,} {self.unit}".rstrip()
        return self.stage


class JobProblem(models.Model):
    """One thing wrong with what a job was given, such as a rejected row of an
    import: its line in the file (a spreadsheet's numbering: the header is 1)
    and why."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=60, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["line", "id"]


class JobFile(models.Model):
    """A file a job was given (an uploaded import) or made (a PDF).

    Files hold personal data, so they are stored encrypted with the field keys
    (HOTH_FIELD_KEYS, rotated by rotate_field_keys like every encrypted field),
    base64 inside the token. An input goes as soon as its job ends; a result
    is kept for HOTH_JOB_FILE_HOURS and then deleted by the daily clean-up."""

    class Purpose(models.TextChoices):
        INPUT = "input", "Given to the job"
        RESULT = "result", "Made by the job"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=6, choices=Purpose.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    content = EncryptedTextField()
    # What the export's audit event records when the file is downloaded (a
    # problem profile's key to its pseudonyms), kept and deleted with the file.
    export_audit = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "purpose"], name="one_file_each_way_per_job")]

    def set_bytes(self, data):
        self.content = base64.b64encode(data).decode("ascii")
        self.size = len(data)

    def get_bytes(self):
        return base64.b64decode(self.content)

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()


class ScheduledRun(models.Model):
    """A daily schedule's run for one day. The unique row is the claim: with
    two workers, the one whose insert succeeds starts the job, the other
    finds the row and does nothing."""

    schedule = models.CharField(max_length=100)
    period = models.DateField(help_text="The day (local time) this run is for")
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="scheduled_run")
    claimed_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True, help_text="The worker that claimed it")

    class Meta:
        ordering = ["-period", "schedule"]
        constraints = [models.UniqueConstraint(fields=["schedule", "period"], name="one_run_per_schedule_and_day")]

    def __str__(self):
        return f"{self.schedule} on {self.period}"
