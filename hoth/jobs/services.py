"""Starting, cancelling, downloading from and clearing away jobs."""

import datetime
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext

from . import registry
from .models import Job, JobFile


class FileGone(Exception):
    """The job's file has expired and been (or is about to be) deleted."""


def start(
    kind: str,
    *,
    user: User | None,
    title: str,
    # The job kind's own parameters, kept as JSON: each kind reads its own keys.
    params: dict[str, Any] | None = None,
    total: int | None = None,
    unit: str = "",
    stage: str = "Waiting for a worker to start it",
    input: tuple[str, str, bytes] | None = None,
    now: datetime.datetime | None = None,
) -> Job:
    """Queue a job of `kind` and return it. `input`, (name, content type,
    bytes), is kept encrypted for the job and deleted when it ends.

    The Job and django-tasks' row are written in one transaction: a worker
    can never find one without the other."""
    registry.kind(kind)  # an unknown kind fails here, not in the worker
    now = now or timezone.now()
    from .runner import run_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            user=user,
            params=params or {},
            total=total,
            unit=unit,
            stage=stage,
            created_at=now,
            updated_at=now,
        )
        if input is not None:
            name, content_type, data = input
            kept = JobFile(job=job, purpose=JobFile.Purpose.INPUT, name=name[:200], content_type=content_type)
            kept.set_bytes(data)
            kept.save()
        queued = run_job.enqueue(str(job.pk))
        job.task_result_id = str(queued.id)
        job.save(update_fields=["task_result_id"])
    return job


def keep_file(
    job: Job,
    *,
    name: str,
    content_type: str,
    data: bytes,
    # {"detail": {...}, "people": [...]}: an audit event's detail is whatever the job kind records.
    export_audit: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> JobFile:
    """Keep what the job made for its person to download, encrypted, for
    HOTH_JOB_FILE_HOURS. `export_audit`, {"detail": ..., "people": [...]},
    is what the audit event of each download records."""
    now = now or timezone.now()
    kept = JobFile(
        job=job,
        purpose=JobFile.Purpose.RESULT,
        name=name[:200],
        content_type=content_type,
        export_audit=json.dumps(export_audit) if export_audit else "",
        created_at=now,
        expires_at=now + timedelta(hours=settings.HOTH_JOB_FILE_HOURS),
    )
    kept.set_bytes(data)
    kept.save()
    return kept


def download(user: User, job: Job, *, audit: AuditContext | None = None) -> JobFile:
    """The file, for its person, if they may still have it: the job kind's
    rule is asked again now, not only when they asked for it. Each download
    is an export, audited once."""
    policy.check(user, "job.download", job)
    kept = JobFile.objects.filter(job=job, purpose=JobFile.Purpose.RESULT).first()
    if kept is None or kept.expired:
        raise FileGone(job.pk)
    exported = json.loads(kept.export_audit) if kept.export_audit else {}
    detail = {**exported.get("detail", {}), "job": str(job.pk), "file": kept.name}
    log.record("export", audit=audit, user=user, obj=job, detail=detail, people=exported.get("people", []))
    return kept


def cancel(user: User, job: Job) -> bool:
    """Stop a job that has not finished. A running job stops at its next
    progress report; an import stops before it publishes anything."""
    policy.check(user, "job.cancel", job)
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.CANCELLED, stage="Cancelled", finished_at=now, updated_at=now
        )
    )


def fail_stalled(now: datetime.datetime | None = None) -> list[Job]:
    """Running jobs that have not reported for HOTH_JOB_STALLED_MINUTES lost
    their worker (a restart, a crash): say so, and clear what they kept."""
    from .runner import STALLED

    now = now or timezone.now()
    stalled = Job.objects.filter(
        status=Job.Status.RUNNING, updated_at__lt=now - timedelta(minutes=settings.HOTH_JOB_STALLED_MINUTES)
    )
    failed = []
    for job in stalled:
        if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, updated_at=job.updated_at).update(
            status=Job.Status.FAILED, stage=Job.Status.FAILED.label, failure=STALLED, finished_at=now, updated_at=now
        ):
            JobFile.objects.filter(job=job, purpose=JobFile.Purpose.INPUT).delete()
            kind = registry.KINDS.get(job.kind)
            if kind is not None and kind.cleanup is not None:
                kind.cleanup(job)
            failed.append(job)
    return failed
