"""The officer's retention pages and the schedule's administration, through
the test client: what they show (references, never names), bad input
shown back with nothing changed, every view audited."""

from datetime import date

import pytest
from django.urls import reverse

from hoth.audit.models import AuditEvent
from hoth.information_governance import reference
from hoth.information_governance.models import RetentionReview, RetentionRule
from hoth.information_governance.services import propose_due
from hoth.jobs.models import Job
from hoth.people.models import Person
from tests.conftest import run_queued_jobs

from .conftest import moment

pytestmark = pytest.mark.usefixtures("schedule")


@pytest.fixture
def proposed(db):
    grown = Person.objects.create(
        given_names="Tyler", family_name="Okafor", date_of_birth=date(2005, 3, 1), created_at=moment(2012)
    )
    return grown, propose_due(moment(2040))


def test_the_officer_reads_a_review_by_reference_and_approves_it_with_a_reason(users, verified_client, proposed):
    grown, review = proposed
    client = verified_client(users["auditor"])
    page = client.get(reverse("retention:review", args=[review.pk])).content.decode()
    assert grown.reference in page and "The person&#x27;s 25th birthday" in page and "Okafor" not in page
    assert AuditEvent.objects.filter(action="view", object_id=str(review.pk), person_id=None).exists()
    refused = client.post(reverse("retention:approve", args=[review.pk]), {"reason": ""})
    assert b"Give the reason for your decision" in refused.content
    grown.refresh_from_db()
    assert grown.family_name == "Okafor"
    done = client.post(reverse("retention:approve", args=[review.pk]), {"reason": "Past the 25th birthday"})
    job = Job.objects.get(kind="information_governance.carry_out_review")
    assert done.status_code == 302 and done["Location"] == reverse("jobs:detail", args=[job.pk])
    # The erasing is the job's, not the request's; and it cannot be cancelled part-way.
    assert RetentionReview.objects.get(pk=review.pk).status == "approved"
    assert b"Cancel this job" not in client.get(done["Location"]).content
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 403
    run_queued_jobs()
    grown.refresh_from_db()
    assert grown.family_name == "person"
    assert RetentionReview.objects.get(pk=review.pk).status == "carried_out"
    assert "carried out: 1 record erased" in client.get(done["Location"]).content.decode()


def test_a_review_whose_job_stopped_part_way_is_carried_on_from_its_page(users, verified_client, proposed):
    grown, review = proposed
    client = verified_client(users["auditor"])
    client.post(reverse("retention:approve", args=[review.pk]), {"reason": "Past the 25th birthday"})
    # As if the worker had been restarted mid-way: the runner marks the job failed.
    Job.objects.filter(kind="information_governance.carry_out_review").update(status="failed")
    page = client.get(reverse("retention:review", args=[review.pk])).content.decode()
    assert "stopped before it finished" in page
    carried_on = client.post(reverse("retention:carry_on", args=[review.pk]))
    assert carried_on.status_code == 302
    again = client.post(reverse("retention:carry_on", args=[review.pk]), follow=True)
    assert "not waiting to be carried on" in again.content.decode()
    run_queued_jobs()
    grown.refresh_from_db()
    assert grown.family_name == "person"
    assert (
        "stopped before it finished" not in client.get(reverse("retention:review", args=[review.pk])).content.decode()
    )


def test_a_rejected_review_says_so_and_offers_no_decision(users, verified_client, proposed):
    _grown, review = proposed
    client = verified_client(users["auditor"])
    client.post(reverse("retention:reject", args=[review.pk]), {"reason": "A complaint is open"})
    page = client.get(reverse("retention:review", args=[review.pk])).content.decode()
    assert "Rejected" in page and "A complaint is open" in page and ">Approve<" not in page


def test_a_system_administrator_changes_a_line_and_a_reload_keeps_it(users, verified_client):
    client = verified_client(users["system_admin"])
    url = reverse("retention_schedule:edit", args=["notifications"])
    refused = client.post(
        url,
        {
            "record_type": "Notifications",
            "period_years": "0",
            "period_days": "0",
            "action": "delete",
            "basis": "Kept a while",
            "is_active": "on",
        },
    )
    assert b"Enter how long the records are kept" in refused.content
    assert RetentionRule.objects.get(code="notifications").period_years == 1
    client.post(
        url,
        {
            "record_type": "A notification to a member of staff",
            "period_years": "2",
            "period_days": "0",
            "action": "delete",
            "basis": "Two years, at the board's request",
            "is_active": "on",
        },
    )
    reference.load()
    rule = RetentionRule.objects.get(code="notifications")
    assert (rule.period_years, rule.version) == (2, "")
    changed = AuditEvent.objects.get(action="admin", object_id=str(rule.pk)).detail["changed"]
    assert changed["period_years"] == ["1", "2"]
    page = client.get(reverse("retention_schedule:list")).content.decode()
    assert "2 years after it was made" in page and "Changed here" in page


def test_a_review_line_needs_what_happens_after_the_review(users, verified_client):
    client = verified_client(users["system_admin"])
    response = client.post(
        reverse("retention_schedule:edit", args=["intelligence_other"]),
        {
            "record_type": "Other intelligence",
            "period_years": "6",
            "period_days": "0",
            "action": "review",
            "after_review": "",
            "review_again_years": "",
            "basis": "MoPI",
            "is_active": "on",
        },
    )
    assert b"Choose what happens if the reviewer does not keep them" in response.content
    assert RetentionRule.objects.get(code="intelligence_other").version == "2026.1"


def test_the_officer_sees_the_schedule_but_cannot_change_it(users, verified_client):
    client = verified_client(users["auditor"])
    page = client.get(reverse("retention:schedule")).content.decode()
    assert "The audit log" in page and "Aggregate snapshots" in page and "Records that hold no personal data" in page
    assert reverse("retention_schedule:edit", args=["child"]) not in page
    assert client.get(reverse("retention_schedule:edit", args=["child"])).status_code == 403


def test_the_officers_home_shows_requests_due_and_reviews_waiting(users, verified_client, proposed):
    client = verified_client(users["auditor"])
    page = client.get(reverse("home")).content.decode()
    assert "Information governance" in page and "1 retention review waiting for your decision" in page
