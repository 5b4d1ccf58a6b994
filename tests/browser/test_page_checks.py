"""The checks every browser test relies on do catch what they are there to catch."""

import pytest

pytestmark = pytest.mark.browser


def test_a_script_refused_by_the_content_security_policy_fails_the_page(browsing):
    page = browsing.visit("/account/sign-in/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(200)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        browsing.check(again=True)


def test_an_inaccessible_change_to_a_page_fails_it(browsing):
    page = browsing.visit("/account/sign-in/")
    # An unlabelled text box: a serious failure for anyone using a screen reader.
    page.evaluate("() => document.querySelector('input[type=email]').labels[0].remove()")
    with pytest.raises(AssertionError, match="accessibility \\((serious|critical)\\).*label"):
        browsing.check(again=True)


def test_a_page_reached_without_being_checked_fails_the_test(browsing):
    page = browsing.visit("/account/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    page.go_back()
    with pytest.raises(AssertionError, match="page reached but never checked: .*/account/password-reset/"):
        browsing.check()
