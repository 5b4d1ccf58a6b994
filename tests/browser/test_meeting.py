"""The Weekly Contextual Safeguarding Screening Meeting in the browser: a
coordinator schedules it, builds and orders the agenda, records attendance,
what an agency brings, a decision to open a case with a lead professional and
an action, and confirms it. Every page is checked with axe."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.cases.models import Case
from hoth.panels.models import Meeting
from hoth.people.models import Address, Person
from hoth.referrals.models import HarmType, Referral
from hoth.screening.models import Screening, ScreeningTool
from hoth.tasks.models import Task

pytestmark = pytest.mark.browser


def _referral(users, agencies, given, family, *, screened_level=None):
    person = Person.objects.create(given_names=given, family_name=family, date_of_birth=date(2011, 4, 5))
    Address.objects.create(person=person, line1="1 Mill Street", town="Crewe", postcode="CW1 2AB")
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        status=Referral.Status.SUBMITTED,
        referrer=users["school_practitioner"],
        referrer_agency=agencies["school"],
        submitted_at=now - timedelta(hours=3),
        screen_by=now + timedelta(hours=4, minutes=30),
    )
    referral.harm_types.set(
        [
            HarmType.objects.get_or_create(
                code="cce",
                defaults={"name": "Child criminal exploitation, including county lines", "short_name": "CCE"},
            )[0]
        ]
    )
    if screened_level:
        tool, _ = ScreeningTool.objects.get_or_create(
            version="test-1", defaults={"name": "Test tool", "definition": {"domains": []}, "is_current": True}
        )
        Screening.objects.create(
            person=person,
            referral=referral,
            tool=tool,
            status=Screening.Status.COMPLETE,
            screened_by=users["coordinator"],
            screened_by_agency=agencies["council"],
            completed_at=now - timedelta(hours=1),
            scored_level=screened_level,
            level=screened_level,
        )
        Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.SCREENED)
    return referral


def test_coordinator_runs_the_screening_meeting_from_schedule_to_confirmation(browsing, users, agencies):
    screened = _referral(users, agencies, "Kayleigh", "Brennan", screened_level="high")
    extra = _referral(users, agencies, "Jade", "Pritchard")
    coordinator, lead = users["coordinator"], users["practitioner"]
    page = browsing.sign_in(coordinator)

    browsing.visit("/screening-queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening queue")
    expect(page.get_by_role("table")).to_contain_text("Due in 4 hours")
    browsing.screenshot("screening-queue")

    browsing.click("Meetings")
    browsing.click("Schedule a meeting")
    day = date.today() + timedelta(days=2)
    browsing.fill("Day", str(day.day))
    browsing.fill("Month", str(day.month))
    browsing.fill("Year", str(day.year))
    browsing.fill("Start time", "10am")
    browsing.fill("Where", "Delamere House, room 2")
    page.get_by_label("Chair", exact=True).select_option(label=f"{coordinator.full_name}, {coordinator.agency.name}")
    browsing.click("Schedule the meeting")
    meeting = Meeting.objects.get()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 item proposed")

    # The proposed item is accepted; another referral is added by hand, moved
    # to the top, then taken off again.
    browsing.click(f"Accept {screened.person.reference} onto the agenda")
    browsing.click("Add a referral by its reference")
    browsing.fill("Referral reference", extra.reference)
    browsing.click("Add to the agenda")
    agenda = page.get_by_role("table", name="Agenda")
    expect(agenda.get_by_role("row").nth(2)).to_contain_text("Jade Pritchard")
    browsing.click("Move up item 2")
    expect(agenda.get_by_role("row").nth(1)).to_contain_text("Jade Pritchard")
    browsing.click("Take off item 1")
    expect(page.get_by_role("table", name="Agenda")).not_to_contain_text("Jade Pritchard")
    browsing.screenshot("meeting-agenda")

    browsing.click("Record attendance")
    page.get_by_label("Agency", exact=True).select_option(label=agencies["police"].name)
    browsing.fill("Name", "DS Rachel Cole")
    browsing.click("Add to the attendance")
    expect(page.get_by_role("table")).to_contain_text("DS Rachel Cole")
    browsing.click("Back to the meeting")

    browsing.click("Kayleigh Brennan")
    browsing.click("Add what an agency brings")
    page.get_by_label("Agency", exact=True).select_option(label=agencies["police"].name)
    browsing.fill("What the agency knows", "Stopped at Crewe station with £400 cash and two phones")
    browsing.click("Save")
    page.get_by_label("Open a harm-outside-the-home case").check()
    browsing.fill("Why the meeting decided this", "Significant indicators of county lines exploitation")
    page.get_by_label("Lead professional", exact=True).select_option(label=f"{lead.full_name}, {lead.agency.name}")
    browsing.click("Save the decision")

    browsing.click("Kayleigh Brennan")
    browsing.click("Add an action")
    browsing.fill("What is to be done", "Offer a return home interview")
    page.get_by_label("Who will do it", exact=True).select_option(label=f"{lead.full_name}, {lead.agency.name}")
    due = date.today() + timedelta(days=7)
    browsing.fill("Day", str(due.day))
    browsing.fill("Month", str(due.month))
    browsing.fill("Year", str(due.year))
    browsing.click("Add the action")
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Offer a return home interview")
    browsing.screenshot("meeting-item")
    browsing.click("Back to the agenda")

    browsing.click("Confirm the meeting")
    expect(page.get_by_role("table")).to_contain_text("lead professional")
    browsing.click("Confirm the meeting")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 case opened and 1 task set")

    case = Case.objects.get(person=screened.person)
    assert case.lead_professional == lead
    assert Task.objects.get().owner == lead
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert Referral.objects.get(pk=screened.pk).status == Referral.Status.DECIDED

    browsing.click("Read the minutes")
    expect(page.get_by_role("main")).to_contain_text("DS Rachel Cole")
    expect(page.get_by_role("main")).to_contain_text(case.reference)
    browsing.screenshot("meeting-minutes")


def test_the_queue_and_the_referral_flag_a_child_whose_case_closed_within_the_year(browsing, users, agencies):
    now = timezone.now()
    returned = _referral(users, agencies, "Kayleigh", "Brennan")
    earlier = Case.objects.create(
        person=returned.person,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
        closed_at=now - timedelta(days=335),
    )
    long_ago = _referral(users, agencies, "Jade", "Pritchard")
    Case.objects.create(
        person=long_ago.person,
        lead_professional=users["practitioner"],
        opened_by=users["coordinator"],
        status=Case.Status.CLOSED,
        closed_at=now - timedelta(days=395),
    )
    page = browsing.sign_in(users["coordinator"])

    browsing.visit("/screening-queue/")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Kayleigh Brennan")).to_contain_text("Repeat harm: a case closed within 12 months")
    expect(rows.filter(has_text="Jade Pritchard")).not_to_contain_text("Repeat harm")

    browsing.click(returned.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {returned.reference}")
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text(f"Repeat harm: case {earlier.reference} about this child closed on")
    browsing.click(f"case {earlier.reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kayleigh Brennan")
