"""Hotspot analytics, as a specification: on a synthetic partnership with
hotspots planted at known places (hoth/synthetic/hotspot_events.py), the scan
must find what was planted, flag little else, see the one that appears only in
the later year as new, and honour its filters."""

import json
from datetime import UTC, datetime

import h3
import numpy as np
import pytest
from scipy import stats

from hoth.analytics import hotspots
from hoth.analytics.hotspots import Events, Filter
from hoth.synthetic.hotspot_events import EVENING, PLANTED, SUMMER_MONTHS, generate

RESOLUTION = hotspots.DEFAULT_RESOLUTION
# Crewe station (cce, evenings), Macclesfield park (cse, summer, grows), Sandbach (the later year only).
CRE, MAC, SAN = PLANTED


def planted_cell(spot, resolution=RESOLUTION):
    return h3.latlng_to_cell(spot.lat, spot.lng, resolution)


def near_planted(rings=2, resolution=RESOLUTION):
    """Cells a planted hotspot can rightly make hot: Gi* sums each cell with its
    neighbours, so the neighbours of a hotspot share in it."""
    near = set()
    for spot in PLANTED:
        near |= set(h3.grid_disk(planted_cell(spot, resolution), rings))
    return near


@pytest.fixture(scope="module")
def synthetic():
    return generate(background=20_000, seed=1)


@pytest.fixture(scope="module")
def event_cells(synthetic):
    return hotspots.bin_events(synthetic.events, RESOLUTION)


@pytest.fixture(scope="module")
def whole_period(synthetic, event_cells):
    return hotspots.scan(synthetic.events, event_cells=event_cells)


# --- what was planted is found ---------------------------------------------------------------------


def test_every_planted_hotspot_is_a_significant_hot_cell(whole_period):
    for spot in PLANTED:
        i = whole_period.index(planted_cell(spot))
        assert whole_period.hot[i], spot.name
        assert whole_period.level[i] >= 2, spot.name  # at least 95% confidence after the FDR correction
        assert whole_period.z[i] > 3, spot.name


def test_background_cells_are_not_hot(whole_period):
    background = [c for c in whole_period.cells if c not in near_planted()]
    false_hot = [c for c in background if whole_period.classification(c) == "hot"]
    assert len(background) > 900
    assert len(false_hot) <= 0.01 * len(background)


def test_on_a_map_with_nothing_planted_the_corrected_scan_flags_nothing():
    nothing = generate(background=20_000, seed=2, planted=())
    corrected = hotspots.scan(nothing.events)
    uncorrected = hotspots.scan(nothing.events, correction="none")
    assert not corrected.hot.any() and not corrected.cold.any()
    assert hotspots.emerging(nothing.events, nothing.earlier, nothing.later).emerging_cells() == ()
    # Why the correction is the default: tested one by one, a few cells in a
    # hundred come out hot by chance (more than the nominal 2.5%, since cells
    # at a town's edge are only partly covered and pull the mean down).
    assert 0.01 < uncorrected.hot.mean() < 0.10
    assert uncorrected.correction == "none" and np.array_equal(uncorrected.q, uncorrected.p)


def test_hot_regions_are_centred_on_the_planted_places(whole_period):
    regions = whole_period.regions("hot")
    assert len(regions) == len(PLANTED)
    for spot in PLANTED:
        region = next(r for r in regions if planted_cell(spot) in r.cells)
        distance = h3.great_circle_distance(region.centre, (spot.lat, spot.lng), unit="m")
        assert distance < 250, spot.name
        assert region.peak_z > 3


def test_a_hotspots_events_are_mostly_the_planted_ones(synthetic, whole_period):
    region = next(r for r in whole_period.regions() if planted_cell(CRE) in r.cells)
    rows = whole_period.events_in(region.cells)
    assert len(rows) == region.events
    planted_share = np.mean(synthetic.planted_of[rows] == PLANTED.index(CRE))
    assert planted_share > 0.5
    assert set(synthetic.events.key(r) for r in rows[:3]) <= set(synthetic.events.ids.tolist())


