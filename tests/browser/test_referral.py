"""A school practitioner raises a referral about a child new to the
partnership, one question a page, with an accessibility scan of every page."""

import re

import pytest
from playwright.sync_api import expect

from hoth.notifications.models import Notification
from hoth.people.models import Person, SharingDecision
from hoth.referrals import reference
from hoth.referrals.models import Referral

pytestmark = pytest.mark.browser


@pytest.fixture
def harm_types(transactional_db):
    reference.load()


def heading(page):
    return page.get_by_role("heading", level=1)


def test_school_practitioner_raises_an_urgent_referral_about_a_new_child_through_the_whole_flow(
    browsing, users, harm_types
):
    teacher = users["school_practitioner"]
    page = browsing.sign_in(teacher)

    browsing.visit("/referrals/")
    browsing.click("Make a new referral")
    expect(heading(page)).to_have_text("Who or what is the referral about?")
    browsing.click("Continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the referral is about a child")
    page.get_by_label("A child", exact=True).check()
    browsing.click("Continue")

    expect(heading(page)).to_have_text("Which child is the referral about?")
    browsing.fill("Search for the child by name", "Ruby Hale")
    browsing.click("Search")
    expect(page.get_by_role("heading", name="0 children found")).to_be_visible()
    browsing.click("Record a new child")

    # Search before create, from the person register, then back to the referral.
    expect(heading(page)).to_have_text("Who are you recording?")
    browsing.fill("First names", "Ruby")
    browsing.fill("Family name", "Hale")
    browsing.fill("Day", "3")
    browsing.fill("Month", "2")
    browsing.fill("Year", "2011")
    browsing.click("Check for existing records")
    expect(heading(page)).to_have_text("Their details")
    browsing.click("Record this person")
    ruby = Person.objects.get(family_name="Hale")
    expect(heading(page)).to_have_text("Which child is the referral about?")
    browsing.click("Refer Ruby Hale")

    expect(heading(page)).to_have_text("What harm are you worried about?")
    browsing.click("Save and continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one type of harm")
    page.get_by_label("Child criminal exploitation, including county lines").check()
    page.get_by_label("Other harm outside the home").check()
    # "Other" reveals a box to say what it is.
    browsing.fill("What is the other harm?", "Carrying a knife")
    browsing.click("Save and continue")

    expect(heading(page)).to_have_text("What happened?")
    browsing.fill("What happened?", "Seen getting into a black BMW with two older males after school.")
    browsing.fill("Day", "3")
    browsing.fill("Month", "11")
    browsing.fill("Year", "2999")
    browsing.click("Save and continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date it happened must be today or in the past")
    browsing.fill("Year", "2026")
    browsing.click("Save and continue")

    expect(heading(page)).to_have_text("What does the child say? (optional)")
    browsing.fill("What does the child say? (optional)", "They're my mates, they give me lifts.")
    browsing.click("Save and continue")

    expect(heading(page)).to_have_text("People and places you can name")
    browsing.click("Add a person or place")
    page.get_by_label("A person", exact=True).check()
    browsing.fill("Name", "Dee")
    browsing.fill("What do you know about them? (optional)", "About 20, drives a black BMW")
    browsing.click("Add this person or place")
    expect(page.get_by_role("term").filter(has_text="Dee")).to_be_visible()
    browsing.click("Continue")

    expect(heading(page)).to_have_text("Is the child or anyone else in immediate danger?")
    page.get_by_label("Yes", exact=True).check()
    browsing.click("Save and continue")
    expect(heading(page)).to_have_text("Call 999 now")
    browsing.click(re.compile("continue$"))

    expect(heading(page)).to_have_text("Your details")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Crewe High School")
    browsing.fill("Your role", "Designated safeguarding lead")
    browsing.fill("Phone number", "07700 900982")
    browsing.click("Save and continue")

    expect(heading(page)).to_have_text("Did the child or family agree to this referral?")
    page.get_by_label("Consent was not sought").check()
    browsing.click("Save and continue")
    expect(heading(page)).to_have_text("What is your lawful basis for sharing without consent?")
    browsing.click("Save and continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the lawful basis for sharing without consent")
    page.get_by_label(re.compile("^Public task")).check()
    browsing.fill("Why are you sharing without consent?", "Asking her family would warn the men involved.")
    browsing.click("Save and continue")

    expect(heading(page)).to_have_text("Check your answers before sending the referral")
    expect(page.locator("main")).to_contain_text("Carrying a knife")
    browsing.click(re.compile("^Change what happened"))
    browsing.fill("What happened?", "Seen getting into a black BMW with two older males after school, twice.")
    browsing.click("Save and continue")
    expect(heading(page)).to_have_text("Check your answers before sending the referral")
    expect(page.locator("main")).to_contain_text("twice")
    browsing.click("Send the referral")

    referral = Referral.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    assert referral.person == ruby and referral.is_urgent and referral.status == "submitted"
    assert SharingDecision.objects.get(person=ruby).lawful_basis == "public_task"
    assert Notification.objects.filter(user=users["coordinator"]).exists()

    browsing.click("View the referral you sent")
    expect(heading(page)).to_have_text(f"Referral {referral.reference}")
    browsing.click("Add information")
    browsing.fill("What do you want to add?", "She was absent again on Monday.")
    browsing.click("Add to the referral")
    expect(page.locator("main")).to_contain_text("She was absent again on Monday.")
