"""A multi-agency case in the browser: the lead professional adds a police
officer to the team with a sharing decision and writes a note restricted to
their own agency; the timeline shows both, the officer sees the case but not
the note; a coordinator's save beats the lead's, and the lead is shown the
conflict with their own choices still in the form. The lead closes the case
when the child moves away, prints the transfer summary for the receiving
partnership, and a coordinator reopens it, flagged as repeat harm; a closure
without its summaries is refused with every problem shown at once; a case opened for a new
referral within a year of closure shows repeat harm. axe checks every page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.cases import casework
from hoth.cases.models import Case, CaseMember, CaseNote, CaseStatusChange
from hoth.cases.services import open_case
from hoth.people.models import Involvement, Person
from hoth.referrals.models import HarmType, Referral
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
    lead.fill(
        "Why consent was refused or not sought, and why you are sharing (optional)",
        "Asking his family would alert those exploiting him",
    )
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


# ------------------------------------------------------------------ closure and reopening

MOVED_TO = "Stoke-on-Trent Safeguarding Children Partnership"
TRANSFER = "Tyler now lives with his aunt in Hanley; the older males from Crewe still message him"
OUTCOME = "No missing episodes since March; Tyler is back in school full time"


def test_lead_closes_the_case_when_the_child_moves_away_and_a_coordinator_reopens_it(browse, users, case):
    lead = browse()
    page = lead.sign_in(users["practitioner"])
    lead.visit(f"/cases/{case.reference}/")
    lead.click("Close the case")
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the case")
    page.get_by_label("Moved to another area").check()
    lead.fill("Partnership or area they have moved to", MOVED_TO)
    lead.fill("Transfer summary for the receiving partnership", TRANSFER)
    lead.fill("Outcome summary", OUTCOME)
    lead.click("Close the case")

    expect(page.locator(".govuk-notification-banner")).to_contain_text("The case has been closed")
    status = page.locator(".govuk-summary-list__row", has_text="Status")
    expect(status.locator(".govuk-tag")).to_have_text("Closed")
    expect(page.locator(".govuk-summary-list__row", has=page.get_by_text("Closed", exact=True))).to_have_count(2)
    expect(page.locator(".moj-timeline")).to_contain_text("Case closed: Moved to another area")
    expect(page.get_by_role("link", name="Close the case")).to_have_count(0)
    expect(page.get_by_role("link", name="Reopen the case")).to_be_visible()
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == Case.Status.CLOSED and closed.closed_at is not None
    closure = CaseStatusChange.objects.get(case=case)
    assert (closure.kind, closure.reason, closure.receiving_area) == ("closed", "moved", MOVED_TO)
    assert (closure.transfer_summary, closure.outcome_summary) == (TRANSFER, OUTCOME)

    # The case page shows what was written on closing; the lead prints the
    # transfer summary for the partnership Tyler moved to.
    closure_list = page.locator("#closure + .govuk-summary-list")
    for words in ("Moved to another area", MOVED_TO, TRANSFER, OUTCOME):
        expect(closure_list).to_contain_text(words)
    lead.click("Print the transfer summary for the receiving partnership")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Transfer summary for {MOVED_TO}")
    for words in ("Tyler Okafor", "1 May 2010", TRANSFER, OUTCOME):
        expect(page.get_by_role("main")).to_contain_text(words)
    lead.click("Back to the case")

    # Harm comes back within the year: a coordinator reopens the case.
    coordinator = browse()
    coordinator_page = coordinator.sign_in(users["coordinator"])
    coordinator.visit(f"/cases/{case.reference}/")
    coordinator.click("Reopen the case")
    coordinator.click("Reopen the case")
    expect(coordinator_page.locator(".govuk-error-summary")).to_contain_text("Say why the case is being reopened")
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    coordinator.fill("Why is the case being reopened?", "Tyler was found in a trap house in Crewe")
    coordinator.click("Reopen the case")
    expect(coordinator_page.locator(".govuk-notification-banner")).to_contain_text("The case has been reopened")
    status = coordinator_page.locator(".govuk-summary-list__row", has_text="Status")
    expect(status.locator(".govuk-tag")).to_have_text("Open")
    expect(coordinator_page.locator(".govuk-warning-text")).to_contain_text(
        "Repeat harm: harm came back within 12 months of an earlier case closing"
    )
    expect(coordinator_page.locator(".moj-timeline")).to_contain_text("Case reopened")
    expect(coordinator_page.get_by_role("link", name="Close the case")).to_be_visible()
    reopened = Case.objects.get(pk=case.pk)
    assert reopened.status == Case.Status.OPEN and reopened.closed_at is None and reopened.repeat_harm
    assert list(CaseStatusChange.objects.filter(case=case).values_list("kind", flat=True)) == ["reopened", "closed"]


def test_a_closure_without_its_summaries_is_refused_and_changes_nothing(browse, users, case):
    lead = browse()
    page = lead.sign_in(users["practitioner"])
    lead.visit(f"/cases/{case.reference}/close/")
    page.get_by_label("Moved to another area").check()
    lead.click("Close the case")
    # Every problem at once: the outcome summary and what a move needs.
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter the partnership or area the child has moved to",
            "Write a transfer summary for the receiving partnership",
            "Write an outcome summary",
        ]
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Moved to another area")).to_be_checked()

    # What was typed is kept, and only what is still missing is asked again.
    lead.fill("Outcome summary", OUTCOME)
    lead.click("Close the case")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter the partnership or area the child has moved to",
            "Write a transfer summary for the receiving partnership",
        ]
    )
    expect(page.get_by_label("Outcome summary")).to_have_value(OUTCOME)
    summary.get_by_role("link", name="Write a transfer summary for the receiving partnership").click()
    lead.check()
    expect(page.get_by_label("Transfer summary for the receiving partnership")).to_be_focused()

    unchanged = Case.objects.get(pk=case.pk)
    assert (unchanged.status, unchanged.closed_at, unchanged.version) == (Case.Status.OPEN, None, case.version)
    assert not CaseStatusChange.objects.exists()
    lead.visit(f"/cases/{case.reference}/")
    expect(page.locator(".govuk-summary-list__row", has_text="Status").locator(".govuk-tag")).to_have_text("Open")


def test_a_case_opened_for_a_new_referral_within_a_year_of_closure_shows_repeat_harm(browse, users, case):
    casework.close_case(
        case, user=users["practitioner"], read_version=case.version, reason="risk_reduced", outcome_summary=OUTCOME
    )
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=100))
    Referral.objects.create(
        person=case.person,
        referrer=users["school_practitioner"],
        referrer_agency=users["school_practitioner"].agency,
        status=Referral.Status.SUBMITTED,
        submitted_at=timezone.now(),
        what_happened="Seen with older males at Crewe station",
    )

    coordinator = browse()
    page = coordinator.sign_in(users["coordinator"])
    coordinator.visit(f"/people/{case.person.reference}/")
    coordinator.click("Open a case")
    page.get_by_label("Lead professional").select_option(label="Prac (Cheshire East Council Children's Services)")
    coordinator.click("Open the case")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Repeat harm: harm came back within 12 months of an earlier case closing"
    )
    again = Case.objects.open().get(person=case.person)
    assert again.pk != case.pk and again.repeat_harm
