"""Background jobs run through django-tasks' database backend and its worker:
a job starts queued, runs, and ends with what its person gets or with what
went wrong in plain English; its progress is committed as it goes, so
another connection sees it; it can be cancelled; one whose worker died is
said to have stopped; what jobs leave behind is cleared away."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hoth.jobs import registry, runner, selectors, services
from hoth.jobs.models import Job, JobFile
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db


def count_to_three(job, progress):
    progress.stage("Counting", total=3, unit="numbers counted")
    for n in range(1, 4):
        progress.advance(n)
    return {"summary": "3 numbers counted", "count": 3}


def crash(job, progress):
    raise ValueError("a detail only whoever runs the service should read")


def refuse(job, progress):
    raise registry.JobFailed("Nothing was done: the file names an agency we do not know")


def cancelled_part_way(job, progress):
    progress.stage("Working", total=10, unit="things done")
    progress.advance(1)
    services.cancel(job.user, job)
    progress.check()  # the next report written stops it (advance writes at most twice a second)
    raise AssertionError("a cancelled job carries on")


CLEANED = []


def remember_cleanup(job):
    CLEANED.append(job.pk)


@pytest.fixture
def kinds():
    """Kinds of job for these tests only, declared as an app's jobs.py would."""
    added = {
        "test.count": dict(run=count_to_three, cleanup=remember_cleanup),
        "test.crash": dict(run=crash),
        "test.refuse": dict(run=refuse),
        "test.cancel": dict(run=cancelled_part_way),
    }
    for name, parts in added.items():
        registry.job_kind(name, title=name, cleanup=parts.get("cleanup"))(parts["run"])
    CLEANED.clear()
    yield
    for name in added:
        del registry.KINDS[name]


def test_a_job_is_queued_with_django_tasks_and_run_by_its_database_worker(users, kinds):
    job = services.start("test.count", user=users["analyst"], title="Count to three")
    assert job.status == Job.Status.QUEUED
    queued = DBTaskResult.objects.get(id=job.task_result_id)
    assert queued.status == "READY" and queued.task_path == "hoth.jobs.runner.run_job"
    assert queued.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}

    run_queued_jobs()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.progress_text) == (3, 3, "3 of 3 numbers counted")
    assert job.result == {"summary": "3 numbers counted", "count": 3}
    assert job.started_at <= job.finished_at
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    assert CLEANED == [job.pk], "the kind clears what it kept, however the job ended"


