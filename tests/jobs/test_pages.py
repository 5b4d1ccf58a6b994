"""A job's pages: for the person who asked and nobody else; the progress
bar works without JavaScript (the page refreshes itself, and can be told to
stop) and with it (a script polls a small JSON answer); what went wrong is
said in plain English; a file is downloaded only while its person may still
have it, and each download is an audited export. A page refreshing itself
does not keep an unattended session alive."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hoth.accounts.models import RoleAssignment
from hoth.audit.models import AuditEvent
from hoth.jobs import runner, services
from hoth.jobs.models import Job, JobProblem

pytestmark = pytest.mark.django_db


def make_job(user, **fields):
    defaults = dict(
        kind="intelligence.import",
        title="Import of historic intelligence from old.csv",
        status=Job.Status.RUNNING,
        total=20_000,
        done=1_200,
        unit="rows checked",
        stage="Checking the rows",
    )
    return Job.objects.create(user=user, **{**defaults, **fields})


def made_pdf(user, **fields):
    job = make_job(
        user,
        kind="problem_profile.pdf",
        title="Problem profile PDF",
        status=Job.Status.SUCCEEDED,
        total=2,
        done=2,
        unit="steps done",
        result={"summary": "Your problem profile is ready", "download": True, "file_label": "the PDF"},
        **fields,
    )
    services.keep_file(
        job,
        name="problem-profile.pdf",
        content_type="application/pdf",
        data=b"%PDF-1.7 synthetic",
        export_audit={"detail": {"output": "pdf", "pseudonyms": [["Child A", 7]]}, "people": [7]},
    )
    return job


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_running_job_shows_its_progress_and_refreshes_itself_without_javascript(users, verified_client):
    job = make_job(users["analyst"])
    html = page(verified_client(users["analyst"]), f"/jobs/{job.pk}/")
    assert re.search(r'<progress [^>]*aria-labelledby="job-progress-label"[^>]* max="20000" value="1200"', html)
    assert "1,200 of 20,000 rows checked" in html and "Checking the rows" in html
    assert f'<noscript><meta http-equiv="refresh" content="5;url=/jobs/{job.pk}/?auto=1"></noscript>' in html
    assert "jobs/job-progress.js" in html and 'aria-live="polite"' in html
    assert "Stop updating it" in html and "Cancel this job" in html
    assert " style=" not in html and "<script>" not in html, "the CSP allows no inline style or script"


def test_the_page_can_be_told_to_stop_refreshing_itself(users, verified_client):
    job = make_job(users["analyst"])
    html = page(verified_client(users["analyst"]), f"/jobs/{job.pk}/?auto=off")
    assert 'http-equiv="refresh"' not in html and "See how far it has got" in html


def test_the_script_polls_a_small_answer_that_names_nobody(users, verified_client):
    job = make_job(users["analyst"])
    answer = verified_client(users["analyst"]).get(f"/jobs/{job.pk}/progress/?auto=1").json()
    assert answer == {
        "status": "running",
        "status_label": "Running",
        "finished": False,
        "stage": "Checking the rows",
        "done": 1200,
        "total": 20000,
        "text": "1,200 of 20,000 rows checked",
    }


def test_a_finished_job_no_longer_refreshes_and_says_what_came_of_it(users, verified_client):
    job = make_job(
        users["analyst"],
        status=Job.Status.SUCCEEDED,
        done=20_000,
        result={
            "summary": "20,000 reports imported",
            "url": "/intelligence/?source=import",
            "link_text": "See the imported reports",
        },
    )
    html = page(verified_client(users["analyst"]), f"/jobs/{job.pk}/")
    assert "20,000 reports imported" in html and 'href="/intelligence/?source=import"' in html
    assert 'http-equiv="refresh"' not in html and "job-progress.js" not in html and "Cancel this job" not in html


def test_a_failed_job_says_what_went_wrong_and_lists_every_rejected_row(users, verified_client):
    job = make_job(users["analyst"], status=Job.Status.FAILED, failure="Nothing was imported: 2 problems in the file")
    JobProblem.objects.bulk_create(
        [
            JobProblem(job=job, line=3, column="agency", message="'Nowhere' is not an agency"),
            JobProblem(job=job, line=9, message="The row has more values than the header"),
        ]
    )
    html = page(verified_client(users["analyst"]), f"/jobs/{job.pk}/")
    assert "Nothing was imported: 2 problems in the file" in html
    assert "'Nowhere' is not an agency" in html.replace("&#x27;", "'") and "The whole row" in html
    assert "Traceback" not in html


def test_a_job_is_for_the_person_who_asked_and_nobody_else(users, verified_client):
    job = made_pdf(users["analyst"])
    for role in ("coordinator", "system_admin", "auditor", "panel_chair"):
        client = verified_client(users[role])
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"):
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
        assert job.title not in page(client, "/jobs/")
    assert job.title in page(verified_client(users["analyst"]), "/jobs/")


def test_the_person_who_asked_can_cancel_a_job_that_has_not_finished(users, verified_client):
    job = make_job(users["analyst"])
    client = verified_client(users["analyst"])
    response = client.post(f"/jobs/{job.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert "is cancelled" in page(client, f"/jobs/{job.pk}/")


def test_each_download_is_an_audited_export_with_what_the_job_kept_for_it(users, verified_client):
    job = made_pdf(users["analyst"])
    client = verified_client(users["analyst"])
    html = page(client, f"/jobs/{job.pk}/")
    assert "Download the PDF" in html and "only you can download it" in html
    before = AuditEvent.objects.count()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.content == b"%PDF-1.7 synthetic" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="problem-profile.pdf"'
    assert response["Cache-Control"] == "no-store, private"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "export" and event.detail["pseudonyms"] == [["Child A", 7]]
    assert event.detail["person_ids"] == [7] and event.detail["job"] == str(job.pk)


def test_the_file_is_refused_once_its_person_may_no_longer_make_it(users, verified_client):
    job = made_pdf(users["analyst"])
    RoleAssignment.objects.filter(user=users["analyst"]).delete()
    users["analyst"].refresh_from_db()
    client = verified_client(users["analyst"])
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 403
    assert "no longer allowed to download" in page(client, f"/jobs/{job.pk}/")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_file_is_gone_after_its_time(users, verified_client, settings):
    settings.HOTH_JOB_FILE_HOURS = 24
    job = made_pdf(users["analyst"])
    job.files.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = verified_client(users["analyst"])
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "The file has been deleted" in page(client, f"/jobs/{job.pk}/")


def test_a_page_refreshing_itself_does_not_keep_an_unattended_session_alive(users, verified_client, settings):
    job = make_job(users["analyst"])
    client = verified_client(users["analyst"])
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT + 100
    session.save()
    for url in (f"/jobs/{job.pk}/?auto=1", f"/jobs/{job.pk}/progress/?auto=1"):
        assert client.get(url).status_code == 200
    assert client.session["last_activity"] < time.time() - settings.SESSION_IDLE_TIMEOUT + 101
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(f"/jobs/{job.pk}/progress/?auto=1")
    assert response.status_code == 302 and "timed_out=1" in response["Location"]


def test_your_jobs_are_linked_from_every_page_and_the_home_page(users, verified_client):
    job = make_job(users["analyst"])
    html = page(verified_client(users["analyst"]), "/")
    assert 'href="/jobs/">Your jobs</a>' in html and f'href="/jobs/{job.pk}/"' in html


def test_a_stalled_job_says_so_in_plain_english(users, verified_client):
    job = make_job(users["analyst"], status=Job.Status.FAILED, failure=runner.STALLED)
    assert "probably because the service was restarted" in page(verified_client(users["analyst"]), f"/jobs/{job.pk}/")
