"""The worker's scheduler: starts each daily job once a day, after its time.

A schedule's run for a day is claimed by inserting the one row
(schedule, day) the database allows: with two workers, the one whose insert
succeeds starts the job and the other finds the row there. A worker that
starts after a schedule's time (it was down at 07:00) still runs that day's
job; a day the worker was down throughout is not caught up.
"""

import logging
import threading

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from . import registry, services
from .models import ScheduledRun

logger = logging.getLogger(__name__)


def start_due(now=None, worker=""):
    """Start every schedule due today that no worker has started yet; return their jobs."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    started = []
    for schedule in sorted(registry.SCHEDULES.values(), key=lambda s: (s.at, s.name)):
        if local.time() < schedule.at:
            continue
        if ScheduledRun.objects.filter(schedule=schedule.name, period=local.date()).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(
                    schedule=schedule.name, period=local.date(), claimed_at=now, claimed_by=worker[:64]
                )
                run.job = services.start(schedule.kind, user=None, title=schedule.title, now=now)
                run.save(update_fields=["job"])
        except IntegrityError:
            continue  # another worker claimed it first
        started.append(run.job)
    return started


def tick(now=None, worker=""):
    """One round: stalled jobs failed, due schedules started."""
    services.fail_stalled(now)
    return start_due(now, worker)


class Scheduler(threading.Thread):
    """Runs tick() every `interval` seconds beside the worker, in a thread
    with its own database connection."""

    def __init__(self, interval=30, worker=""):
        super().__init__(name="hoth-scheduler", daemon=True)
        self.interval = interval
        self.worker = worker
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            close_old_connections()
            try:
                for job in tick(worker=self.worker):
                    logger.info("Started the scheduled job %s (%s)", job.title, job.pk)
            except Exception:
                # A database that is briefly away must not end the schedule.
                logger.exception("The scheduler's round failed; trying again in %s s", self.interval)
            finally:
                connection.close()
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
