"""A problem profile in the browser: an analyst asks for a profile of child
criminal exploitation in Crewe over 2025, reads it (every page checked with
axe), finds the children only as Child A and Child B, and downloads the PDF;
a period that ends before it starts gets an error summary."""

import io
from datetime import date, datetime

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.audit.models import AuditEvent
from hoth.cases.models import Case
from hoth.contexts.models import Context, Town
from hoth.intelligence import reference, services
from hoth.people.models import Address, Person
from hoth.referrals import reference as harm_reference
from hoth.referrals.models import HarmType, Referral

pytestmark = pytest.mark.browser


@pytest.fixture
def crewe(users, agencies):
    reference.load()
    harm_reference.load()
    cce = HarmType.objects.get(code="cce")
    Town.objects.create(name="Crewe", latitude=53.0979, longitude=-2.4416)
    Town.objects.create(name="Macclesfield", latitude=53.2587, longitude=-2.1270)
    analyst, coordinator = users["analyst"], users["coordinator"]
    dean = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=date(1999, 3, 3))
    dean_subject = services.subject_for_person(coordinator, dean)
    services.flag_of_concern(analyst, dean_subject, of_concern=True, concern="Runs a county line")
    flats = Context.objects.create(
        kind="place", name="Mill Street Flats", town="Crewe", latitude=53.095, longitude=-2.44, created_by=analyst
    )
    services.record_link(
        analyst,
        source=dean_subject,
        target=services.subject_for_context(analyst, flats),
        type="associated_with",
        source_evaluation="2",
        intelligence_assessment="B",
        valid_from=date(2025, 1, 1),
    )
    children = []
    for given, family in (("Tyler", "Okafor"), ("Jade", "Pritchard")):
        person = Person.objects.create(given_names=given, family_name=family, date_of_birth=date(2010, 5, 1))
        Address.objects.create(person=person, line1="1 High Street", town="Crewe", postcode="CW1 2AB")
        referral = Referral.objects.create(
            person=person,
            subject="child",
            status="submitted",
            submitted_at=timezone.make_aware(datetime(2025, 3, 3, 12)),
            referrer=coordinator,
            referrer_agency=coordinator.agency,
        )
        referral.harm_types.set([cce])
        case = Case.objects.create(
            person=person,
            lead_professional=users["practitioner"],
            opened_by=coordinator,
            opened_at=timezone.make_aware(datetime(2025, 3, 4, 12)),
        )
        case.harm_types.set([cce])
        services.record_link(
            analyst,
            source=dean_subject,
            target=services.subject_for_person(coordinator, person),
            type="seen_with",
            source_evaluation="2",
            intelligence_assessment="B",
            valid_from=date(2025, 2, 1),
        )
        children.append(person)
    return children


def _period(page, first, last):
    for name, day in (("start", first), ("end", last)):
        page.locator(f'input[name="{name}_0"]').fill(str(day.day))
        page.locator(f'input[name="{name}_1"]').fill(str(day.month))
        page.locator(f'input[name="{name}_2"]').fill(str(day.year))


def test_analyst_makes_reads_and_downloads_a_problem_profile(browsing, users, crewe, monkeypatch, live_worker):
    # 2025 is in the past, whenever the test runs.
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 6, 1))
    page = browsing.sign_in(users["analyst"])
    browsing.visit("/network/")
    browsing.click("Problem profiles")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a problem profile")

    # A period that ends before it starts is refused with an error summary.
    _period(page, date(2025, 12, 31), date(2025, 1, 1))
    browsing.click("Show the profile")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be the same as or after the start date"
    )

    page.get_by_label("Crewe", exact=True).check()
    page.get_by_label("Which kind of harm is it about?").select_option(
        label="Child criminal exploitation, including county lines"
    )
    _period(page, date(2025, 1, 1), date(2025, 12, 31))
    browsing.click("Show the profile")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Crewe")
    expect(main).to_contain_text("OFFICIAL-SENSITIVE")
    expect(page.get_by_role("table", name="Counts for the period and the period before")).to_contain_text("Referrals")
    expect(page.get_by_role("table", name="The most central subjects (hubs)")).to_contain_text("Dean Moss")
    expect(page.get_by_role("img", name="A picture of the network", exact=False)).to_be_visible()
    for child in crewe:
        expect(main).not_to_contain_text(child.family_name)
    expect(main).to_contain_text("Child A")
    browsing.screenshot("problem-profile")

    # A job makes the PDF; its page shows how far it has got, then offers the file.
    browsing.click("Make the PDF")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Problem profile PDF")
    live_worker.start()
    expect(page.get_by_role("button", name="Download the PDF")).to_be_visible(timeout=60_000)
    browsing.check()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the PDF").click()
    download = downloading.value
    assert download.suggested_filename == "problem-profile-crewe-cce-2025-01-01-to-2025-12-31.pdf"
    with open(download.path(), "rb") as pdf:
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read())).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Dean Moss" in text and "Child A" in text
    assert not any(child.family_name in text for child in crewe)
    live_worker.stop()  # before this thread reads the database the worker may share
    assert AuditEvent.objects.filter(action="export", user=users["analyst"]).count() == 1
