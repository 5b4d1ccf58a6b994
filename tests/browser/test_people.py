"""The person register in the browser: search before create, and who has seen a record."""

from datetime import date

import pytest
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.people.models import Address, Involvement, Person
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def jordan(users):
    """A child the council practitioner already works with."""
    person = Person.objects.create(given_names="Jordan", family_name="Smith", date_of_birth=date(2011, 5, 14))
    Address.objects.create(person=person, line1="4 Mill Lane", town="Crewe", postcode="CW1 2AB")
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    return person


def test_practitioner_searches_before_creating_sees_the_likely_match_and_why_then_records_a_new_child(
    browsing, users, jordan
):
    page = browsing.sign_in(users["practitioner"])

    browsing.visit("/people/?name=Jordan+Smith")
    results = page.get_by_role("list", name="1 person found")
    expect(results).to_contain_text("Jordan Smith")
    browsing.screenshot("people-search")

    browsing.click("Record a new person")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you recording?")
    browsing.fill("First names", "Jordan")
    browsing.fill("Family name", "Smith")
    browsing.fill("Day", "14")
    browsing.fill("Month", "5")
    browsing.fill("Year", "2011")
    browsing.fill("Postcode (optional)", "SK11 6AA")
    browsing.screenshot("create-find")
    browsing.click("Check for existing records")

    expect(page.get_by_role("heading", level=1)).to_have_text("Is this the same person?")
    match = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Jordan Smith"))
    expect(match).to_contain_text(jordan.reference)
    expect(match).to_contain_text("% match")
    # The reasons say why the service thinks it may be the same child.
    expect(match.get_by_role("listitem").first).to_be_visible()
    browsing.screenshot("create-matches")

    # Going on without saying none of them is the person is refused.
    browsing.click("Continue to record a new person")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that none of the possible matches is the person you are recording"
    )

    page.get_by_label("None of these is the person I am recording").check()
    browsing.click("Continue to record a new person")
    expect(page.get_by_role("heading", level=1)).to_have_text("Their details")
    expect(page.get_by_label("First names", exact=True)).to_have_value("Jordan")
    browsing.fill("Address line 1 (optional)", "12 Park Road")
    browsing.fill("Town or city (optional)", "Macclesfield")
    browsing.click("Record this person")

    created = Person.objects.exclude(pk=jordan.pk).get()
    assert page.url.endswith(f"/people/{created.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Smith")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"({created.reference})")
    assert created.addresses.get().postcode == "SK11 6AA"
    browsing.screenshot("person-record")


def test_lead_professional_sees_the_practitioner_who_viewed_their_child_in_who_has_seen_this_record(
    browse, agencies, jordan
):
    lead = make_user("lead@council.example", agencies["council"], Role.PRACTITIONER, full_name="Priya Lead")
    Involvement.objects.create(person=jordan, user=lead, kind=Involvement.Kind.LEAD_PROFESSIONAL)
    teacher = make_user("kim@school.example", agencies["school"], Role.PRACTITIONER, full_name="Kim Adeyemi")
    Involvement.objects.create(person=jordan, user=teacher, kind=Involvement.Kind.ASSIGNED)

    # Earlier, the school's practitioner opened the child's record.
    school = browse()
    school.sign_in(teacher)
    school.visit(f"/people/{jordan.reference}/")
    expect(school.page.get_by_role("heading", level=1)).to_have_text("Jordan Smith")
    # Only the lead professional (and auditors) may see who has looked.
    expect(school.page.get_by_role("link", name="Who has seen this record")).to_have_count(0)

    council = browse()
    page = council.sign_in(lead)
    council.visit(f"/people/{jordan.reference}/")
    council.click("Who has seen this record")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen this record")
    viewer_row = page.get_by_role("row").filter(has_text="Kim Adeyemi")
    expect(viewer_row.first).to_contain_text("Crewe High School")
    council.screenshot("who-has-seen")
