"""The child population: loaded all or nothing with every bad row listed,
the demonstration's synthetic table consistent with its generator, and the
rates the breakdowns show against it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoth.audit.models import AuditEvent
from hoth.contexts import reference as towns
from hoth.insight import population, selectors
from hoth.insight.models import ChildPopulation
from hoth.synthetic import data
from hoth.synthetic import population as synthetic
from tests.conftest import verified_client_for

pytestmark = pytest.mark.django_db

GOOD = "year,area,age,sex,ethnicity,population\n2025,Crewe,14,F,W1,812\n2025,Crewe,14,M,A3,40\n2025,Nantwich,9,F,B1,7\n"


@pytest.fixture
def town_list(db):
    towns.load()


def test_a_good_file_loads_and_replaces_its_years(town_list, users):
    loaded = population.load(GOOD, source="ONS mid-year estimates 2025", user=users["system_admin"])
    assert (loaded.rows, loaded.years, loaded.problems) == (3, [2025], [])
    again = population.load(GOOD.replace("812", "800"), source="ONS 2025 revised", user=users["system_admin"])
    assert again.rows == 3 and ChildPopulation.objects.count() == 3
    assert ChildPopulation.objects.get(area="Crewe", sex="F").count == 800
    assert AuditEvent.objects.filter(action="admin", detail__reference_data="child_population").count() == 2


def test_a_file_with_any_bad_row_changes_nothing_and_lists_every_problem(town_list, users):
    population.load(GOOD, source="ONS 2025", user=users["system_admin"])
    bad = (
        "year,area,age,sex,ethnicity,population\n"
        "2025,Crewe,14,F,W1,900\n"
        "2025,Atlantis,19,X,ZZ,-3\n"
        "twenty,Crewe,4,M,W1,10\n"
        "2025,Crewe,14,F,W1,5\n"
    )
    loaded = population.load(bad, source="ONS 2025", user=users["system_admin"])
    assert loaded.rows == 0
    messages = {p.line: p.message for p in loaded.problems}
    assert set(messages) == {3, 4, 5}
    assert "Town 'Atlantis' is not a town of the partnership" in messages[3]
    assert "age '19'" in messages[3] and "sex 'X'" in messages[3] and "ethnic group 'ZZ'" in messages[3]
    assert "population '-3'" in messages[3]
    assert "Year 'twenty' is not a year" in messages[4]
    assert "as line 2" in messages[5]
    assert ChildPopulation.objects.get(area="Crewe", sex="F").count == 812  # nothing changed


def test_a_file_without_the_header_is_refused(town_list):
    loaded = population.load("2025,Crewe,14,F,W1,812\n", source="x", user=None)
    assert loaded.problems[0].line == 1 and "first row must name the columns" in loaded.problems[0].message


def test_the_synthetic_population_follows_the_generators_towns_and_ethnic_mix():
    rows = synthetic.rows(2026)
    total = sum(r[5] for r in rows)
    assert abs(total - synthetic.CHILDREN) / synthetic.CHILDREN < 0.02
    assert {r[1] for r in rows} == {town.name for town in data.TOWNS}
    mix = sum(share for _, share in data.ETHNICITY_MIX)
    white_british = sum(r[5] for r in rows if r[4] == "W1") / total
    assert white_british == pytest.approx(74.4 / mix, abs=0.01)
    crewe = sum(r[5] for r in rows if r[1] == "Crewe") / total
    assert crewe == pytest.approx(75 / sum(t.population for t in data.TOWNS), abs=0.01)


def test_denominators_fall_back_to_the_latest_year_loaded_and_band_ages(town_list):
    population.load(GOOD, source="ONS 2025", user=None)
    found = population.denominators(2027)
    assert found.year == 2025
    assert found.by["age_band"] == {"13 to 15": 852, "under 10": 7}
    assert found.by["sex"] == {"F": 819, "M": 40}
    assert found.by["town"] == {"Crewe": 852, "Nantwich": 7}
    assert population.denominators(2020).year == 2025  # the earliest there is


def test_the_generator_loads_the_synthetic_population_and_breakdowns_show_rates(client, staff, frozen):
    assert ChildPopulation.objects.filter(is_synthetic=True).exists()
    board = verified_client_for(client, staff["manager"])
    quarter = selectors.latest_whole_quarter(frozen)
    page = board.get("/board/measures/children-screened-high/figures/", {"quarter": quarter}).content.decode()
    assert "Per 10,000 children" in page and "Relative rate (95% interval)" in page
    assert "These population figures are synthetic" in page
    found = selectors.breakdowns(frozen, "children-screened-high", quarter)
    ethnicity = next(t for t in found.tables if t.dimension == "ethnicity")
    for row in ethnicity.rows:
        if row.rate_shown:
            assert row.rate.rate == pytest.approx(10_000 * row.figure.units / row.rate.population)
        assert not row.rri_shown or all(r.figure.units_shown for r in ethnicity.rows)


def test_a_system_administrator_uploads_the_population_and_sees_each_bad_row(client, users, town_list):
    admin = verified_client_for(client, users["system_admin"])
    upload = SimpleUploadedFile("population.csv", b"year,area,age,sex,ethnicity,population\n2025,Atlantis,4,F,W1,3\n")
    page = admin.post("/manage/reference-data/child-population/", {"file": upload, "source": "ONS 2025"})
    text = page.content.decode()
    assert "nothing was loaded" in text and "Line 2: Town &#x27;Atlantis&#x27; is not a town of the partnership" in text
    assert not ChildPopulation.objects.exists()
    upload = SimpleUploadedFile("population.csv", GOOD.encode())
    page = admin.post("/manage/reference-data/child-population/", {"file": upload, "source": "ONS 2025"}, follow=True)
    assert "3 rows of the child population loaded for 2025" in page.content.decode()
