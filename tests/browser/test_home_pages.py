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


def test_a_manager_reads_the_register_by_town_with_small_counts_hidden(browsing, agencies, users):
    from datetime import date

    from hoth.people.models import Address, Person

    for town, how_many in (("Crewe", 14), ("Macclesfield", 9), ("Congleton", 6), ("Nantwich", 3)):
        for n in range(how_many):
            person = Person.objects.create(
                given_names=f"Child{n}",
                family_name=town,
                date_of_birth=date(2012, 1, 1),
                created_by=users["coordinator"],
            )
            Address.objects.create(person=person, line1=f"{n} High Street", town=town, postcode="CW1 1AA")
    page = browsing.sign_in(users["manager"])
    panel = page.locator(
        ".govuk-grid-column-one-half", has=page.get_by_role("heading", name="People on the register by town")
    )
    expect(panel.locator(".govuk-summary-list__row")).to_have_text(
        ["Crewe 14 people", "Macclesfield 9 people", "Congleton 6 people", "Other towns [c]"]
    )
    expect(panel).to_contain_text("[c] people by the town of their current address. [c] is a count under 5")
    expect(panel).not_to_contain_text("Nantwich")
    expect(panel).not_to_contain_text("Child")
    browsing.screenshot("home-manager-counts")
