"""How a running job says how far it has got.

Each report is one UPDATE in a transaction of its own (the job's code calls
it outside any transaction of its own), so the job's page, on another
connection, sees it at once; a job must never report from inside a long
transaction, where nobody else could see it until the end. Reports are
written at most every MIN_INTERVAL seconds, and each one also tells the job
whether the person who asked has cancelled it.
"""

import time

from django.utils import timezone

from .models import Job


class JobCancelled(Exception):
    """The person who asked cancelled the job: stop, leaving nothing half done."""


class Progress:
    MIN_INTERVAL = 0.5

    def __init__(self, job, clock=time.monotonic):
        self.job = job
        self.clock = clock
        self._written = None

    def stage(self, text, *, total=None, unit="", done=0):
        """A new step: 'Checking the rows', counting `total` `unit`
        ('rows checked'); without a total the page says only the stage."""
        self._write(stage=text, total=total, unit=unit, done=done)

    def advance(self, done):
        """`done` of the stage's total so far; written now and then, and always at the end."""
        self.job.done = done
        finished = self.job.total is not None and done >= self.job.total
        if finished or self._written is None or self.clock() - self._written >= self.MIN_INTERVAL:
            self._write()

    def check(self):
        """Write how far it has got now, and stop here if the job was cancelled."""
        self._write()

    def _write(self, **fields):
        fields.setdefault("done", self.job.done)
        fields["updated_at"] = timezone.now()
        if not Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING).update(**fields):
            raise JobCancelled(self.job.pk)
        for name, value in fields.items():
            setattr(self.job, name, value)
        self._written = self.clock()
