"""The audit log's daily job: check what was written since the last signed
checkpoint and write the next one (also `manage.py audit_checkpoint`).

A checkpoint is what makes cutting the newest events off the log, or deleting
it all, detectable; run daily, at most a day's events are ever unprotected.
If the log no longer matches the last checkpoint, nothing is written and the
auditors and system administrators are told at once: someone has changed the
log, and the next step is `manage.py verify_audit`."""

from datetime import time

from django.urls import NoReverseMatch, reverse

from hoth.accounts.models import Role, User
from hoth.jobs.registry import JobFailed, daily

from .checkpoints import CheckpointRefused, write_checkpoint


def _tell_the_guardians(why):
    from hoth.notifications.services import notify

    try:
        url = reverse("audit:search")
    except NoReverseMatch:
        url = ""
    guardians = User.objects.filter(is_active=True, is_service_account=False,
                                    role_assignments__role__in=[Role.AUDITOR, Role.SYSTEM_ADMIN]).distinct()
    for user in guardians:
        notify(user, "The audit log does not match its last checkpoint",
               body=f"Tonight's check of the audit log failed: {why}. No new checkpoint was written. "
                    "Run manage.py verify_audit on the server and treat this as a security incident "
                    "until it is explained.", url=url)


@daily("audit.checkpoint", at=time(2, 30), title="Check the audit log and sign a checkpoint of it")
def checkpoint_the_audit_log(job, progress):
    try:
        checkpoint = write_checkpoint()
    except CheckpointRefused as refused:
        _tell_the_guardians(refused.verification.problem)
        raise JobFailed("The audit log does not match its last checkpoint: the auditors and system "
                        "administrators have been told. Run manage.py verify_audit.") from None
    return {"summary": f"Checkpoint of {checkpoint.events:,} audit events written", "count": checkpoint.events}
