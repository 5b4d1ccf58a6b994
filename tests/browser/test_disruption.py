"""Disruption in the browser: an analyst opens the profile of an adult of
concern, records a civil order against him (a Sexual Risk Order) for the
three children linked to him, records that it was granted and then
breached, and reads its effect on those children. Every page is checked
with axe by the browsing fixture."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.disruption import flow
from hoth.disruption import reference as tactics_reference
from hoth.disruption.models import Breach, DisruptionActivity
from hoth.intelligence import reference as grading_reference
from hoth.intelligence import services as intelligence
from hoth.people.models import Person
from tests.disruption.conftest import make_child, screen, went_missing, years_ago

pytestmark = pytest.mark.browser


@pytest.fixture
def dean(users):
    """Dean Moss, an adult of concern, linked to three children whose levels
    and missing episodes before the order are on record."""
    grading_reference.load()
    tactics_reference.load()
    today = timezone.localdate()
    person = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=years_ago(27))
    subject = intelligence.subject_for_person(users["coordinator"], person)
    intelligence.flag_of_concern(users["analyst"], subject, of_concern=True, concern="Runs a county line")
    children = [make_child("Tyler", "Okafor"), make_child("Amber", "Hughes"), make_child("Callum", "Reid")]
    for child in children:
        linked = intelligence.subject_for_person(users["coordinator"], child)
        intelligence.record_link(
            users["analyst"],
            source=linked,
            target=subject,
            type="seen_with",
            source_evaluation="2",
            intelligence_assessment="B",
        )
        screen(child, "high", today - timedelta(days=60), users)
        went_missing(child, today - timedelta(days=45), users)
    screen(children[0], "medium", today - timedelta(days=2), users)
    return subject, children


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_analyst_records_a_civil_order_its_grant_and_a_breach_and_sees_its_effect(browsing, users, dean):
    subject, children = dean
    today = timezone.localdate()
    page = browsing.sign_in(users["analyst"])

    browsing.visit(f"/subjects/{subject.reference}/")
    expect(page.get_by_role("heading", name="Disruption history")).to_be_visible()
    browsing.click("Record disruption")
    expect(page.get_by_role("main")).to_contain_text("Section 122A Sexual Offences Act 2003")
    browsing.screenshot("disruption-tactics")
    page.get_by_label("Sexual Risk Order", exact=True).check()
    browsing.click("Continue")

    expect(page.get_by_role("heading", name="Sexual Risk Order")).to_be_visible()
    page.get_by_label("Applied for", exact=True).check()
    fill_date(page, "Date applied for", today - timedelta(days=40))
    for child in children:
        page.get_by_label(f"{child.full_name} ({child.reference})").check()
    browsing.fill("Conditions and details (optional)", "Not to be in a vehicle with anyone under 18")
    browsing.fill("What should the disruption plan achieve?", "Stop him contacting the children linked to him")
    fill_date(page, "When should the plan first be reviewed?", today + timedelta(days=28))
    browsing.screenshot("disruption-record")
    browsing.click("Record the civil order")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sexual Risk Order recorded against Dean Moss")
    order = DisruptionActivity.objects.get()
    assert order.status == flow.APPLIED and order.children.count() == 3

    browsing.click("Update status and dates")
    page.get_by_label("Granted, in force", exact=True).check()
    fill_date(page, "Date granted", today - timedelta(days=30))
    fill_date(page, "Expiry date", today + timedelta(days=700))
    browsing.click("Save")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("granted, in force")

    browsing.click("Record a breach")
    fill_date(page, "Date of the breach", today - timedelta(days=2))
    browsing.fill("What happened?", "Seen in a car with Tyler outside the school")
    page.get_by_label("Arrested", exact=True).check()
    browsing.click("Save the breach")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Breach of Sexual Risk Order")
    assert Breach.objects.get().activity == order

    main = page.get_by_role("main")
    expect(main).to_contain_text("Seen in a car with Tyler outside the school")
    # The analyst reads none of the children's casework: their levels and missing episodes are not shown.
    expect(main).to_contain_text("3 linked children whose records you may not read are not in the figures")
    browsing.screenshot("disruption-activity")

    browsing.click("The disruption plan for Dean Moss")
    expect(page.get_by_role("main")).to_contain_text("Stop him contacting the children linked to him")
    browsing.visit("/disruption/")
    expect(page.get_by_role("table")).to_contain_text("Sexual Risk Order")
    expect(page.get_by_role("table")).to_contain_text("Breached")
    browsing.visit("/disruption/plans/")
    expect(page.get_by_role("table")).to_contain_text("Dean Moss")


def test_panel_chair_reviews_the_plan_at_the_panel_and_an_administrator_verifies_a_statute(browse, users, dean):
    from hoth.disruption import services
    from hoth.panels.models import AgendaItem, Meeting, Section
    from tests.disruption.conftest import tactic

    subject, children = dean
    today = timezone.localdate()
    order = services.record_activity(
        users["analyst"],
        subject,
        tactic=tactic("sexual-risk-order"),
        status="in_force",
        applied_on=today - timedelta(days=40),
        granted_on=today - timedelta(days=30),
        children=children,
        plan_objective="Stop him contacting the children linked to him",
        plan_next_review_on=today + timedelta(days=2),
    )
    chair = users["panel_chair"]
    meeting = Meeting.objects.create(kind=Meeting.Kind.PANEL, starts_at=timezone.now(), chair=chair, created_by=chair)
    item = AgendaItem.objects.create(meeting=meeting, position=1, section=Section.PERSON, person=subject.person)

    tab = browse()
    page = tab.sign_in(chair)
    tab.visit(f"/meetings/{meeting.pk}/items/{item.pk}/")
    expect(page.get_by_role("heading", name="Disruption plan")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Sexual Risk Order")
    tab.screenshot("disruption-panel-item")
    tab.click("Review the disruption plan")
    tab.fill("What has changed since the plan began or was last reviewed?", "Granted; no sightings since")
    page.get_by_label("Continue the plan", exact=True).check()
    fill_date(page, "Date of the next review", today + timedelta(days=28))
    tab.click("Save the review")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review of the disruption plan")
    expect(page.get_by_role("main")).to_contain_text("At the panel, item 1")
    tab.click("Back to the agenda")
    tab.click("Read the minutes")
    expect(page.get_by_role("main")).to_contain_text("Granted; no sightings since")

    analyst = browse()
    analyst.sign_in(users["analyst"])
    analyst.visit(f"/disruption/activities/{order.reference}/")
    analyst.click("Record the outcome")
    analyst.page.get_by_label("Too early to say", exact=True).check()
    analyst.fill("What came of it?", "No sightings since the order")
    analyst.click("Save the outcome")
    analyst.click("Change the children")
    analyst.click("Save")
    expect(analyst.page.get_by_role("main")).to_contain_text("No sightings since the order")

    admin = browse()
    admin.sign_in(users["system_admin"])
    admin.visit("/manage/reference-data/disruption-tactics/")
    admin.click("Criminal Behaviour Order (change)")
    admin.page.get_by_label("The statute has been checked against the legislation").check()
    admin.click("Save changes")
    expect(admin.page.locator(".govuk-notification-banner")).to_contain_text("Criminal Behaviour Order changed")
    admin.click("Switch off Dispersal direction")
    admin.click("Switch off")
    admin.click("Add a tactic")
    admin.click("Add the tactic")
    expect(admin.page.locator(".govuk-error-summary")).to_contain_text("Enter the tactic's name")
