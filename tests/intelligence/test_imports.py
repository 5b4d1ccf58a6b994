"""The import of historic intelligence as a background job: every row is
checked into a staging table a batch at a time, and published into the
real tables in one short transaction only if no row was rejected; the
published reports say what the file said; the staging rows go however the
job ends; progress is reported batch by batch."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.accounts.models import RoleAssignment
from hoth.audit.models import AuditEvent
from hoth.intelligence import grading, imports
from hoth.intelligence.models import IntelligenceReport, StagedReport
from hoth.jobs import runner, selectors, services
from hoth.jobs.models import Job, JobFile
from hoth.jobs.progress import Progress
from hoth.jobs.registry import JobFailed
from hoth.people.models import Address, Person
from hoth.synthetic.import_files import historic_intelligence_csv
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db

POLICE = "Cheshire Constabulary"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 7)


@pytest.fixture
def located(db):
    """A record at CW1 2AB with a location, so an imported report there is put on the map."""
    person = Person.objects.create(given_names="Kai", family_name="Brennan", date_of_birth=date(2010, 1, 1))
    Address.objects.create(
        person=person, line1="1 Mill Street", town="Crewe", postcode="CW1 2AB", latitude=53.095, longitude=-2.44
    )


def upload(text, name="old.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def a_file(rows, harm_types, **options):
    return historic_intelligence_csv(
        rows, agency=POLICE, harm_codes=sorted(harm_types)[:3], postcodes=["CW1 2AB"], **options
    )


def test_every_row_of_a_good_file_is_published_as_the_file_says(users, agencies, harm_types, located, small_batches):
    text = a_file(30, harm_types)
    job = imports.start_import(users["analyst"], upload(text))
    assert (job.status, job.total, job.unit) == (Job.Status.QUEUED, 30, "rows checked")
    run_queued_jobs()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["count"] == 30
    assert job.result["summary"] == "30 reports imported"
    assert job.result["url"] == "/intelligence/?status=graded&source=import"
    reports = {
        r.imported_reference: r for r in IntelligenceReport.objects.prefetch_related("harm_types", "shared_with")
    }
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(reports) == {row["reference"] for row in rows}
    for row in rows:
        report = reports[row["reference"]]
        assert (report.what, report.who, report.sanitised) == (row["what"], row["who"], row["sanitised"])
        assert report.source == "import" and report.status == "graded" and report.graded_by == users["analyst"]
        assert report.submitted_by_agency == agencies["police"]
        assert report.happened_on.isoformat() == row["happened_on"]
        assert sorted(h.code for h in report.harm_types.all()) == sorted(row["harm_types"].split(";"))
        # Only a handling code that means C (3x5x2 C, or its 5x5x5 equivalent) keeps whom it is shared with.
        shares = grading.sharing(report.scheme, report.handling_code) == "C"
        assert list(report.shared_with.all()) == ([agencies["police"]] if shares else [])
        if row["postcode"]:
            assert (report.latitude, report.longitude) == (53.095, -2.44)
    raw = connection.cursor()
    raw.execute(f"SELECT what FROM {IntelligenceReport._meta.db_table}")
    assert all(value.startswith("fernet:") for (value,) in raw.fetchall()), "published still encrypted"
    created = AuditEvent.objects.get(action="create")
    assert created.detail["count"] == 30 and created.detail["job"] == str(job.pk)
    assert len(created.detail["references"]) == 30
    assert not StagedReport.objects.exists() and not JobFile.objects.exists()


def test_one_bad_row_publishes_nothing_and_every_problem_is_listed_with_its_row(
    users, agencies, harm_types, small_batches
):
    job = imports.start_import(users["analyst"], upload(a_file(30, harm_types, bad_every=10)))
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.failure == "Nothing was imported: 6 problems in the file"
    assert list(job.problems.values_list("line", "column")) == [
        (11, "agency"),
        (11, "submitted_on"),
        (21, "agency"),
        (21, "submitted_on"),
        (31, "agency"),
        (31, "submitted_on"),
    ]
    assert job.done == 30, "every row was checked, not only those before the first problem"
    assert not IntelligenceReport.objects.exists() and not StagedReport.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_progress_is_reported_after_each_batch(users, agencies, harm_types, small_batches, monkeypatch):
    monkeypatch.setattr(Progress, "MIN_INTERVAL", 0)
    reported = []
    write = Progress._write

    def noting(self, **fields):
        write(self, **fields)
        reported.append((self.job.stage, self.job.done))

    monkeypatch.setattr(Progress, "_write", noting)
    imports.start_import(users["analyst"], upload(a_file(20, harm_types)))
    run_queued_jobs()
    assert reported == [
        ("Checking the rows", 0),
        ("Checking the rows", 7),
        ("Checking the rows", 14),
        ("Checking the rows", 20),
        ("Adding the reports to the service", 0),
    ]


def _staged_job(users, harm_types, rows, prefix="OLD"):
    job = imports.start_import(users["analyst"], upload(a_file(rows, harm_types, prefix=prefix)))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.refresh_from_db()
    rows = imports.read_file(selectors.input_bytes(job))[0]
    assert imports.stage(job, rows, Progress(job)) == 0
    return job


def test_publishing_takes_the_same_queries_whatever_the_number_of_rows(users, agencies, harm_types):
    counts = []
    for rows, prefix in ((5, "A"), (60, "B")):
        job = _staged_job(users, harm_types, rows, prefix)
        with CaptureQueriesContext(connection) as queries:
            assert imports.publish(job, users["analyst"]) == rows
        counts.append(len(queries))
    # Twelve times the rows, no more queries (the first also reads the analyst's
    # agency for the audit event; PostgreSQL also takes the audit chain's lock).
    assert counts[1] <= counts[0] <= 15, counts


def test_a_report_imported_by_someone_else_while_the_file_was_checked_stops_the_whole_import(
    users, agencies, harm_types
):
    job = _staged_job(users, harm_types, 10)
    fifth = StagedReport.objects.get(job=job, line=6)
    IntelligenceReport.objects.create(
        what="Imported meanwhile",
        how_known="record",
        submitted_by=users["analyst"],
        submitted_by_agency=agencies["police"],
        imported_reference=fifth.imported_reference,
    )
    with pytest.raises(JobFailed, match="imported by someone else while it was being checked"):
        imports.publish(job, users["analyst"])
    assert IntelligenceReport.objects.count() == 1
    assert list(job.problems.values_list("line", "message")) == [
        (6, f"{fifth.imported_reference} has already been imported")
    ]


def test_a_new_field_on_reports_must_be_staged_or_given_on_import(users, agencies, harm_types, monkeypatch):
    job = _staged_job(users, harm_types, 3)
    given = imports._given
    monkeypatch.setattr(
        imports, "_given", lambda user, now: {k: v for k, v in given(user, now).items() if k != "place"}
    )
    with pytest.raises(ImproperlyConfigured, match="IntelligenceReport.place is neither staged nor given"):
        imports.publish(job, users["analyst"])
    assert not IntelligenceReport.objects.exists()


def test_an_import_cancelled_while_its_rows_are_checked_publishes_nothing(
    users, agencies, harm_types, small_batches, monkeypatch
):
    advance = Progress.advance

    def cancelled_after_the_first_batch(self, done):
        services.cancel(users["analyst"], self.job)
        self.MIN_INTERVAL = 0
        advance(self, done)

    monkeypatch.setattr(Progress, "advance", cancelled_after_the_first_batch)
    job = imports.start_import(users["analyst"], upload(a_file(20, harm_types)))
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert not IntelligenceReport.objects.exists() and not StagedReport.objects.exists()


def test_an_analyst_who_lost_the_role_before_the_job_ran_imports_nothing(users, agencies, harm_types):
    job = imports.start_import(users["analyst"], upload(a_file(5, harm_types)))
    RoleAssignment.objects.filter(user=users["analyst"]).delete()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.failure == runner.NO_LONGER_ALLOWED
    assert not IntelligenceReport.objects.exists()


def test_a_file_that_cannot_be_read_is_refused_on_the_form_and_queues_nothing(users, verified_client):
    client = verified_client(users["analyst"])
    page = client.post("/intelligence/import/", {"file": upload("reference,agency\nOLD-1,Police\n")})
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html and "The header row must name the columns submitted_on" in html
    assert not Job.objects.exists()


def test_the_import_page_leads_to_the_jobs_page(users, agencies, harm_types, verified_client):
    client = verified_client(users["analyst"])
    response = client.post("/intelligence/import/", {"file": upload(a_file(3, harm_types))})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.user == users["analyst"] and job.title == "Import of historic intelligence from old.csv"
