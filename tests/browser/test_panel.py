"""The Child Exploitation Operational Panel in the browser: the panel chair
schedules a panel, accepts the children proposed (one at High level, one
referred by the screening meeting), adds a person of concern, a place of
concern and a theme, records attendance, an agency's update, decisions and
an action, confirms the panel, reads the minutes and finds the action on the
tracker. Every page is checked with axe."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.cases.services import open_case
from hoth.contexts.models import Context
from hoth.intelligence.models import Subject
from hoth.panels.models import AgendaItem, Decision, Meeting, PanelDecision, Section
from hoth.people.models import Involvement, Person
from hoth.screening.models import Screening, ScreeningTool
from hoth.tasks.models import Task

pytestmark = pytest.mark.browser


def _child(given, family, users, agencies, level):
    person = Person.objects.create(given_names=given, family_name=family, date_of_birth=date(2011, 4, 5))
    tool, _ = ScreeningTool.objects.get_or_create(
        version="test-1", defaults={"name": "Test tool", "definition": {"domains": []}, "is_current": True}
    )
    Screening.objects.create(
        person=person,
        tool=tool,
        status=Screening.Status.COMPLETE,
        screened_by=users["coordinator"],
        screened_by_agency=agencies["council"],
        completed_at=timezone.now() - timedelta(days=2),
        scored_level=level,
        level=level,
    )
    return person


@pytest.fixture
def panel_world(users, agencies):
    chair = users["panel_chair"]
    high = _child("Kayleigh", "Brennan", users, agencies, "high")
    open_case(person=high, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    # The chair works with this child, so reads her name; not with the referred one.
    Involvement.objects.create(person=high, user=chair, kind=Involvement.Kind.ASSIGNED)
    referred = _child("Jade", "Pritchard", users, agencies, "medium")
    screening_meeting = Meeting.objects.create(
        starts_at=timezone.now() - timedelta(days=3),
        chair=users["coordinator"],
        created_by=users["coordinator"],
        status=Meeting.Status.CONFIRMED,
        confirmed_at=timezone.now() - timedelta(days=3),
    )
    AgendaItem.objects.create(
        meeting=screening_meeting,
        position=1,
        person=referred,
        decision=Decision.REFER_TO_PANEL,
        rationale="Needs panel oversight",
    )
    suspect = Person.objects.create(
        given_names="Darren", family_name="Holt", date_of_birth=date(1990, 1, 2), intelligence_subject=True
    )
    Subject.objects.create(
        reference=suspect.reference,
        kind="person",
        person=suspect,
        of_concern=True,
        concern="Seen giving lifts to children",
    )
    place = Context.objects.create(
        kind=Context.Kind.PLACE,
        name="Crewe bus station",
        place_type="station",
        town="Crewe",
        created_by=users["analyst"],
    )
    return high, referred, suspect, place


def _decide(browsing, page, subject, decision, why):
    browsing.click(subject)
    page.get_by_label(decision).check()
    browsing.fill("Why the panel decided this", why)
    browsing.click("Save the decision")


def test_panel_chair_runs_a_panel_from_agenda_to_minutes(browsing, users, agencies, panel_world):
    high, referred, suspect, place = panel_world
    chair, lead = users["panel_chair"], users["practitioner"]
    page = browsing.sign_in(chair)

    browsing.visit("/meetings/")
    browsing.click("Schedule a panel")
    day = date.today() + timedelta(days=2)
    browsing.fill("Day", str(day.day))
    browsing.fill("Month", str(day.month))
    browsing.fill("Year", str(day.year))
    browsing.fill("Start time", "2pm")
    browsing.fill("Where", "Delamere House, room 1")
    page.get_by_label("Chair", exact=True).select_option(label=f"{chair.full_name}, {chair.agency.name}")
    browsing.click("Schedule the panel")
    meeting = Meeting.objects.get(kind=Meeting.Kind.PANEL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 children proposed")

    # The children proposed: the one referred by the screening meeting and the one at High level.
    browsing.click(f"Accept {referred.reference} onto the agenda")
    browsing.click(f"Accept {high.reference} onto the agenda")
    expect(page.get_by_role("table", name="Children at High level")).to_contain_text("Kayleigh Brennan")
    # The chair oversees every child on the panel's agenda, so reads their names.
    expect(page.get_by_role("table", name="Children referred from the screening meeting")).to_contain_text(
        referred.full_name
    )

    browsing.click("Add a person of concern")
    browsing.fill("Person's reference", suspect.reference)
    browsing.click("Add to the agenda")
    browsing.click("Add a place of concern")
    browsing.fill("Place's reference", place.reference)
    browsing.click("Add to the agenda")
    browsing.click("Add a theme or trend")
    browsing.fill("Theme or trend", "Older males offering lifts outside schools")
    browsing.click("Add to the agenda")
    expect(page.get_by_role("table", name="Persons of concern")).to_contain_text("Darren Holt")
    expect(page.get_by_role("table", name="Places of concern")).to_contain_text("Crewe bus station")
    expect(page.get_by_role("table", name="Themes and trends")).to_contain_text("Older males offering lifts")
    browsing.screenshot("panel-agenda")

    browsing.click("Record attendance")
    page.get_by_label("Agency", exact=True).select_option(label=agencies["police"].name)
    browsing.fill("Name", "DI Sarah Moss")
    browsing.click("Add to the attendance")
    expect(page.get_by_role("table")).to_contain_text("DI Sarah Moss")
    browsing.click("Back to the meeting")

    # An agency's update and a decision on the person of concern.
    browsing.click("Darren Holt")
    browsing.click("Add an agency's update")
    page.get_by_label("Agency", exact=True).select_option(label=agencies["police"].name)
    browsing.fill("What the agency knows", "Seen collecting two children from the bus station after school")
    browsing.click("Save")
    expect(page.get_by_role("main")).to_contain_text("Seen collecting two children")
    page.get_by_label("Agree a disruption plan").check()
    browsing.fill("Why the panel decided this", "Apply for a Child Abduction Warning Notice")
    browsing.click("Save the decision")

    # An action for the child at High level.
    _decide(browsing, page, "Kayleigh Brennan", "Continue panel oversight", "Still going missing weekly")
    browsing.click("Kayleigh Brennan")
    browsing.click("Add an action")
    browsing.fill("What is to be done", "Review the safety plan with the family")
    page.get_by_label("Who will do it", exact=True).select_option(label=f"{lead.full_name}, {lead.agency.name}")
    due = date.today() + timedelta(days=14)
    browsing.fill("Day", str(due.day))
    browsing.fill("Month", str(due.month))
    browsing.fill("Year", str(due.year))
    browsing.click("Add the action")
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Review the safety plan")
    browsing.screenshot("panel-item")
    browsing.click("Back to the agenda")

    _decide(browsing, page, referred.full_name, "Continue panel oversight", "New to the panel")
    _decide(browsing, page, "Crewe bus station", "Agree a disruption plan", "Guardianship training for staff")
    _decide(
        browsing,
        page,
        "Older males offering lifts outside schools",
        "Escalate to the strategic group",
        "Seen across three towns",
    )

    browsing.click("Confirm the panel")
    expect(page.get_by_role("table")).to_contain_text("Agree a disruption plan")
    browsing.click("Confirm the panel")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Panel confirmed. 1 task set")
    task = Task.objects.get()
    assert task.owner == lead and task.person == high
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert set(meeting.items.values_list("section", flat=True)) == set(Section.values)
    assert meeting.items.get(person=suspect).panel_decision == PanelDecision.DISRUPTION_PLAN

    browsing.click("Read the minutes")
    main = page.get_by_role("main")
    for text in (
        "DI Sarah Moss",
        "Kayleigh Brennan",
        "Darren Holt",
        "Crewe bus station",
        referred.full_name,
        "Seen collecting two children",
        "Review the safety plan with the family",
    ):
        expect(main).to_contain_text(text)
    browsing.screenshot("panel-minutes")

    browsing.click("Back to the meeting")
    browsing.click("Action tracker")
    expect(page.get_by_role("table")).to_contain_text("Review the safety plan with the family")
    expect(page.get_by_role("table")).to_contain_text("To do")
    browsing.screenshot("panel-tracker")
