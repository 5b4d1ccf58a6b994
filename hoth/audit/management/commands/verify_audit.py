"""Check the audit log's hash chain from its first event to its last, and
against the newest signed checkpoint (hoth.audit.checkpoints).

Exit status 0 when every event holds and the log still matches the checkpoint;
1 when an event was altered, removed, reordered or recomputed, the newest
events were cut off, a file in the checkpoint directory is not a genuine
checkpoint, or something cannot be checked (an audit key or checkpoint key not
configured), so that a scheduled job or monitoring check can raise the alarm. A
file that is not genuine is never trusted: the log is checked against the newest
checkpoint that is. With no checkpoint yet it warns and exits 0, or 1 with
--require-checkpoint. It only reads: it can be run against a read-only replica,
with the audit keys and the checkpoints' public keys.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from hoth.audit import checkpoints
from hoth.audit.log import verify
from hoth.audit.reporting import checkpoint_problem, describe, failure


class Command(BaseCommand):
    help = "Verify that no audit event has been altered, removed, reordered or recomputed, and none cut off the end."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="Events read per query (default 5000).")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="Also check against this checkpoint file, e.g. the copy emailed to the data protection officer. "
            "May be given more than once.",
        )
        parser.add_argument(
            "--require-checkpoint",
            action="store_true",
            help="Fail when there is no checkpoint to check against, instead of warning.",
        )

    def handle(self, *args, batch_size, checkpoint, require_checkpoint, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        newest, rejected = checkpoints.scan()
        for error in rejected:
            self.stderr.write(checkpoint_problem(error))
        against = [newest] if newest is not None else []
        try:
            against += [checkpoints.read(path) for path in checkpoint]
        except checkpoints.CheckpointError as error:
            self.stderr.write(checkpoint_problem(error))
            sys.exit(1)
        if not against:
            where = checkpoints.directory()
            why = f"there is none in {where}" if where else "HOTH_AUDIT_CHECKPOINT_DIR is not set"
            self.stderr.write(
                f"{'' if require_checkpoint else 'Warning: '}No audit checkpoint to check against ({why}), so the "
                "newest events could have been removed without trace. Write checkpoints with "
                "`manage.py audit_checkpoint`, daily or more often."
            )
        result = verify(batch_size=batch_size, checkpoints=against)
        if not result.intact:
            self.stderr.write(failure(result))
            sys.exit(1)
        self.stdout.write(f"The audit log is intact: {result.checked} events checked.")
        if result.last_good is not None:
            self.stdout.write(f"Latest: {describe(result.last_good)}, hash {result.last_good.hash}.")
        for held in result.checkpoints_held:
            self.stdout.write(f"It matches {held}: {held.events} events up to event #{held.last_event_id}.")
        if rejected or (require_checkpoint and not against):
            # The log holds against what could be trusted, but a checkpoint file
            # that is not genuine, or no checkpoint at all, needs someone to look.
            sys.exit(1)
