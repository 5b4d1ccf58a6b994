"""The front door end to end, as issue 3 describes it, in three browsers:

a school practitioner signs in with their second factor and raises a
referral; a coordinator screens it (High, with the reasons shown), puts it on
the Weekly Contextual Safeguarding Screening Meeting, records what the police
bring and the decision to open a case with a lead professional, and confirms
the meeting; the lead professional finds the new task; the school
practitioner sees the decision on their referral but never what the police
told the meeting. Every page on the way is checked with axe.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from hoth.cases.models import Case
from hoth.panels.models import Meeting
from hoth.referrals import reference as harm_types
from hoth.referrals.models import Referral
from hoth.screening import reference as screening_tool
from hoth.screening.models import ScreeningTool
from hoth.screening.services import indicator_index
from hoth.tasks.models import Task

pytestmark = pytest.mark.browser

POLICE_SAY = "Stopped at Crewe station with four hundred pounds and two phones"


@pytest.fixture
def reference_data(transactional_db):
    harm_types.load()
    screening_tool.load()


def heading(page):
    return page.get_by_role("heading", level=1)


def raise_referral(browsing, teacher):
    page = browsing.sign_in(teacher)
    browsing.visit("/referrals/")
    browsing.click("Make a new referral")
    page.get_by_label("A child", exact=True).check()
    browsing.click("Continue")
    browsing.fill("Search for the child by name", "Ruby Hale")
    browsing.click("Search")
    browsing.click("Record a new child")
    browsing.fill("First names", "Ruby")
    browsing.fill("Family name", "Hale")
    browsing.fill("Day", "3")
    browsing.fill("Month", "2")
    browsing.fill("Year", "2012")
    browsing.click("Check for existing records")
    browsing.click("Record this person")
    browsing.click("Refer Ruby Hale")
    page.get_by_label("Child criminal exploitation, including county lines").check()
    browsing.screenshot("referral-harm")
    browsing.click("Save and continue")
    browsing.fill("What happened?", "Seen getting into a car with two older men after school, three times.")
    browsing.click("Save and continue")
    browsing.fill("What does the child say? (optional)", "They're my mates, they give me lifts.")
    browsing.click("Save and continue")
    browsing.click("Continue without naming anyone")
    page.get_by_label("No", exact=True).check()
    browsing.click("Save and continue")
    browsing.fill("Your role", "Designated safeguarding lead")
    browsing.fill("Phone number", "01270 900123")
    browsing.click("Save and continue")
    page.get_by_label("Yes, the child or family agreed").check()
    browsing.click("Save and continue")
    expect(heading(page)).to_have_text("Check your answers before sending the referral")
    browsing.screenshot("referral-check")
    browsing.click("Send the referral")
    referral = Referral.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    browsing.screenshot("referral-sent")
    return referral


def mark_present(page, text, evidence):
    question = page.get_by_role("group", name=text, exact=True)
    question.get_by_label("Present", exact=True).check()
    question.get_by_label("What is the evidence?", exact=True).fill(evidence)
    question.get_by_label("Now or in the last six months", exact=True).check()
    question.get_by_label("Told by the child or someone else", exact=True).check()


def screen_to_high(browsing, referral):
    page = browsing.page
    texts = {code: item["text"] for code, item in indicator_index(ScreeningTool.current()).items()}
    browsing.visit("/screening-queue/")
    queue = page.get_by_role("table")
    expect(queue).to_contain_text("Ruby Hale")
    expect(queue).to_contain_text("Due in")
    browsing.visit(f"/screening/referral/{referral.reference}/start/")
    browsing.click("Start the screening")
    expect(heading(page)).to_have_text("Missing")
    # Repeat missing is a question the tool requires; the school knows of none.
    page.get_by_role("group", name=texts["missing_repeat"], exact=True).get_by_label("Not present", exact=True).check()
    browsing.click("Save and continue")
    expect(heading(page)).to_have_text("Associates and relationships")
    mark_present(page, texts["assoc_controlling_adult"], "Older men collect her from school in a car")
    browsing.click("Save and continue")
    while heading(page).inner_text() != "Disclosure":
        browsing.click("Save and continue")
    mark_present(page, texts["disclosure_exploitation"], "Told her form tutor she carries packages for them")
    browsing.click("Save and continue")
    page.get_by_label("No, the level from the rules is right", exact=True).check()
    browsing.click("Continue")
    browsing.click("Complete the screening")
    expect(heading(page)).to_have_text("High (significant)")
    reasons = page.get_by_role("main")
    expect(reasons).to_contain_text("A disclosure of exploitation was recorded")
    expect(page.get_by_role("table").first).to_contain_text(texts["assoc_controlling_adult"])


def run_meeting(browsing, coordinator, lead, police):
    page = browsing.page
    browsing.click("Meetings")
    browsing.click("Schedule a meeting")
    day = date.today() + timedelta(days=1)
    browsing.fill("Day", str(day.day))
    browsing.fill("Month", str(day.month))
    browsing.fill("Year", str(day.year))
    browsing.fill("Start time", "10am")
    browsing.fill("Where", "Delamere House, room 2")
    page.get_by_label("Chair", exact=True).select_option(label=f"{coordinator.full_name}, {coordinator.agency.name}")
    browsing.click("Schedule the meeting")
    # The screened referral is proposed for the agenda.
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 item proposed")
    browsing.click(re.compile(r"^Accept P-\w+ onto the agenda$"))

    browsing.click("Record attendance")
    page.get_by_label("Agency", exact=True).select_option(label=police.name)
    browsing.fill("Name", "DS Rachel Cole")
    browsing.click("Add to the attendance")
    browsing.click("Back to the meeting")

    browsing.click("Ruby Hale")
    browsing.click("Add what an agency brings")
    page.get_by_label("Agency", exact=True).select_option(label=police.name)
    browsing.fill("What the agency knows", POLICE_SAY)
    browsing.click("Save")
    page.get_by_label("Open a harm-outside-the-home case").check()
    browsing.fill("Why the meeting decided this", "A disclosure and a controlling adult: county lines")
    page.get_by_label("Lead professional", exact=True).select_option(label=f"{lead.full_name}, {lead.agency.name}")
    browsing.click("Save the decision")

    browsing.click("Ruby Hale")
    browsing.click("Add an action")
    browsing.fill("What is to be done", "Visit Ruby at home with her mother")
    page.get_by_label("Who will do it", exact=True).select_option(label=f"{lead.full_name}, {lead.agency.name}")
    due = date.today() + timedelta(days=5)
    browsing.fill("Day", str(due.day))
    browsing.fill("Month", str(due.month))
    browsing.fill("Year", str(due.year))
    browsing.click("Add the action")
    browsing.click("Back to the agenda")
    browsing.click("Confirm the meeting")
    browsing.click("Confirm the meeting")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 case opened and 1 task set")


def test_a_referral_from_school_to_screening_to_meeting_to_the_lead_professionals_task(
    browse, users, agencies, reference_data
):
    teacher, coordinator, lead = users["school_practitioner"], users["coordinator"], users["practitioner"]

    school = browse()
    referral = raise_referral(school, teacher)

    front_door = browse()
    front_door.sign_in(coordinator)
    screen_to_high(front_door, referral)
    run_meeting(front_door, coordinator, lead, agencies["police"])

    case = Case.objects.get(person=referral.person)
    assert case.lead_professional == lead
    task = Task.objects.get(owner=lead)

    lead_tab = browse()
    page = lead_tab.sign_in(lead)
    lead_tab.visit("/tasks/")
    expect(page.get_by_role("main")).to_contain_text(task.title)
    lead_tab.screenshot("my-tasks")
    lead_tab.visit(f"/people/{referral.person.reference}/")
    expect(heading(page)).to_contain_text("Ruby Hale")

    # The school sees what the meeting decided about its referral, never what
    # the police told the meeting.
    page = school.page
    school.visit(f"/referrals/{referral.reference}/")
    expect(page.get_by_role("main")).to_contain_text("Open a harm-outside-the-home case")
    expect(page.get_by_role("main")).not_to_contain_text(POLICE_SAY)
    school.screenshot("referral-decision")
    # The meeting's own pages refuse the school outright (fetched with the
    # school's cookies rather than visited: a refusal is the right answer).
    meeting = Meeting.objects.get()
    for path in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/minutes/", "/screening-queue/"):
        response = page.request.get(school.base_url + path)
        assert response.status == 403, path
        assert POLICE_SAY not in response.text()
