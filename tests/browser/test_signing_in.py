"""Signing in through the real pages: password, then the authenticator code; and
the first sign-in, which sets up the authenticator app from the page alone."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from hoth.accounts.models import Role
from hoth.audit.models import AuditEvent
from tests.conftest import current_code, make_user

pytestmark = pytest.mark.browser


def code_for_secret(secret_text):
    """What an authenticator app shows now for the setup key typed from the page."""
    key = base64.b32decode(secret_text.replace(" ", "").upper())
    return f"{totp(key):06d}"


def test_practitioner_signs_in_with_password_and_code_and_lands_on_their_home_page(browsing, users):
    practitioner = users["practitioner"]
    browsing.visit("/")
    # Not signed in: the service sends them to sign in first.
    expect(browsing.page.get_by_role("heading", level=1)).to_have_text("Sign in to Harm Outside the Home")
    browsing.screenshot("sign-in")

    browsing.sign_in_with_password(practitioner)
    expect(browsing.page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    browsing.screenshot("second-factor")

    wrong = f"{(int(current_code(practitioner)) + 1) % 1_000_000:06d}"
    browsing.fill("Security code", wrong)
    browsing.click("Sign in")
    expect(browsing.page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")

    # After a wrong code the authenticator refuses any code for a second.
    browsing.page.wait_for_timeout(1500)
    browsing.fill("Security code", current_code(practitioner))
    browsing.click("Sign in")
    expect(browsing.page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    expect(browsing.page.locator(".hoth-account-bar")).to_contain_text(practitioner.full_name)
    assert AuditEvent.objects.filter(action="sign_in", user=practitioner).count() == 1
    browsing.screenshot("home-practitioner")


def test_a_wrong_password_is_refused_with_one_message_that_does_not_say_which_part_was_wrong(browsing, users):
    browsing.visit("/account/sign-in/")
    browsing.fill("Email address", users["practitioner"].email)
    browsing.fill("Password", "not the password at all")
    browsing.click("Continue")
    summary = browsing.page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The email address or password is not correct")
    expect(browsing.page).to_have_title(
        "Error: Sign in – Harm Outside the Home – Cheshire East Safeguarding Children Partnership"
    )


def test_first_sign_in_sets_up_the_authenticator_from_the_page_and_shows_recovery_codes(browsing, agencies):
    newcomer = make_user(
        "new.starter@council.example", agencies["council"], Role.PRACTITIONER, full_name="Sam Newstarter", enrol=False
    )
    browsing.sign_in_with_password(newcomer)
    page = browsing.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator(".hoth-qr svg")).to_be_visible()
    browsing.screenshot("enrol")

    # Someone whose phone cannot scan the QR code types the key instead.
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret").inner_text()
    browsing.fill("Security code", code_for_secret(secret))
    browsing.click("Continue")

    expect(page.get_by_role("heading", name="Your authenticator app is set up")).to_be_visible()
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    browsing.screenshot("recovery-codes")

    browsing.click("I have saved my recovery codes")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    assert AuditEvent.objects.filter(action="mfa_enrolled", user=newcomer).count() == 1


def test_the_built_gov_uk_styles_and_scripts_load_under_the_content_security_policy(browsing, users):
    browsing.sign_in(users["practitioner"])
    page = browsing.page
    stylesheets = page.evaluate("() => [...document.styleSheets].map(s => new URL(s.href).pathname)")
    assert {"/static/vendor/hoth-govuk.css", "/static/vendor/moj/moj-frontend.min.css", "/static/css/hoth.css"} <= set(
        stylesheets
    )
    # GOV.UK Frontend's type scale (from the Sass build) and the partnership's own rules both apply.
    heading_size = page.get_by_role("heading", level=1).evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
    assert heading_size >= 27
    assert page.get_by_role("button", name="Sign out").evaluate("b => getComputedStyle(b).cursor") == "pointer"
    # The service's JavaScript module ran and started GOV.UK Frontend's components.
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    expect(page.locator("[data-module='govuk-service-navigation']")).to_have_attribute(
        "data-govuk-service-navigation-init", ""
    )
