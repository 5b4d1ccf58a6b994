"""Missing episodes and tasks in the browser: a practitioner records a
child's missing episode and return home interview; the child's lead
professional finds the task it gave them and marks it done. Every page is
checked with axe by the browsing fixture."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.people.models import Involvement, Person
from hoth.screening.models import ScreeningTool
from hoth.tasks.models import Task
from tests.cases.conftest import TOOL
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def tyler(users, agencies):
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    lead = make_user("lead@police.example", agencies["police"], Role.PRACTITIONER, full_name="Lena Shah")
    Involvement.objects.create(person=person, user=lead, kind=Involvement.Kind.LEAD_PROFESSIONAL)
    ScreeningTool.objects.create(version=TOOL["version"], name=TOOL["name"], definition=TOOL, is_current=True)
    return person, lead


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_practitioner_records_an_episode_and_interview_and_the_lead_closes_the_task(browse, users, tyler):
    child, lead = tyler
    today = timezone.localdate()
    two_days_ago, yesterday = today - timedelta(days=2), today - timedelta(days=1)

    practitioner = browse()
    page = practitioner.sign_in(users["practitioner"])
    practitioner.visit(f"/people/{child.reference}/")
    practitioner.click("Record a missing episode")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a missing episode")

    # An end before the start is refused with a message saying so.
    fill_date(page, "Date they went missing", two_days_ago)
    practitioner.fill("Time they went missing", "21:30")
    fill_date(page, "Date they came back", two_days_ago)
    practitioner.fill("Time they came back (optional)", "20:00")
    practitioner.click("Save the missing episode")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date and time they came back must be after the date and time they went missing"
    )
    assert not MissingEpisode.objects.exists()

    fill_date(page, "Date they came back", yesterday)
    practitioner.fill("Time they came back (optional)", "7:15am")
    practitioner.fill("Who reported them missing (optional)", "Foster carer")
    practitioner.fill("Police reference (optional)", "CC-2026-0142")
    practitioner.fill("Where they were found (optional)", "Hanley bus station")
    page.get_by_label("They were found out of area").check()
    practitioner.fill("Who they were with (optional)", "An older boy known as Dee")
    page.get_by_label("How they were when they came back").select_option("intoxicated")
    practitioner.click("Save the missing episode")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Missing from")
    expect(page.locator(".govuk-tag", has_text="Interview due")).to_be_visible()
    expect(page.get_by_text("Found out of area")).to_be_visible()
    practitioner.screenshot("missing-episode")

    practitioner.click("Record the return home interview")
    page.get_by_label("Offered, and they accepted").check()
    fill_date(page, "Date the interview was offered", yesterday)
    practitioner.fill("Time the interview was offered (optional)", "10:00")
    fill_date(page, "Date of the interview", yesterday)
    practitioner.fill("Time of the interview (optional)", "15:00")
    practitioner.fill("Who held the interview (optional)", "Sam Reid")
    practitioner.fill("What the child said (optional)", "I owed Dee for the trainers")
    # Several indicators can be found at once.
    page.get_by_label("Unexplained money, phones or clothes").check()
    page.get_by_label("Found out of area", exact=True).check()
    practitioner.screenshot("return-interview")
    practitioner.click("Save the interview")
    expect(page.locator(".govuk-tag", has_text="Interview offered in time")).to_be_visible()
    interview = ReturnInterview.objects.get()
    assert interview.indicators_found == ["found_out_of_area", "unexplained_money"]

    practitioner.click(f"All missing episodes for {child.full_name}")
    expect(page.get_by_role("table")).to_contain_text("Missing")

    # The child's lead professional was given a task when the child came back.
    lead_tab = browse()
    lead_page = lead_tab.sign_in(lead)
    expect(lead_page.get_by_role("heading", name="Your tasks")).to_be_visible()
    lead_tab.visit("/tasks/")
    lead_tab.click("Make sure a return home interview is offered")
    expect(lead_page.get_by_role("link", name=child.full_name)).to_be_visible()
    lead_tab.fill("What was done (optional)", "Sam Reid offered it the morning after; Tyler accepted")
    lead_tab.click("Mark as done")
    expect(lead_page.locator(".govuk-notification-banner")).to_contain_text("Task marked as done")
    expect(lead_page.get_by_role("table", name="Done in the last 14 days")).to_contain_text(
        "Make sure a return home interview is offered"
    )
    assert Task.objects.get().status == Task.Status.DONE


def test_coordinator_opens_a_case_directly_and_chases_overdue_actions(browsing, users, agencies, tyler):
    from hoth.referrals.models import HarmType
    from hoth.tasks.services import create_task

    child, lead = tyler
    HarmType.objects.create(
        code="cce", name="Child criminal exploitation, including county lines", short_name="CCE", position=1
    )
    create_task(
        title="Share the school attendance record",
        owner=users["school_practitioner"],
        due_date=timezone.localdate() - timedelta(days=4),
        created_by=users["coordinator"],
        person=child,
    )
    create_task(
        title="Check the custody record",
        owner=lead,
        due_date=timezone.localdate() - timedelta(days=1),
        created_by=users["coordinator"],
        person=child,
    )

    page = browsing.sign_in(users["coordinator"])
    expect(page.get_by_role("heading", name="Overdue actions across agencies")).to_be_visible()
    browsing.visit(f"/people/{child.reference}/")
    browsing.click("Open a case")
    page.get_by_label("Lead professional").select_option(label=f"Lena Shah ({agencies['police'].name})")
    page.get_by_label("Child criminal exploitation, including county lines").check()
    browsing.click("Open the case")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The lead professional has been told")
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Lena Shah")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Opened directly by a coordinator")
    browsing.screenshot("case-page")

    browsing.visit("/tasks/overdue/")
    expect(page.get_by_role("table")).to_contain_text("Share the school attendance record")
    expect(page.get_by_role("table")).to_contain_text("Check the custody record")
    page.get_by_label("Agency").select_option(label=agencies["school"].name)
    browsing.click("Show overdue actions")
    expect(page.get_by_role("table")).to_contain_text("Overdue 4 days")
    expect(page.get_by_role("table")).not_to_contain_text("Check the custody record")
