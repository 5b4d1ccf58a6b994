"""The safety and support plan in the browser: the lead professional builds
a plan with a goal, an action and a service referral, then reviews it; a
second practitioner's conflicting edit is caught and loses nothing. Every
page is checked with axe by the browsing fixture."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.cases.models import Case, CaseMember
from hoth.directory.models import Service
from hoth.people.models import Involvement, Person
from hoth.plans.models import Plan, Review
from hoth.tasks.models import Task
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def tyler_case(users, agencies):
    lead = users["practitioner"]
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=person, user=lead, kind=Involvement.Kind.LEAD_PROFESSIONAL)
    case = Case.objects.create(person=person, lead_professional=lead, opened_by=users["coordinator"])
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=40))
    worker = make_user("youth@health.example", agencies["health"], Role.PRACTITIONER, full_name="Sam Patel")
    involvement = Involvement.objects.create(person=person, user=worker, kind=Involvement.Kind.TEAM)
    CaseMember.objects.create(
        case=case, user=worker, agency=agencies["health"], role="Youth worker", added_by=lead, involvement=involvement
    )
    Service.objects.create(
        name="Crewe Youth Hub",
        provider="Cheshire East Youth Service",
        offers="Someone to talk to",
        description_adult="Mentoring for young people at risk of exploitation.",
        description_child="You can talk to a youth worker about anything.",
        towns=["Crewe"],
        phone="01270 000000",
        opening_hours="Monday to Friday, 3pm to 8pm",
        is_published=True,
    )
    return case, worker


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_lead_builds_and_reviews_a_plan_and_a_conflicting_edit_is_caught(browse, users, tyler_case):
    case, worker = tyler_case
    today = timezone.localdate()
    lead_tab = browse()
    page = lead_tab.sign_in(users["practitioner"])

    lead_tab.visit(f"/plans/{case.reference}/")
    lead_tab.click("Start the plan")
    lead_tab.fill("Goals (optional)", "I feel safe walking to school")
    lead_tab.fill("What I want to happen (optional)", "I want the older boys to leave me alone")
    lead_tab.fill("Who I trust (optional)", "My nan")
    fill_date(page, "Review date", today + timedelta(days=28))
    lead_tab.click("Save the plan")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 1 of the plan has been saved")

    lead_tab.click("Add an action")
    lead_tab.fill("What will be done", "Weekly mentoring after school")
    page.get_by_label("Who will do it").select_option(label=f"Sam Patel ({worker.agency.name})")
    fill_date(page, "Due date", today + timedelta(days=7))
    lead_tab.click("Add the action")
    expect(page.locator("main")).to_contain_text("Weekly mentoring after school")
    assert Task.objects.get(owner=worker).case == case

    lead_tab.click("Refer to a service")
    page.get_by_label("Which service").select_option(label="Crewe Youth Hub (Cheshire East Youth Service)")
    page.get_by_label("Referred", exact=True).check()
    lead_tab.click("Add to the plan")
    expect(page.locator("main")).to_contain_text("Crewe Youth Hub")
    lead_tab.screenshot("plan")

    # The youth worker opens the plan to edit while the lead changes it too.
    worker_tab = browse()
    other = worker_tab.sign_in(worker)
    worker_tab.visit(f"/plans/{case.reference}/edit/")
    lead_tab.visit(f"/plans/{case.reference}/edit/")
    lead_tab.fill("Who I trust (optional)", "My nan and my coach")
    lead_tab.click("Save the plan")
    worker_tab.fill("Who I trust (optional)", "My nan and Sam")
    worker_tab.click("Save the plan")
    expect(other.locator(".govuk-error-summary")).to_contain_text("Someone else changed this plan")
    expect(other.locator("#conflict")).to_contain_text("My nan and my coach")
    expect(other.get_by_label("Who I trust (optional)", exact=True)).to_have_value("My nan and Sam")
    assert Plan.objects.get(case=case).child_trusts == "My nan and my coach"
    worker_tab.click("Save the plan")
    expect(other.locator(".govuk-notification-banner")).to_contain_text("has been saved")
    assert Plan.objects.get(case=case).child_trusts == "My nan and Sam"

    # The child-friendly version, then a review.
    lead_tab.visit(f"/plans/{case.reference}/")
    lead_tab.click("Child-friendly version to print")
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.locator("main")).to_contain_text("01270 000000")
    lead_tab.screenshot("plan-print")
    lead_tab.click("Back to the plan")
    lead_tab.click("Record a review")
    fill_date(page, "Date of the review", today)
    lead_tab.fill("How safe does the child feel, from 0 to 10? (optional)", "6")
    lead_tab.fill("How happy and well does the child feel, from 0 to 10? (optional)", "7")
    lead_tab.fill("Your rating of how safe the child is, from 0 to 10", "5")
    lead_tab.fill("School attendance since the last review (%) (optional)", "88.5")
    lead_tab.fill("What has changed since the last review", "Going to the youth hub every week")
    fill_date(page, "Date of the next review", today + timedelta(days=42))
    lead_tab.click("Record the review")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review of")
    review = Review.objects.get(case=case)
    assert (review.child_feels_safe, review.child_wellbeing, review.practitioner_rating) == (6, 7, 5)
    assert str(review.school_attendance) == "88.5"
