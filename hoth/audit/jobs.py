"""The audit log's daily job: check what was written since the last signed
checkpoint and write the next one (also `manage.py audit_checkpoint`).

A checkpoint is what makes cutting the newest events off the log, or deleting
it all, detectable; run daily, at most a day's events are ever unprotected.
If no checkpoint can be written the auditors and system administrators are
told at once, whatever the reason: the log no longer matches the last
checkpoint (someone has changed it: the next step is `manage.py
verify_audit`), or the checkpoints cannot be signed or kept (a missing key or
directory, a checkpoint file that cannot be trusted), which leaves the log
unprotected as surely."""

from datetime import time

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from hoth.accounts.models import Role, User
from hoth.jobs.registry import JobFailed, daily

from .checkpoints import CheckpointError, CheckpointRefused, write_checkpoint


def _tell_the_guardians(subject, why):
    from hoth.notifications.services import notify

    try:
        url = reverse("audit:search")
    except NoReverseMatch:
        url = ""
    guardians = User.objects.filter(
        is_active=True, is_service_account=False, role_assignments__role__in=[Role.AUDITOR, Role.SYSTEM_ADMIN]
    ).distinct()
    for user in guardians:
        notify(
            user,
            subject,
            body=f"Tonight's checkpoint of the audit log was not written: {why}. "
            "Run manage.py verify_audit on the server and treat this as a security "
            "incident until it is explained.",
            url=url,
        )


@daily("audit.checkpoint", at=time(2, 30), title="Check the audit log and sign a checkpoint of it")
def checkpoint_the_audit_log(job, progress):
    try:
        checkpoint = write_checkpoint()
    except CheckpointRefused as refused:
        _tell_the_guardians("The audit log does not match its last checkpoint", refused.verification.problem)
        raise JobFailed(
            "The audit log does not match its last checkpoint: the auditors and system "
            "administrators have been told. Run manage.py verify_audit."
        ) from None
    except (CheckpointError, ImproperlyConfigured, OSError) as error:
        _tell_the_guardians("The audit log could not be checkpointed", str(error))
        raise JobFailed(
            f"No checkpoint of the audit log could be written ({error}): the auditors and system "
            "administrators have been told."
        ) from None
    return {"summary": f"Checkpoint of {checkpoint.events:,} audit events written", "count": checkpoint.events}
