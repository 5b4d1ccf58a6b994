"""The nightly checkpoint is a scheduled job of the worker: it signs a
checkpoint of the log, or, if the log no longer matches the last one, writes
none and tells the auditors and system administrators at once."""

from datetime import datetime, time

from django.utils import timezone

from hoth.audit import checkpoints, log
from hoth.jobs import registry, scheduler
from hoth.jobs.models import Job
from hoth.notifications.models import Notification
from tests.audit import attacker
from tests.conftest import run_queued_jobs

NIGHT = timezone.make_aware(datetime(2026, 3, 2, 2, 30))


def test_the_checkpoint_is_a_daily_job_before_the_working_day():
    assert registry.SCHEDULES["audit.checkpoint"].at == time(2, 30)


def test_the_nightly_job_signs_a_checkpoint_of_the_log(users):
    log.record("sign_in", user=users["coordinator"])
    assert [job.kind for job in scheduler.start_due(NIGHT)] == ["audit.checkpoint"]
    run_queued_jobs()
    job = Job.objects.get(kind="audit.checkpoint")
    assert job.status == Job.Status.SUCCEEDED
    newest, _ = checkpoints.scan(checkpoints.directory())
    assert newest.events == job.result["count"] >= 1


def test_a_log_cut_since_the_last_checkpoint_fails_the_job_and_tells_the_guardians(users):
    for _ in range(3):
        log.record("sign_in", user=users["coordinator"])
    checkpoints.write_checkpoint()
    attacker.delete_newest(2)
    scheduler.start_due(NIGHT)
    run_queued_jobs(allow_failures=True)
    job = Job.objects.get(kind="audit.checkpoint")
    assert job.status == Job.Status.FAILED
    assert "does not match its last checkpoint" in job.failure
    told = Notification.objects.filter(subject="The audit log does not match its last checkpoint")
    assert {n.user for n in told} == {users["auditor"], users["system_admin"]}


def test_a_checkpoint_that_cannot_be_signed_fails_the_job_and_tells_the_guardians_too(users, settings):
    """Without its key no checkpoint is written, which leaves the log as
    unprotected as a cut one: nobody may find out only by chance."""
    settings.AUDIT_CHECKPOINT_KEY = None
    scheduler.start_due(NIGHT)
    run_queued_jobs(allow_failures=True)
    job = Job.objects.get(kind="audit.checkpoint")
    assert job.status == Job.Status.FAILED and "No checkpoint of the audit log could be written" in job.failure
    told = Notification.objects.filter(subject="The audit log could not be checkpointed")
    assert {n.user for n in told} == {users["auditor"], users["system_admin"]}