def test_the_resolution_can_be_changed_and_coarse_cells_blur_small_hotspots(synthetic, whole_period):
    coarse = hotspots.scan(synthetic.events, resolution=8)
    assert coarse.resolution == 8
    assert {h3.get_resolution(c) for c in coarse.cells} == {8}
    for spot in (CRE, MAC):
        assert coarse.classification(planted_cell(spot, 8)) == "hot", spot.name
    # Sandbach's hotspot is there for one year of two: in cells seven times the
    # area its events are lost among the background, which is why resolution 9
    # (where it is found) is the default for towns.
    assert coarse.classification(planted_cell(SAN, 8)) == "not significant"
    assert whole_period.classification(planted_cell(SAN)) == "hot"


# --- emerging hotspots -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trends(synthetic, event_cells):
    return hotspots.emerging(synthetic.events, synthetic.earlier, synthetic.later, event_cells=event_cells)


def test_the_hotspot_planted_only_in_the_later_year_is_new(trends):
    assert trends.trend_of(planted_cell(SAN)) == "new"
    assert planted_cell(SAN) in trends.emerging_cells()
    assert not trends.earlier.hot[trends.earlier.index(planted_cell(SAN))]


def test_the_hotspot_that_tripled_is_intensifying_and_the_steady_one_persistent(trends):
    assert trends.trend_of(planted_cell(MAC)) == "intensifying"
    assert trends.trend_of(planted_cell(CRE)) == "persistent"
    assert planted_cell(CRE) not in trends.emerging_cells()


def test_no_background_cell_is_flagged_emerging(trends):
    assert not set(trends.emerging_cells()) - near_planted()


def test_a_hotspot_that_stops_is_diminishing(synthetic):
    # Swap the windows: Sandbach's hotspot was there "before" and is gone "after".
    event_cells = hotspots.bin_events(synthetic.events)
    ends = datetime(2026, 1, 1)
    shifted = Events.from_arrays(
        synthetic.events.lat,
        synthetic.events.lng,
        np.where(
            synthetic.events.time >= np.datetime64(synthetic.later[0]),
            synthetic.events.time - np.timedelta64(365, "D"),
            synthetic.events.time + np.timedelta64(366, "D"),
        ),
        synthetic.events.kind_codes,
        _harm_codes(synthetic.events),
    )
    swapped = hotspots.emerging(
        shifted, (datetime(2024, 1, 1), datetime(2025, 1, 1)), (datetime(2025, 1, 1), ends), event_cells=event_cells
    )
    assert swapped.trend_of(planted_cell(SAN)) == "diminishing"
    assert swapped.trend_of(planted_cell(CRE)) == "persistent"


def test_emerging_hotspots_honour_the_harm_type_filter(synthetic, event_cells):
    violence = hotspots.emerging(
        synthetic.events,
        synthetic.earlier,
        synthetic.later,
        Filter(harm_types={"serious-youth-violence"}),
        event_cells=event_cells,
    )
    cse = hotspots.emerging(
        synthetic.events, synthetic.earlier, synthetic.later, Filter(harm_types={"cse"}), event_cells=event_cells
    )
    assert violence.trend_of(planted_cell(SAN)) == "new"
    assert violence.trend_of(planted_cell(MAC)) == ""
    assert cse.trend_of(planted_cell(MAC)) == "intensifying"
    assert cse.trend_of(planted_cell(SAN)) == ""


def test_windows_must_not_overlap_or_fall_outside_the_filters_period(synthetic):
    with pytest.raises(ValueError, match="earlier window must end"):
        hotspots.emerging(synthetic.events, synthetic.later, synthetic.earlier)
    with pytest.raises(ValueError, match="outside the filter's period"):
        hotspots.emerging(
            synthetic.events,
            synthetic.earlier,
            synthetic.later,
            Filter(start=datetime(2025, 3, 1), end=datetime(2025, 6, 1)),
        )


def _harm_codes(events):
    return [tuple(code for code, on in zip(events.harm_codes, row) if on) for row in events.harm]


