"""The board's figures in the browser: a board member reads the dashboard,
filters by area, opens a measure's breakdowns and its definition, and works
a month out again; a practitioner reads the definitions but no figure."""

import os
import re

import pytest
from playwright.sync_api import expect

from hoth.insight import reference, services
from hoth.insight.models import Snapshot
from hoth.synthetic.generator import generate

pytestmark = pytest.mark.browser


@pytest.fixture
def frozen(db):
    reference.load()
    # The user guide's pictures need a partnership big enough to show figures;
    # the test itself asks nothing of the numbers.
    generate("small" if os.environ.get("HOTH_SCREENSHOTS") == "1" else "tiny", seed=5)
    return services.take_snapshot(services.last_ended_month())


def test_a_board_member_reads_the_figures_filters_them_and_works_a_month_out_again(
    browsing, users, frozen, live_worker
):
    page = browsing.sign_in(users["manager"])
    browsing.click("Board figures", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("The board's figures")
    main = page.get_by_role("main")
    for objective in ("Prevention and early identification", "Protecting through support and intervention"):
        expect(page.get_by_role("heading", level=2, name=objective)).to_be_visible()
    expect(
        page.get_by_role("heading", level=3, name="Children first identified before harm is significant")
    ).to_be_visible()
    # Chart.js drew the trends it has figures for, from the tables beside them.
    expect(main.locator("canvas").first).to_be_visible()
    browsing.screenshot("board-dashboard")

    page.get_by_label("Area").select_option("Crewe")
    browsing.click("Show these figures")
    expect(main).to_contain_text("for children living in Crewe")

    browsing.visit("/board/")
    browsing.click(
        re.compile(r"^Breakdowns for .*: Children first identified before harm is significant$"), role="link"
    )
    expect(page.get_by_role("table", name="By ethnicity")).to_be_visible()
    expect(page.get_by_role("table", name="By town of their current address")).to_be_visible()
    browsing.screenshot("board-breakdowns")
    browsing.click("How it is worked out")
    expect(page.locator("pre.hoth-code")).to_contain_text("def first_identified_below_high")

    browsing.visit("/board/measures/children-screened-high/figures/")
    expect(page.get_by_role("table", name="By ethnicity")).to_contain_text("Relative rate (95% interval)")
    expect(main).to_contain_text("These population figures are synthetic")
    browsing.screenshot("board-disproportionality")

    browsing.visit("/board/snapshots/")
    browsing.click("Work it out again")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the month to work out again")
    page.get_by_label("Month").select_option(frozen.month.isoformat())
    browsing.fill("Why it must be worked out again", "Late missing episodes from the police")
    browsing.click("Work it out again")
    live_worker.start()
    expect(page.get_by_role("heading", name=re.compile("worked out again"))).to_be_visible(timeout=60_000)
    browsing.check(again=True)
    live_worker.stop()
    browsing.click("See what changed")
    expect(page.get_by_role("main")).to_contain_text("Late missing episodes from the police")
    assert Snapshot.objects.filter(month=frozen.month).count() == 2
    assert Snapshot.objects.get(month=frozen.month, is_current=True).replaces == frozen


def test_a_practitioner_reads_what_the_measures_mean_but_sees_no_figure(browsing, users, frozen):
    page = browsing.sign_in(users["practitioner"])
    expect(page.get_by_role("link", name="Board figures")).to_have_count(0)
    browsing.click("Measures", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("The board's measures")
    browsing.screenshot("board-measures")
    for path in ("/board/", "/board/snapshots/", "/board/measures/repeatedly-missing/figures/"):
        response = page.goto(browsing.base_url + path)
        browsing.check()
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_contain_text("You do not have access")


def test_a_system_administrator_loads_the_child_population_and_is_shown_each_bad_row(browsing, users, tmp_path):
    from hoth.contexts import reference as towns

    towns.load()
    bad = tmp_path / "population.csv"
    bad.write_text("year,area,age,sex,ethnicity,population\n2025,Crewe,14,F,W1,812\n2025,Atlantis,4,F,W1,3\n")
    good = tmp_path / "population-2025.csv"
    good.write_text("year,area,age,sex,ethnicity,population\n2025,Crewe,14,F,W1,812\n2025,Crewe,14,M,W1,790\n")
    page = browsing.sign_in(users["system_admin"])
    browsing.click("Reference data", role="link")
    browsing.click("the child population", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Child population")
    page.get_by_label("CSV file").set_input_files(str(bad))
    browsing.fill("Where the figures come from", "ONS mid-year estimates 2025")
    browsing.click("Upload and load")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Line 3: Town 'Atlantis' is not a town of the partnership"
    )
    browsing.screenshot("child-population-problems")
    page.get_by_label("CSV file").set_input_files(str(good))
    browsing.fill("Where the figures come from", "ONS mid-year estimates 2025")
    browsing.click("Upload and load")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 rows of the child population loaded for 2025")
    expect(page.get_by_role("table", name="Loaded")).to_contain_text("1,602")
