"""Every role signs in with its second factor and reaches a home page made for it."""

import pytest
from playwright.sync_api import expect

from hoth.accounts.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# The panel only that role's home page shows (every role also sees its notifications).
OWN_PANEL = {
    Role.PRACTITIONER: "People you work with",
    Role.COORDINATOR: "The register",
    Role.ANALYST: "The register",
    Role.PANEL_CHAIR: "People you work with",
    Role.MANAGER: "People on the register by town",
    Role.AUDITOR: "Last 30 days",
    Role.AGENCY_ADMIN: "Accounts",
    Role.SYSTEM_ADMIN: "Accounts",
}


def test_every_role_has_a_home_page_panel():
    assert set(OWN_PANEL) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_signs_in_with_a_second_factor_and_sees_its_own_home_page(browsing, agencies, role):
    user = make_user(f"{role.value}@council.example", agencies["council"], role, full_name=f"Alex {role.label}")
    page = browsing.sign_in(user)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    expect(page.locator(".hoth-account-bar")).to_contain_text(role.label)

    def panel(title):
        return page.get_by_role("heading", level=2, name=title, exact=True)

    expect(panel("Notifications")).to_have_count(1)
    expect(panel(OWN_PANEL[role])).to_have_count(1)
    for title in set(OWN_PANEL.values()) - {OWN_PANEL[role]}:
        expect(panel(title)).to_have_count(0)
    browsing.screenshot(f"home-{role.value.replace('_', '-')}")
