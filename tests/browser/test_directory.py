"""The support services directory in a real browser: a child finds help by
need and town and can leave at once with "Exit this page"; a coordinator adds
a service, is warned that the children's words are hard, and publishes it.
Every page reached is scanned by axe (see conftest)."""

import pytest
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.synthetic.directory import generate_directory
from tests.conftest import make_user

pytestmark = pytest.mark.browser

EXIT_TO = "https://www.bbc.co.uk/weather"


def test_a_child_finds_help_at_school_in_crewe_and_can_exit_the_page(browsing, db):
    generate_directory(seed=1)
    page = browsing.visit("/help/")
    browsing.click("Help for children and young people")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find someone to help you")

    page.get_by_label("What do you need help with?").select_option(label="Help at school")
    page.get_by_label("Where do you live?").select_option("Crewe")
    page.get_by_label("How old are you?").fill("12")
    browsing.click("Find help")
    expect(page.get_by_role("heading", name="People who can help")).to_be_visible()
    browsing.screenshot("directory-children")
    browsing.click("Crewe Library Homework Club")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crewe Library Homework Club")
    expect(page.get_by_text("Kind helpers can help you with your work")).to_be_visible()
    assert page.context.cookies() == []  # not even a session or CSRF cookie

    # "Exit this page": a GOV.UK button that is a plain link to a neutral site,
    # so it works without JavaScript too.
    exit_button = page.get_by_role("button", name="Emergency Exit this page")
    expect(exit_button).to_have_attribute("href", EXIT_TO)
    expect(page.locator("[data-module='govuk-exit-this-page']")).to_have_attribute("data-govuk-exit-this-page-init", "")
    # The test must not leave the service, so point the button at a page of
    # ours; clicking it should blank the page and take the child away.
    page.evaluate(
        "(href) => document.querySelector('.govuk-exit-this-page__button').href = href",
        browsing.base_url + "/help/?left=1",
    )
    exit_button.click()
    page.wait_for_url("**/help/?left=1")
    browsing.check()


def test_parents_search_and_read_a_service(browsing, db):
    generate_directory(seed=1)
    page = browsing.visit("/help/parents-and-carers/")
    page.get_by_label("What kind of help").select_option(label="Drugs and alcohol")
    page.get_by_label("Town").select_option("Macclesfield")
    browsing.click("Search")
    browsing.click("Macclesfield and Poynton Young People's Drug and Alcohol Team")
    expect(page.get_by_text("01632 960")).to_be_visible()
    assert page.context.cookies() == []


def test_coordinator_adds_a_service_after_the_reading_age_warning_and_publishes_it(browsing, agencies):
    generate_directory(seed=1)
    coordinator = make_user("coord@council.example", agencies["council"], Role.COORDINATOR)
    page = browsing.sign_in(coordinator)
    browsing.visit("/manage/services/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support services directory")
    browsing.click("Add a service")
    page.get_by_label("Name", exact=True).fill("Alsager Chess Club")
    page.get_by_label("Provider", exact=True).fill("Alsager Library (demo)")
    page.get_by_label("What it offers", exact=True).fill("Weekly chess club for young people")
    page.get_by_label("Description for parents, carers and professionals").fill(
        "A weekly chess club run by library staff and volunteers."
    )
    page.get_by_label("Description for children", exact=True).fill(
        "Participation facilitates the development of strategic cognitive capabilities and interpersonal "
        "communication competencies."
    )
    page.get_by_label("Alsager", exact=True).check()
    browsing.click("Save")
    expect(page.locator(".govuk-warning-text")).to_contain_text("may be too hard to read")
    browsing.screenshot("directory-reading-age")
    browsing.check(again=True)
    browsing.click("Save anyway")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alsager Chess Club")
    browsing.click("Publish")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Alsager Chess Club published")
    browsing.visit("/manage/services/?show=stale")
    expect(page.get_by_text("Needs review").first).to_be_visible()
