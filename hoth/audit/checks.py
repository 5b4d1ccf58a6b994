"""`manage.py check --deploy` warns when the audit log's checkpoints are not set
up: without them, the newest events can be cut off the log without trace."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_checkpoints(app_configs, **kwargs):
    problems = []
    if not settings.AUDIT_CHECKPOINT_DIR:
        problems.append(
            Warning(
                "HOTH_AUDIT_CHECKPOINT_DIR is not set: no audit checkpoints can be written or checked.",
                hint="Point it at a directory on write-once storage and run `manage.py audit_checkpoint` daily.",
                id="hoth_audit.W001",
            )
        )
    if not settings.AUDIT_CHECKPOINT_PUBLIC_KEYS:
        problems.append(
            Warning(
                "No audit checkpoint key: checkpoints can be neither signed nor checked.",
                hint="Set HOTH_AUDIT_CHECKPOINT_KEY where checkpoints are written and HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS "
                "where they are checked (`python -m hoth.audit.keys checkpoint ID` makes a pair).",
                id="hoth_audit.W002",
            )
        )
    return problems
