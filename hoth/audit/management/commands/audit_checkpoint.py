"""Write a signed checkpoint of the audit log to the checkpoint directory
(and email a copy if HOTH_AUDIT_CHECKPOINT_EMAIL is set).

Exit status 1, with nothing written, when the log does not hold since the last
checkpoint: a checkpoint must never vouch for a log that was cut or changed.
The job scheduler calls hoth.audit.checkpoints.write_checkpoint directly.
"""

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from hoth.audit import checkpoints
from hoth.audit.reporting import checkpoint_problem, failure


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit log outside the database."

    def handle(self, *args, **options):
        try:
            checkpoint = checkpoints.write_checkpoint()
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem)) from None
        except checkpoints.CheckpointRefused as refused:
            self.stderr.write("No checkpoint was written: the audit log does not hold since the last checkpoint.")
            self.stderr.write(failure(refused.verification))
            sys.exit(1)
        except checkpoints.CheckpointError as error:
            self.stderr.write("No checkpoint was written.")
            self.stderr.write(checkpoint_problem(error))
            sys.exit(1)
        self.stdout.write(f"Checkpoint written: {checkpoint.path}")
        self.stdout.write(
            f"{checkpoint.events} events up to event #{checkpoint.last_event_id}, hash {checkpoint.last_hash}."
        )
