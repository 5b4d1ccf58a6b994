"""The auditor's and the administrators' pages in the browser."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from hoth.audit.log import record
from hoth.people.models import Involvement, Person

pytestmark = pytest.mark.browser


def test_auditor_filters_the_audit_log_by_a_child_and_opens_who_has_seen_their_record(browsing, users):
    child = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 9, 1))
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    record("view", user=users["practitioner"], obj=child)

    page = browsing.sign_in(users["auditor"])
    browsing.click("Audit log", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    browsing.fill("Person reference (optional)", child.reference)
    browsing.click("Apply filters")
    rows = page.get_by_role("row").filter(has_text=users["practitioner"].email)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Viewed")
    browsing.screenshot("audit-search")

    browsing.click(re.compile(f"^{child.reference}\\W+who has seen this record$"), role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen this record")
    expect(page.get_by_role("row").filter(has_text=users["practitioner"].full_name)).to_have_count(1)


def test_agency_administrator_sees_the_users_of_their_own_agency_only(browsing, users):
    page = browsing.sign_in(users["agency_admin"])
    browsing.click("Users", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    table = page.get_by_role("table")
    # The administrator works for the school: its teacher is listed, the council's practitioner is not.
    expect(table).to_contain_text(users["school_practitioner"].email)
    expect(table).not_to_contain_text(users["practitioner"].email)
    browsing.screenshot("manage-users")
