"""Daily jobs: declared in code per app, started by the worker's scheduler
once a day after their time, at most once a day however many workers run,
and the daily commands still work on their own."""

from datetime import datetime, time, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoth.jobs import registry, scheduler
from hoth.jobs.models import Job, ScheduledRun
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


DAY = datetime(2026, 3, 2).date()


def test_the_daily_commands_are_declared_as_scheduled_jobs():
    assert registry.SCHEDULES["panels.escalate_overdue_actions"].at == time(7, 0)
    assert registry.SCHEDULES["disruption.remind_expiry"].at == time(7, 0)
    assert "audit.checkpoint" in registry.SCHEDULES


def test_a_schedule_starts_once_a_day_after_its_time_whichever_worker_looks(db):
    assert scheduler.start_due(at(DAY, 2, 29), worker="one") == []
    first = scheduler.start_due(at(DAY, 3, 0), worker="one")
    assert [job.kind for job in first] == ["audit.checkpoint"]
    started = scheduler.start_due(at(DAY, 7, 30), worker="two")
    assert sorted(job.kind for job in started) == [
        "disruption.remind_expiry",
        "information_governance.propose_retention",
        "information_governance.purge_routine_records",
        "insight.freeze_month",
        "panels.escalate_overdue_actions",
    ]
    assert scheduler.start_due(at(DAY, 7, 31), worker="one") == [], "the other worker started them already"
    assert scheduler.start_due(at(DAY, 23, 59), worker="two") == []
    runs = ScheduledRun.objects.filter(period=DAY)
    assert runs.count() == 6 and Job.objects.count() == 6
    assert runs.get(schedule="audit.checkpoint").claimed_by == "one"
    assert all(job.user is None for job in Job.objects.all()), "nobody asked for a scheduled job"
    # The next day they run again.
    assert len(scheduler.start_due(at(DAY + timedelta(days=1), 8, 0))) == 6


def test_two_workers_racing_for_the_same_run_are_refused_by_the_database(db):
    """A worker that checked just before the other claimed still cannot
    start the run twice: the row it would add is unique per schedule and day."""
    ScheduledRun.objects.create(schedule="panels.escalate_overdue_actions", period=DAY, claimed_by="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(schedule="panels.escalate_overdue_actions", period=DAY, claimed_by="two")
    # A worker that saw no run before the other's insert committed gives way on the insert.
    with mock.patch.object(ScheduledRun.objects, "filter") as looked:
        looked.return_value.exists.return_value = False
        started = scheduler.start_due(at(DAY, 7, 30), worker="two")
    assert "panels.escalate_overdue_actions" not in [job.kind for job in started]
    assert ScheduledRun.objects.filter(schedule="panels.escalate_overdue_actions").count() == 1


def test_scheduled_jobs_do_what_the_daily_commands_do(db):
    scheduler.start_due(at(DAY, 7, 30))
    run_queued_jobs()
    jobs = {job.kind: job for job in Job.objects.all()}
    assert {job.status for job in jobs.values()} == {Job.Status.SUCCEEDED}
    assert jobs["panels.escalate_overdue_actions"].result["summary"] == "0 overdue panel actions escalated to the chair"
    assert jobs["disruption.remind_expiry"].result["summary"].startswith("0 orders expiring within")
    assert jobs["information_governance.propose_retention"].result["summary"] == "Nothing is due: no review proposed"
    assert jobs["information_governance.purge_routine_records"].result["summary"].endswith("deleted")


def test_the_daily_commands_still_run_on_their_own(db):
    out = StringIO()
    call_command("escalate_overdue_panel_actions", stdout=out)
    call_command("remind_disruption_expiry", stdout=out)
    assert "0 overdue panel actions escalated to the chair" in out.getvalue()
    assert "0 orders expiring within" in out.getvalue()


@pytest.fixture
def signals_kept():
    """The worker takes over SIGINT and SIGTERM (to finish the job in hand):
    give pytest its own back afterwards."""
    import signal

    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def test_run_worker_runs_what_is_queued(db, signals_kept):
    """The real command, in batch mode: the worker django_tasks_db runs."""
    scheduler.start_due(at(DAY, 7, 30))
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.SUCCEEDED}


def test_run_worker_starts_the_scheduler_beside_the_worker_unless_told_not_to(db, signals_kept):
    with (
        mock.patch("hoth.jobs.management.commands.run_worker.Scheduler") as made,
        mock.patch("django_tasks_db.management.commands.db_worker.Worker.run"),
    ):
        call_command("run_worker", "--no-reload", verbosity=0)
        assert made.return_value.start.called
        made.reset_mock()
        call_command("run_worker", "--no-reload", "--no-scheduler", verbosity=0)
        assert not made.called