# --- filters ---------------------------------------------------------------------------------------


def test_a_period_filter_sees_the_sandbach_hotspot_only_in_the_later_year(synthetic, event_cells):
    earlier = hotspots.scan(
        synthetic.events, Filter(start=synthetic.earlier[0], end=synthetic.earlier[1]), event_cells=event_cells
    )
    later = hotspots.scan(
        synthetic.events, Filter(start=synthetic.later[0], end=synthetic.later[1]), event_cells=event_cells
    )
    assert earlier.classification(planted_cell(SAN)) == "not significant"
    assert later.classification(planted_cell(SAN)) == "hot"
    assert earlier.events_counted + later.events_counted == len(synthetic.events)


def test_a_harm_type_filter_keeps_only_that_harms_hotspots(synthetic, event_cells):
    cse = hotspots.scan(synthetic.events, Filter(harm_types={"cse"}), event_cells=event_cells)
    cce = hotspots.scan(synthetic.events, Filter(harm_types={"cce"}), event_cells=event_cells)
    assert cse.classification(planted_cell(MAC)) == "hot"
    assert cse.classification(planted_cell(CRE)) != "hot"
    assert cce.classification(planted_cell(CRE)) == "hot"
    assert cce.classification(planted_cell(MAC)) != "hot"
    assert cse.filter.harm_types == frozenset({"cse"})


def test_a_kind_filter_keeps_only_that_kind_of_event(synthetic, event_cells):
    found = hotspots.scan(synthetic.events, Filter(kinds={"missing_found"}), event_cells=event_cells)
    assert found.classification(planted_cell(CRE)) == "hot"
    assert found.classification(planted_cell(MAC)) != "hot"
    assert found.events_counted == int((synthetic.events.kind_codes == "missing_found").sum())


def test_an_unknown_harm_type_counts_nothing(synthetic, event_cells):
    result = hotspots.scan(synthetic.events, Filter(harm_types={"no-such-harm"}), event_cells=event_cells)
    assert result.events_counted == 0 and len(result.cells) == 0 and not result.hot.any()


# --- time patterns ---------------------------------------------------------------------------------


def test_the_time_profile_shows_evening_and_summer_hotspots(synthetic, whole_period):
    events = synthetic.events
    background = hotspots.time_profile(events, np.flatnonzero(synthetic.planted_of == -1))
    crewe = hotspots.time_profile(events, whole_period.events_in([planted_cell(CRE)]))
    park = hotspots.time_profile(events, whole_period.events_in([planted_cell(MAC)]))
    assert crewe.share_of_hours(EVENING) > 0.7
    assert crewe.share_of_hours(EVENING) > background.share_of_hours(EVENING) + 0.15
    assert park.share_of_months(SUMMER_MONTHS) > 0.4
    assert park.share_of_months(SUMMER_MONTHS) > background.share_of_months(SUMMER_MONTHS) + 0.15
    assert background.total == int((synthetic.planted_of == -1).sum())
    assert sum(background.weekdays) == sum(background.months) == background.total


def test_time_profile_reads_hours_days_and_months():
    times = [datetime(2025, 8, 4, 21, 30), datetime(2025, 1, 1, 0, 5)]
    events = Events.from_arrays([53.1, 53.1], [-2.4, -2.4], times, ["incident", "incident"])
    profile = hotspots.time_profile(events)
    assert profile.hours[21] == profile.hours[0] == 1
    assert profile.weekdays[0] == 1  # 4 August 2025 was a Monday
    assert profile.weekdays[2] == 1  # 1 January 2025 a Wednesday
    assert profile.months[7] == profile.months[0] == 1


# --- Gi* itself and its inference ------------------------------------------------------------------


