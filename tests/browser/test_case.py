"""A multi-agency case in the browser: the lead professional adds a police
officer to the team with a sharing decision and writes a note restricted to
their own agency; the timeline shows both, the officer sees the case but not
the note; a coordinator's save beats the lead's, and the lead is shown the
conflict with their own choices still in the form. axe checks every page."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.cases.models import Case, CaseMember, CaseNote
from hoth.cases.services import open_case
from hoth.people.models import Involvement, Person
from hoth.referrals.models import HarmType
from tests.browser.test_missing_and_tasks import fill_date
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def case(users, agencies):
    child = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    HarmType.objects.create(code="cce", name="Child criminal exploitation", short_name="CCE")
    HarmType.objects.create(code="cse", name="Child sexual exploitation", short_name="CSE")
    return open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])


def test_lead_builds_a_team_writes_a_restricted_note_and_a_conflicting_edit_is_caught(browse, users, agencies, case):
    officer = make_user("pc@police.example", agencies["police"], Role.PRACTITIONER, full_name="PC Dan Hale")
    lead = browse()
    page = lead.sign_in(users["practitioner"])
    lead.visit(f"/cases/{case.reference}/")
    lead.click("Team")

    # Another agency: the sharing decision is required.
    page.get_by_label("Who is joining the team").select_option(label="PC Dan Hale (Cheshire Constabulary)")
    lead.fill("Their role in the case", "Missing persons officer")
    lead.click("Add to the team")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why they need to know")
    lead.fill("What you are sharing with them (optional)", "The case summary and the plan")
    lead.fill("Why they need to know (optional)", "Tyler is found with older males at Crewe station")
    page.get_by_label("Consent not sought").check()
    page.get_by_label("Lawful basis for sharing without consent").select_option("public_task")
    lead.fill("Why consent was refused or not sought, and why you are sharing (optional)",
              "Asking his family would alert those exploiting him")
    lead.click("Add to the team")
    expect(page.get_by_role("cell", name="PC Dan Hale", exact=True)).to_be_visible()
    assert CaseMember.objects.get(user=officer).sharing_decision.consent == "not_sought"

    lead.click("Contacts and notes")
    lead.click("Add a contact or note")
    fill_date(page, "Date of the contact", timezone.localdate())
    page.get_by_label("Visit", exact=True).check()
    lead.fill("Who was there or spoken to", "Tyler and his mum")
    lead.fill("What happened", "Tyler said an older boy called Dee gives him money")
    page.get_by_label(agencies["council"].name).check()
    lead.click("Save the note")
    expect(page.get_by_text("Restricted")).to_be_visible()
    assert CaseNote.objects.get().is_restricted

    lead.click("Summary and timeline")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("PC Dan Hale joined the team")
    expect(timeline).to_contain_text("Visit (restricted)")
    lead.screenshot("case-timeline")
    lead.click("Contextual assessment")
    lead.click("National Referral Mechanism")

    # The officer sees the child's case, but not the note restricted to the council.
    police = browse()
    police_page = police.sign_in(officer)
    police.visit(f"/cases/{case.reference}/")
    expect(police_page.locator(".moj-timeline")).to_contain_text("PC Dan Hale joined the team")
    expect(police_page.locator("body")).not_to_contain_text("restricted")
    police.visit(f"/cases/{case.reference}/notes/")
    expect(police_page.locator("body")).not_to_contain_text("Dee gives him money")

    # Two people change the case at once: the second save is caught.
    lead.visit(f"/cases/{case.reference}/edit/")
    page.get_by_label("Child sexual exploitation").check()
    coordinator = browse()
    coordinator_page = coordinator.sign_in(users["coordinator"])
    coordinator.visit(f"/cases/{case.reference}/edit/")
    coordinator_page.get_by_label("Child criminal exploitation").check()
    coordinator.click("Save changes")
    expect(coordinator_page.locator(".govuk-notification-banner, .govuk-body").first).to_be_visible()
    lead.click("Save changes")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else changed this case")
    expect(page.locator("#conflict")).to_contain_text("Child criminal exploitation")
    expect(page.get_by_label("Child sexual exploitation")).to_be_checked()
    assert [h.code for h in Case.objects.get(pk=case.pk).harm_types.all()] == ["cce"]
    lead.click("Save changes")
    expect(page.locator(".moj-timeline")).to_be_visible()
    assert [h.code for h in Case.objects.get(pk=case.pk).harm_types.all()] == ["cse"]
