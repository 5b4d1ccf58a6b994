"""The data protection officer in the browser: records a subject access
request, finds the child on the register, assembles everything held about
him, releases one redaction with a reason, and downloads the PDF and the
JSON; reads a retention review and approves it. A practitioner is refused
every one of these pages. Every page is checked with axe by the browsing
fixture, and again after a script changed it."""

import io
import json
import re
from datetime import date

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.audit.log import record
from hoth.audit.models import AuditEvent
from hoth.information_governance import reference
from hoth.information_governance.models import SubjectAccessRequest
from hoth.information_governance.services import propose_due
from hoth.people.models import Alias, Involvement, Person
from hoth.referrals.models import NamedAssociate, Referral

pytestmark = pytest.mark.browser


@pytest.fixture
def tyler(users):
    reference.load()
    child = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Alias.objects.create(person=child, kind="nickname", name="Ty")
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    referral = Referral.objects.create(
        person=child,
        status="submitted",
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        submitted_at=timezone.now(),
        what_happened="Tyler was seen with Dean Moss outside Crewe station",
    )
    NamedAssociate.objects.create(referral=referral, kind="person", name="Dean Moss", details="Drives a silver car")
    record("view", user=users["practitioner"], obj=child)
    return child


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_the_officer_records_a_request_assembles_it_changes_a_redaction_and_downloads_it(browsing, users, tyler):
    page = browsing.sign_in(users["auditor"])
    browsing.click("Information governance", role="link")
    browsing.check(again=True)
    browsing.click("Subject access requests", role="link")
    browsing.click("Record a request")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a subject access request")

    browsing.click("Record the request")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the person who made the request")
    assert not SubjectAccessRequest.objects.exists()

    browsing.fill("Who made the request?", "Tyler Okafor")
    page.get_by_label("The person themselves", exact=True).check()
    browsing.fill("Where should the reply go?", "14 Acacia Avenue, Crewe CW1 2AB")
    browsing.fill("Who is the request about?", "Tyler Okafor, born 1 May 2010")
    page.get_by_label("Photo identity and proof of address seen", exact=True).check()
    fill_date(page, "Date the request was received", timezone.localdate())
    browsing.check(again=True)
    browsing.screenshot("subject-access-new")
    browsing.click("Record the request")
    sar = SubjectAccessRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(sar.reference)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"due by {sar.due_on:%-d %B %Y}")

    browsing.click("Find them")
    browsing.fill("Name (optional)", "Tyler Okafor")
    browsing.click("Search")
    browsing.check(again=True)
    browsing.click(re.compile(f"^This is the person\\W+{tyler.reference}$"), role="button")
    expect(page.get_by_role("main")).to_contain_text(f"Tyler Okafor, {tyler.reference}")
    browsing.click("Assemble everything held")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your record on the register")
    browsing.click("Referrals about you", role="link")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Dean Moss")
    expect(main).to_contain_text("outside Crewe station")
    browsing.check(again=True)
    browsing.screenshot("subject-access-disclosure")

    # The name in the referral's words is third-party data: the officer releases it.
    box = main.locator("dd", has_text="outside Crewe station").get_by_role("link")
    expect(box).to_contain_text("TP")
    box.click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a redaction")
    page.get_by_label("Release it to the requester", exact=True).check()
    browsing.fill("Why?", "Tyler named him himself when he spoke to the practitioner")
    browsing.check(again=True)
    browsing.screenshot("subject-access-redaction")
    browsing.click("Save the change")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Redaction changed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redactions")
    browsing.check(again=True)
    referral = Referral.objects.get()
    browsing.visit(f"/information-governance/subject-access/{sar.reference}/disclosure/referral-{referral.pk}/")
    expect(page.get_by_role("main")).to_contain_text("seen with Dean Moss outside Crewe station")
    browsing.check(again=True)

    browsing.visit(f"/information-governance/subject-access/{sar.reference}/")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the PDF").click()
    with open(downloading.value.path(), "rb") as pdf:
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read())).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Your subject access request" in text and "Contents" in text
    assert "seen with Dean Moss outside" in text and "TP" in text
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the machine-readable file (JSON)").click()
    with open(downloading.value.path(), encoding="utf-8") as data:
        disclosure = json.load(data)
    assert disclosure["request"]["reference"] == sar.reference
    exports = AuditEvent.objects.filter(action="export", object_id=str(sar.pk))
    assert sorted(exports.values_list("detail__format", flat=True)) == ["json", "pdf"]


def test_the_officer_reads_a_retention_review_and_approves_it(browsing, users, live_worker):
    reference.load()
    grown = Person.objects.create(
        given_names="Callum",
        family_name="Reid",
        date_of_birth=date(1996, 2, 1),
        created_at=timezone.make_aware(timezone.datetime(2012, 3, 1)),
    )
    review = propose_due()
    page = browsing.sign_in(users["auditor"])
    browsing.visit("/information-governance/retention/")
    browsing.click(f"Review {review.pk}", role="link")
    main = page.get_by_role("main")
    expect(main).to_contain_text(grown.reference)
    expect(main).not_to_contain_text("Reid")
    browsing.check(again=True)
    browsing.screenshot("retention-review")
    browsing.visit("/information-governance/retention/schedule/")
    browsing.check(again=True)
    browsing.screenshot("retention-schedule")
    browsing.visit(f"/information-governance/retention/{review.pk}/")
    browsing.click("Approve")
    browsing.fill("Reason for your decision", "Past his 25th birthday; nothing open")
    browsing.click("Approve and carry out")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Review {review.pk} approved")
    live_worker.start()
    expect(
        page.get_by_role("heading", name=f"Retention review {review.pk} carried out: 1 record erased")
    ).to_be_visible(timeout=30_000)
    browsing.check(again=True)
    live_worker.stop()
    grown.refresh_from_db()
    assert grown.full_name == "Anonymised person"


def test_a_practitioner_is_refused_every_information_governance_page(browsing, users, tyler):
    sar = SubjectAccessRequest.objects.create(
        requester_name="Tyler Okafor",
        relationship="self",
        requester_contact="x",
        about="x",
        identity_verified_how="photo_id",
        received_on=date(2026, 1, 5),
        due_on=date(2026, 2, 5),
        person=tyler,
        created_by=users["auditor"],
    )
    page = browsing.sign_in(users["practitioner"])
    expect(page.get_by_role("link", name="Information governance")).to_have_count(0)
    for path in (
        "/information-governance/",
        "/information-governance/subject-access/",
        f"/information-governance/subject-access/{sar.reference}/",
        "/information-governance/retention/",
    ):
        response = page.goto(browsing.base_url + path)
        browsing.check()
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_contain_text("You do not have access")