def test_gi_star_matches_the_ord_and_getis_formula():
    cells = np.array(sorted(h3.str_to_int(c) for c in h3.grid_disk(planted_cell(CRE), 3)), dtype=np.uint64)
    counts = np.random.default_rng(5).poisson(4, len(cells)).astype(float)
    counts[len(cells) // 2] += 20
    adjacency = hotspots.neighbour_weights(cells, ring=1)
    result = hotspots.gi_star(counts, adjacency)

    # Ord and Getis (1995), binary weights with the cell itself included.
    n, mean = len(counts), counts.mean()
    s = np.sqrt((counts**2).mean() - mean**2)
    w = adjacency.toarray() + np.eye(n)
    weight_sums = w.sum(axis=1)
    spread = np.sqrt((n * (w**2).sum(axis=1) - weight_sums**2) / (n - 1))
    expected = (w @ counts - mean * weight_sums) / (s * spread)
    assert np.allclose(result.z, expected)
    assert np.allclose(result.p, 2 * stats.norm.sf(np.abs(expected)))


def test_neighbour_weights_follow_h3_adjacency():
    centre = planted_cell(CRE)
    cells = np.array(sorted(h3.str_to_int(c) for c in h3.grid_disk(centre, 2)), dtype=np.uint64)
    one = hotspots.neighbour_weights(cells, ring=1)
    two = hotspots.neighbour_weights(cells, ring=2)
    middle = int(np.searchsorted(cells, h3.str_to_int(centre)))
    assert one[middle].sum() == 6 and two[middle].sum() == 18
    assert (one != one.T).nnz == 0 and one.diagonal().sum() == 0
    assert set(one.sum(axis=1).A1) == {3, 4, 6}  # the outer ring's cells have fewer neighbours in the area


def test_permutation_inference_is_seeded_and_recorded(synthetic, event_cells):
    options = {"event_cells": event_cells, "inference": "permutation", "correction": "none"}
    first = hotspots.scan(synthetic.events, seed=7, **options)
    again = hotspots.scan(synthetic.events, seed=7, **options)
    other = hotspots.scan(synthetic.events, seed=8, **options)
    assert np.array_equal(first.p, again.p) and np.array_equal(first.hot, again.hot)
    assert not np.array_equal(first.p, other.p)
    assert (first.inference, first.permutations, first.seed) == ("permutation", 999, 7)
    assert first.p.min() >= 2 / 1000
    for spot in (CRE, MAC):
        assert first.classification(planted_cell(spot)) == "hot", spot.name


def test_an_analytical_scan_records_no_seed(whole_period):
    assert (whole_period.inference, whole_period.permutations, whole_period.seed) == ("analytical", 0, None)
    assert whole_period.correction == "fdr" and whole_period.alpha == 0.05


def test_classification_bins_by_corrected_p_value():
    z = np.array([4.0, 2.5, 1.8, 0.5, -2.5, 0.0])
    q = np.array([0.001, 0.03, 0.07, 0.6, 0.02, 1.0])
    hot, cold, level = hotspots.classify(z, q, alpha=0.05)
    assert hot.tolist() == [True, True, False, False, False, False]
    assert cold.tolist() == [False, False, False, False, True, False]
    assert level.tolist() == [3, 2, 1, 0, -2, 0]


# --- output for the map ----------------------------------------------------------------------------


def test_rows_carry_each_cells_polygon_for_the_map(whole_period):
    rows = whole_period.rows(significant_only=True)
    assert rows and all(r.classification in ("hot", "cold") for r in rows)
    assert [r.z for r in rows] == sorted((r.z for r in rows), reverse=True)
    top = rows[0]
    assert len(top.boundary) == 6
    assert all(abs(lat - top.centre[0]) < 0.01 and abs(lng - top.centre[1]) < 0.01 for lat, lng in top.boundary)
    assert top.confidence in (90, 95, 99)
    json.dumps([r.as_dict() for r in rows])
    assert len(whole_period.rows()) == len(whole_period.cells)


def test_the_same_input_gives_the_same_scan(synthetic, event_cells, whole_period):
    again = hotspots.scan(synthetic.events, event_cells=event_cells)
    for name in ("cell_ids", "counts", "z", "p", "q", "hot", "cold", "level", "event_cell"):
        assert np.array_equal(getattr(again, name), getattr(whole_period, name)), name


def test_a_given_area_counts_its_empty_cells_and_what_falls_outside(synthetic, event_cells):
    crewe_cells = set(h3.grid_disk(planted_cell(CRE), 6))
    result = hotspots.scan(synthetic.events, area=crewe_cells, event_cells=event_cells)
    assert set(result.cells) == crewe_cells
    assert result.outside == len(synthetic.events) - result.events_counted > 0
    assert result.classification(planted_cell(CRE)) == "hot"
    with pytest.raises(ValueError, match="resolution 9"):
        hotspots.scan(synthetic.events, area=[h3.latlng_to_cell(CRE.lat, CRE.lng, 7)], event_cells=event_cells)


# --- events in --------------------------------------------------------------------------------------


def test_events_from_records_take_several_harm_types_and_aware_times():
    records = [
        (53.0894, -2.4334, datetime(2025, 7, 1, 20, 0, tzinfo=UTC), "referral_place", ["cce", "cse"], "r:1"),
        (53.0894, -2.4334, datetime(2025, 7, 1, 12, 0), "intelligence", None, "i:7"),
    ]
    events = Events.from_records(records)
    assert events.harm_codes == ("cce", "cse")
    assert Filter(harm_types={"cse"}).mask(events).tolist() == [True, False]
    assert Filter(harm_types={"cce", "cse"}).mask(events).sum() == 1  # counted once, not once per harm type
    assert hotspots.time_profile(events).hours[21] == 1  # 20:00 UTC is 21:00 in a British summer
    assert events.key(0) == "r:1"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"lat": [95.0]}, "coordinates"),
        ({"lng": [float("nan")]}, "coordinates"),
        ({"kind": ["gossip"]}, "unknown kind 'gossip'"),
        ({"time": [None]}, "no time"),
    ],
)
def test_bad_events_are_refused_with_a_clear_message(change, message):
    values = {"lat": [53.1], "lng": [-2.4], "time": [datetime(2025, 1, 1)], "kind": ["incident"]}
    values.update(change)
    with pytest.raises(ValueError, match=message):
        Events.from_arrays(values["lat"], values["lng"], values["time"], values["kind"])


