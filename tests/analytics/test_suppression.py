"""Small counts are suppressed, and no suppressed count can be worked out
from what is shown: checked against a linear programme (scipy's HiGHS) that
knows only what a reader knows, the shown counts and totals and that no
count is negative. The tables of counts with their totals are transportation
polytopes, whose vertices are whole numbers, so a count the programme can
move is a count two whole-number tables disagree on."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from hoth.analytics.suppression import SMALLEST_SHOWN, Shown, protect, protect_counts, protect_together


def shown_grid(shown):
    """The shown table with its totals, as one grid (None where hidden)."""
    grid = [list(row) for row in shown.cells]
    if shown.row_totals is not None:
        grid = [row + [total] for row, total in zip(grid, shown.row_totals)]
    if shown.column_totals is not None:
        bottom = list(shown.column_totals) + ([shown.total] if shown.row_totals is not None else [])
        grid.append(bottom)
    return grid


def ranges(shown):
    """{(row, column): (least, most)} that each hidden count could be, given
    only what is shown."""
    grid = shown_grid(shown)
    hidden = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v is None]
    if not hidden:
        return {}
    index = {position: k for k, position in enumerate(hidden)}
    lines = []
    if shown.row_totals is not None:
        lines += [[(i, j) for j in range(len(grid[i]))] for i in range(len(grid))]
    if shown.column_totals is not None:
        lines += [[(i, j) for i in range(len(grid))] for j in range(len(grid[0]))]
    equations, constants = [], []
    for line in lines:
        # Every count of a line but its last (the total) adds up to the last.
        coefficients, constant = np.zeros(len(hidden)), 0.0
        for n, (i, j) in enumerate(line):
            sign = -1 if n == len(line) - 1 else 1
            if grid[i][j] is None:
                coefficients[index[(i, j)]] += sign
            else:
                constant -= sign * grid[i][j]
        equations.append(coefficients)
        constants.append(constant)
    # With no totals there is nothing to add up, and nothing to solve.
    equality = {"A_eq": equations, "b_eq": constants} if equations else {}
    found = {}
    for position, k in index.items():
        objective = np.zeros(len(hidden))
        objective[k] = 1
        low = linprog(objective, **equality, bounds=(0, None), method="highs")
        high = linprog(-objective, **equality, bounds=(0, None), method="highs")
        assert low.status == 0, "what is shown must be consistent"
        found[position] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return found


def assert_safe(shown, smallest=SMALLEST_SHOWN):
    grid = shown_grid(shown)
    for row in grid:
        assert all(v is None or v == 0 or v >= smallest for v in row), "a small count is shown"
    for (i, j), (least, most) in ranges(shown).items():
        assert most - least >= 1 - 1e-9, f"the hidden count at {(i, j)} can be worked out"


counts = st.integers(0, 30) | st.integers(0, 6)
tables = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=5)
)


@settings(max_examples=300, deadline=None)
@given(tables, st.booleans(), st.booleans())
def test_no_hidden_count_can_be_worked_out_from_what_is_shown(cells, row_totals, column_totals):
    shown = protect(cells, row_totals=row_totals, column_totals=column_totals)
    assert_safe(shown)
    # What is shown is what was counted.
    for row, shown_row in zip(cells, shown.cells):
        assert all(v is None or v == c for c, v in zip(row, shown_row))


@settings(max_examples=100, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12))
def test_a_list_with_its_total_gives_nothing_away(values):
    shown, total = protect_counts(values)
    assert total is None or total == sum(values)
    assert_safe(protect([values], column_totals=False))
    hidden = [v for v, s in zip(values, shown) if s is None]
    assert len(hidden) != 1 or total is None, "one hidden count beside its total is no secret"


def test_a_small_count_beside_its_total_hides_the_next_smallest():
    shown, total = protect_counts([9, 3, 20, 7])
    assert shown == [9, None, 20, None] and total == 39


def test_counts_of_five_or_more_and_zeros_are_all_shown():
    shown = protect([[5, 0], [12, 6]])
    assert shown.cells == ((5, 0), (12, 6)) and shown.row_totals == (5, 18) and shown.total == 23
    assert shown.suppressed == 0


def test_a_table_hides_a_cycle_of_counts_around_a_small_one():
    shown = protect([[20, 2, 30], [25, 40, 35], [50, 60, 70]])
    assert shown.cells[0][1] is None
    assert shown.suppressed == 4
    assert_safe(shown)


def test_a_small_total_is_hidden_with_what_adds_up_to_it():
    shown = protect([[1, 2], [30, 40]])
    assert shown.row_totals[0] is None and shown.cells[0] == (None, None)
    assert_safe(shown)


def test_nothing_counted_is_nothing_to_hide():
    assert protect_counts([]) == ([], 0)


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        protect([])
    with pytest.raises(ValueError, match="same number"):
        protect([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        protect([[1, -2]])


def test_the_checker_finds_a_count_given_away_by_its_total():
    leaky = Shown(cells=((9, None, 20),), row_totals=(32,), column_totals=None, total=None)
    with pytest.raises(AssertionError, match="can be worked out"):
        assert_safe(leaky)


def together_ranges(tables, shown):
    """{(table, row, column): (least, most)} for each hidden count of tables
    that share their row totals, given only what all of them show: one
    unknown for each hidden cell, and one for each hidden shared total."""
    unknowns = {}
    for t, table in enumerate(shown):
        for i, row in enumerate(table.cells):
            for j, value in enumerate(row):
                if value is None:
                    unknowns[(t, i, j)] = len(unknowns)
    totals = shown[0].row_totals
    for i, total in enumerate(totals):
        if total is None:
            unknowns[("total", i)] = len(unknowns)
    if not unknowns:
        return {}
    equations, constants = [], []
    for t, table in enumerate(shown):
        for i, row in enumerate(table.cells):
            coefficients, constant = np.zeros(len(unknowns)), 0.0
            for j, value in enumerate(row):
                if value is None:
                    coefficients[unknowns[(t, i, j)]] += 1
                else:
                    constant -= value
            if totals[i] is None:
                coefficients[unknowns[("total", i)]] -= 1
            else:
                constant += totals[i]
            equations.append(coefficients)
            constants.append(constant)
    found = {}
    for key, k in unknowns.items():
        objective = np.zeros(len(unknowns))
        objective[k] = 1
        low = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        assert low.status == 0, "what is shown must be consistent"
        found[key] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return found


def split(rows, parts, draw):
    """The same row totals broken down into `parts` columns another way."""
    table = []
    for total in rows:
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        edges = [0, *cuts, total]
        table.append([b - a for a, b in zip(edges, edges[1:])])
    return table


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_tables_sharing_their_totals_give_nothing_away_together(data):
    totals = data.draw(st.lists(st.integers(0, 40) | st.integers(0, 8), min_size=1, max_size=5))
    tables = [split(totals, data.draw(st.integers(1, 4)), data.draw) for _ in range(data.draw(st.integers(2, 3)))]
    shown = protect_together(tables)
    assert len({s.row_totals for s in shown}) == 1, "a shared total is shown in all tables or in none"
    for table in shown:
        assert all(v is None or v == 0 or v >= SMALLEST_SHOWN for row in table.cells for v in row)
        assert all(v is None or v == 0 or v >= SMALLEST_SHOWN for v in table.row_totals)
    for key, (least, most) in together_ranges(tables, shown).items():
        assert most - least >= 1 - 1e-9, f"the hidden count {key} can be worked out"


def test_tables_with_different_totals_cannot_be_protected_together():
    with pytest.raises(ValueError, match="same row totals"):
        protect_together([[[1, 2]], [[4]]])
