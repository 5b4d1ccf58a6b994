"""The warning before an idle session ends, in the browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def short_idle_timeout(settings):
    # Signed out after 8 idle seconds, warned 6 seconds before.
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 6


def test_an_idle_user_is_warned_can_stay_signed_in_and_is_signed_out_if_they_do_not_come_back(
    browsing, users, short_idle_timeout
):
    page = browsing.sign_in(users["practitioner"])
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=6000)
    browsing.check(again=True)
    browsing.screenshot("idle-warning")

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")

    # The warning comes back; this time nobody answers it.
    expect(dialog).to_be_visible(timeout=6000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Harm Outside the Home", timeout=10000)
    browsing.check()
    browsing.visit("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Harm Outside the Home")