def test_bad_options_are_refused(synthetic):
    with pytest.raises(ValueError, match="end after it starts"):
        Filter(start=datetime(2025, 1, 1), end=datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="unknown kind"):
        Filter(kinds={"rumour"})
    with pytest.raises(ValueError, match="inference"):
        hotspots.scan(synthetic.events, inference="bayesian")


def test_no_events_give_an_empty_scan():
    result = hotspots.scan(Events.from_records([]))
    assert len(result.cells) == 0 and result.rows() == () and result.regions() == ()


def test_a_lone_cell_is_never_significant():
    events = Events.from_arrays([53.0894] * 3, [-2.4334] * 3, [datetime(2025, 1, 1)] * 3, ["incident"] * 3)
    result = hotspots.scan(events)
    assert result.counts.tolist() == [3] and not result.hot.any() and result.p.tolist() == [1.0]


def test_uk_wall_clock_agrees_with_the_time_zone_database_across_every_change_of_the_clocks():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from hoth.analytics.hotspots import uk_wall_clock

    rng = np.random.default_rng(11)
    start = datetime(2000, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(seconds=int(s)) for s in rng.integers(0, 36 * 365 * 86400, size=5000)]
    # Each change of the clocks, and a second either side of it.
    for year in range(2000, 2036):
        for month in (3, 10):
            last = datetime(year, month, 31, 1, tzinfo=UTC)
            change = last - timedelta(days=(last.weekday() - 6) % 7)
            moments += [change - timedelta(seconds=1), change, change + timedelta(seconds=1)]
    utc = np.array([m.replace(tzinfo=None) for m in moments], "datetime64[s]")
    expected = np.array(
        [m.astimezone(ZoneInfo("Europe/London")).replace(tzinfo=None) for m in moments], "datetime64[s]"
    )
    assert np.array_equal(uk_wall_clock(utc), expected)
    assert np.isnat(uk_wall_clock(np.array(["NaT"], "datetime64[s]"))[0])
