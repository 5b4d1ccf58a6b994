"""Rates per 10,000 children and relative rate indices with their 95%
confidence intervals: worked by hand, and the interval's coverage checked by
simulation."""

import numpy as np
import pytest

from hoth.analytics.kpis.disproportionality import rates


def test_a_group_twice_as_likely_has_an_rri_of_two_and_katz_interval():
    found = {r.group: r for r in rates({"A": 30, "B": 70}, {"A": 1_000, "B": 9_000})}
    a = found["A"]
    assert a.rate == pytest.approx(300.0)
    assert a.rri == pytest.approx(0.03 / (70 / 9_000))
    # se = sqrt(1/30 - 1/1000 + 1/70 - 1/9000) = 0.215657…
    assert a.low == pytest.approx(a.rri * np.exp(-1.959964 * 0.2156568), rel=1e-5)
    assert a.high == pytest.approx(a.rri * np.exp(1.959964 * 0.2156568), rel=1e-5)
    assert a.over_represented and not found["B"].over_represented and found["B"].under_represented


def test_groups_without_a_population_or_anyone_counted_have_no_rri():
    found = {r.group: r for r in rates({"A": 0, "B": 12, "not known": 4}, {"A": 500, "B": 800, "C": 0})}
    assert set(found) == {"A", "B"}  # C has no children; "not known" no population
    assert found["A"].rate == 0 and found["A"].rri is None
    assert found["B"].rri is None  # no one counted outside B: nothing to compare with


def test_the_interval_covers_the_true_ratio_about_95_times_in_100():
    generator = np.random.default_rng(7)
    n, m, p, q = 2_000, 18_000, 0.02, 0.01
    covered = 0
    trials = 2_000
    for _ in range(trials):
        a, b = generator.binomial(n, p), generator.binomial(m, q)
        found = rates({"group": int(a), "rest": int(b)}, {"group": n, "rest": m})[0]
        covered += found.low <= p / q <= found.high
    assert 0.93 <= covered / trials <= 0.97
