"""Run background jobs: django_tasks_db's worker, with the daily scheduler
beside it (hoth.jobs.scheduler). Run one or more in production, e.g. as the
compose file's worker service; `make run` starts one beside runserver.

    python manage.py run_worker                  # until stopped (SIGTERM finishes the job in hand)
    python manage.py run_worker --batch          # run what is queued, then exit (no scheduler)
    python manage.py run_worker --no-scheduler   # jobs only
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from hoth.jobs.scheduler import Scheduler


class Command(db_worker.Command):
    help = "Run background jobs and start the daily scheduled jobs when they are due."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Do not start the daily scheduled jobs from this worker.",
        )
        parser.add_argument(
            "--scheduler-interval",
            type=float,
            default=30,
            help="Seconds between the scheduler's rounds (default: %(default)s)",
        )

    def handle(self, *args, scheduler=True, scheduler_interval=30, **options):
        # With --reload the first process only watches files and restarts the
        # second, which does the work: only that one schedules.
        watching_only = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if scheduler and not options.get("batch") and not watching_only:
            Scheduler(interval=scheduler_interval, worker=options.get("worker_id") or "").start()
        return super().handle(*args, **options)
