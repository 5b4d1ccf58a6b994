"""Background jobs in the browser: an analyst uploads a CSV file of historic
intelligence, sees the job's page with its progress bar, a real worker runs
the import against the live server's database, the page (polled by its
script) shows the result, and the analyst opens the imported reports. Another
person cannot open the analyst's job. Every page is checked with axe."""

import csv
import io

import pytest
from playwright.sync_api import expect

from hoth.intelligence import reference
from hoth.intelligence.models import IntelligenceReport
from hoth.jobs.models import Job
from hoth.referrals import reference as harm_reference
from hoth.synthetic.import_files import historic_intelligence_csv

pytestmark = pytest.mark.browser


def test_an_analyst_imports_a_file_as_a_job_and_nobody_else_can_open_it(browse, users, agencies, live_worker, tmp_path):
    reference.load()
    harm_reference.load()
    text = historic_intelligence_csv(25, agency="Cheshire Constabulary", harm_codes=["cce", "cse"])
    first = next(csv.DictReader(io.StringIO(text)))["reference"]
    upload = tmp_path / "old-system.csv"
    upload.write_text(text)

    analyst = browse()
    page = analyst.sign_in(users["analyst"])
    analyst.visit("/intelligence/import/")
    page.get_by_label("CSV file").set_input_files(str(upload))
    analyst.click("Upload and import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of historic intelligence from old-system.csv")
    bar = page.get_by_role("progressbar", name="Waiting for a worker to start it")
    expect(bar).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("0 of 25 rows checked")
    analyst.screenshot("job-progress")
    job_url = page.url

    # The worker picks the job up; the page's script sees it finish and shows the result.
    live_worker.start()
    expect(page.get_by_role("heading", name="25 reports imported")).to_be_visible(timeout=30_000)
    analyst.check()
    analyst.screenshot("job-finished")
    analyst.click("See the imported reports")
    expect(page.get_by_role("main")).to_contain_text("Showing imported reports only")
    expect(page.get_by_role("table")).to_contain_text("Imported")

    analyst.click("Your jobs")
    expect(page.get_by_role("table")).to_contain_text("Import of historic intelligence from old-system.csv")
    expect(page.get_by_role("table")).to_contain_text("Finished")

    other = browse()
    other.sign_in(users["coordinator"])
    refused = other.page.goto(job_url)
    assert refused.status == 404
    other.check()
    expect(other.page.get_by_role("main")).not_to_contain_text("old-system.csv")
    live_worker.stop()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED and job.result["count"] == 25
    assert IntelligenceReport.objects.filter(imported_reference=first, source="import").exists()