def test_an_unknown_kind_of_job_is_refused_when_it_is_asked_for_not_in_the_worker(users):
    with pytest.raises(LookupError):
        services.start("test.nothing", user=users["analyst"], title="Nothing")
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_job_that_crashes_tells_its_person_in_plain_english_and_keeps_the_traceback_for_operators(users, kinds):
    job = services.start("test.crash", user=users["analyst"], title="Crash")
    crashed = run_queued_jobs(allow_failures=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.failure == runner.SOMETHING_WENT_WRONG
    assert "detail" not in job.failure and "Traceback" not in job.failure
    assert len(crashed) == 1 and "a detail only whoever runs the service should read" in crashed[0].traceback


def test_a_job_that_cannot_do_what_was_asked_says_why(users, kinds):
    job = services.start("test.refuse", user=users["analyst"], title="Refuse")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure == "Nothing was done: the file names an agency we do not know"


def test_a_job_cancelled_before_it_starts_never_runs(users, kinds):
    job = services.start("test.count", user=users["analyst"], title="Count to three")
    assert services.cancel(users["analyst"], job)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.done == 0 and not job.result
    assert CLEANED == [], "it never started, so it kept nothing"


def test_a_running_job_stops_at_its_next_report_once_cancelled(users, kinds):
    job = services.start("test.cancel", user=users["analyst"], title="Cancel me")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.finished_at is not None and not job.result


def test_the_file_a_job_was_given_is_deleted_when_it_ends(users, kinds):
    job = services.start("test.count", user=users["analyst"], title="Count", input=("old.csv", "text/csv", b"a,b\n"))
    kept = JobFile.objects.get(job=job)
    assert selectors.input_bytes(job) == b"a,b\n"
    raw = JobFile.objects.filter(pk=kept.pk).extra(select={"raw": "content"}).values_list("raw", flat=True).get()
    assert raw.startswith("fernet:") and "YSxiCg" not in raw, "stored encrypted, not as base64 alone"
    run_queued_jobs()
    assert not JobFile.objects.filter(job=job).exists()


def test_a_running_job_whose_worker_died_is_said_to_have_stopped(users, kinds, settings):
    settings.HOTH_JOB_STALLED_MINUTES = 30
    now = timezone.now()
    stalled = Job.objects.create(
        kind="test.count",
        title="Stalled",
        user=users["analyst"],
        status=Job.Status.RUNNING,
        updated_at=now - timedelta(minutes=31),
    )
    alive = Job.objects.create(
        kind="test.count",
        title="Alive",
        user=users["analyst"],
        status=Job.Status.RUNNING,
        updated_at=now - timedelta(minutes=29),
    )
    assert services.fail_stalled(now) == [stalled]
    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert stalled.status == Job.Status.FAILED and stalled.failure == runner.STALLED
    assert alive.status == Job.Status.RUNNING
    assert CLEANED == [stalled.pk]


def test_expired_files_and_old_finished_jobs_are_purged_with_the_routine_records(users, kinds, settings):
    """How long a finished job is kept is a line of the retention schedule
    (background_jobs, 30 days), purged daily with the other routine records."""
    from hoth.information_governance import reference as retention_reference
    from hoth.information_governance.services import purge_routine

    retention_reference.load()
    settings.HOTH_JOB_FILE_HOURS = 24
    now = timezone.now()
    made = Job.objects.create(
        kind="test.count",
        title="Made yesterday",
        user=users["analyst"],
        status=Job.Status.SUCCEEDED,
        finished_at=now - timedelta(hours=25),
    )
    services.keep_file(made, name="a.pdf", content_type="application/pdf", data=b"%PDF", now=now - timedelta(hours=25))
    fresh = Job.objects.create(
        kind="test.count", title="Made now", user=users["analyst"], status=Job.Status.SUCCEEDED, finished_at=now
    )
    services.keep_file(fresh, name="b.pdf", content_type="application/pdf", data=b"%PDF", now=now)
    old = Job.objects.create(
        kind="test.count",
        title="Old",
        user=users["analyst"],
        status=Job.Status.FAILED,
        finished_at=now - timedelta(days=31),
    )
    waiting = Job.objects.create(
        kind="test.count", title="Waiting", user=users["analyst"], created_at=now - timedelta(days=40)
    )
    assert purge_routine(now)["background_jobs"] == 2  # one expired file, one old job
    assert list(JobFile.objects.values_list("job", flat=True)) == [fresh.pk]
    assert set(Job.objects.values_list("pk", flat=True)) == {made.pk, fresh.pk, waiting.pk}
    assert not Job.objects.filter(pk=old.pk).exists()


def test_progress_is_seen_by_another_connection_while_the_job_runs(transactional_db, users, kinds):
    """The job reports from the worker's connection; the page reads from its
    own. Each report is committed at once, not at the end of the job."""
    reported, carry_on = threading.Event(), threading.Event()

    def wait_half_way(job, progress):
        progress.stage("Checking the rows", total=20_000, unit="rows checked")
        progress.advance(1_200)
        progress.check()  # written now, whatever the time since the last report
        reported.set()
        assert carry_on.wait(10)
        progress.advance(20_000)
        return {"summary": "done"}

    registry.job_kind("test.wait", title="Wait")(wait_half_way)
    try:
        job = services.start("test.wait", user=users["analyst"], title="Wait half way")

        def work():
            # A thread has a connection of its own (on SQLite's in-memory test
            # database too, which is opened in shared-cache mode).
            try:
                runner.run(str(job.pk))
            finally:
                connections["default"].close()

        worker = threading.Thread(target=work)
        worker.start()
        try:
            assert reported.wait(10)
            seen = Job.objects.get(pk=job.pk)
            assert (seen.status, seen.progress_text) == (Job.Status.RUNNING, "1,200 of 20,000 rows checked")
        finally:
            carry_on.set()
            worker.join(10)
        assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    finally:
        del registry.KINDS["test.wait"]
