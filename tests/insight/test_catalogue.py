"""The catalogue of measures: versioned reference data whose every
definition names the code that works it out, shown to all staff."""

import json

import pytest

from hoth.analytics.kpis.calculation import COUNT, MEAN, MEDIAN, PROPORTION
from hoth.analytics.kpis.registry import CALCULATIONS
from hoth.insight import reference
from hoth.insight.models import Measure, Unit

pytestmark = pytest.mark.django_db

# The units each kind of figure may be shown in.
UNITS_OF = {
    PROPORTION: {Unit.PERCENT},
    COUNT: {Unit.COUNT},
    MEDIAN: {Unit.YEARS},
    MEAN: {Unit.POINTS, Unit.PERCENTAGE_POINTS, Unit.EPISODES},
}


def test_every_measure_names_a_calculation_that_counts_what_it_says(measures):
    current = Measure.objects.current()
    assert current.count() == len(reference.published()["measures"])
    for measure in current:
        calculation = CALCULATIONS[measure.calculation]
        assert measure.counts == calculation.counts, measure.code
        assert measure.unit in UNITS_OF[calculation.kind], measure.code
        assert bool(measure.denominator) == (calculation.kind != COUNT), measure.code
        assert measure.question and measure.numerator and measure.period and measure.sources


def test_every_calculation_has_a_measure(measures):
    assert set(CALCULATIONS) == set(Measure.objects.current().values_list("calculation", flat=True))


def test_loading_again_changes_nothing_and_a_new_version_keeps_the_old_one(measures, tmp_path, monkeypatch):
    reference.load()
    assert Measure.objects.count() == Measure.objects.current().count()
    published = reference.published()
    changed = published["measures"][0]
    changed |= {"version": 2, "numerator": "Children first screened at Low only."}
    fixture = tmp_path / "measures.json"
    fixture.write_text(json.dumps(published))
    monkeypatch.setattr(reference, "FIXTURE", fixture)
    reference.load()
    versions = Measure.objects.filter(code=changed["code"]).order_by("version")
    assert [(m.version, m.is_current) for m in versions] == [(1, False), (2, True)]
    assert versions[1].numerator == "Children first screened at Low only."


def test_a_measure_shows_its_figures_in_its_unit(measures):
    measure = Measure.objects.get(code="screened-within-standard")
    assert measure.shown(92.345) == "92.3%"
    assert measure.shown(100.0) == "100%"
    assert measure.target_shown == "95% (within 3%)"
    assert Measure.objects.get(code="change-in-feeling-safe").target_shown == "+1.0 points (within 0.5 points)"
    assert Measure.objects.get(code="age-at-first-referral").target_shown == "None set"


def test_the_data_dictionary_lists_every_measure_under_its_objective(measures, users, verified_client):
    page = verified_client(users["practitioner"]).get("/board/measures/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Prevention and early identification" in text
    assert "Protecting through support and intervention" in text
    for measure in Measure.objects.current():
        assert f'href="/board/measures/{measure.code}/"' in text


def test_a_measure_shows_its_definition_and_the_code_that_works_it_out(measures, users, verified_client):
    page = verified_client(users["school_practitioner"]).get("/board/measures/repeatedly-missing/")
    text = page.content.decode()
    assert "Children repeatedly missing" in text
    assert "2 or more episodes in 30 days" in text
    assert "def repeatedly_missing(records: Records)" in text
    assert "hoth.analytics.kpis.repeat_harm" in text


def test_an_unknown_measure_is_not_found(measures, users, verified_client):
    assert verified_client(users["manager"]).get("/board/measures/no-such-measure/").status_code == 404
