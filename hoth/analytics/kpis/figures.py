"""Every figure of one measure the board may see, each marked whether its
count and its value may be shown: the monthly series, the quarterly series,
and the quarterly breakdowns of a child-level measure by each characteristic.

Disclosure control (hoth.analytics.suppression) is decided here, once, when
the figures are worked out, for all the figures of a measure together:

- Quarterly figures are counts of children with their totals. For each
  quarter the breakdowns by sex, by ethnicity, by town… add up to the
  quarter's children, so they are protected together (`protect_together`):
  a small count is hidden, and so is whatever would give it away, in every
  breakdown at once. A proportion's numerators, and what is left of the
  denominator, are protected the same way; its percentage is shown only
  where all three counts are.
- Monthly figures are values only (a percentage, an average), never counts:
  a month's count beside its quarter's could give away the other months.
  A value is shown only where the month's count and, for a proportion, its
  numerator and what is left are each none or at least SMALLEST_SHOWN.
- A count that is always shown by a group of the record itself (children
  by the type of agency that referred them) is shown by quarter only, each
  count hidden when small; there is no total to protect, since a child
  referred by two types counts under both.
"""

import numpy as np
import pandas as pd

from ..suppression import SMALLEST_SHOWN, protect_together
from .breakdowns import DIMENSIONS, groups, with_characteristics
from .calculation import PROPORTION, Calculation
from .frames import Records
from .series import MONTHLY, QUARTERLY, aggregate, periods, reduce, summarise

FIGURE_COLUMNS = [
    "frequency",
    "period",
    "breakdown",
    "group",
    "units",
    "numerator",
    "value",
    "units_shown",
    "value_shown",
]
WHOLE = ""


def figures(calculation: Calculation, records: Records, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """All the figures of `calculation` from `first` to `last`."""
    units = calculation.units(records)
    if calculation.grouped_by:
        return _grouped(calculation, units, first, last)
    monthly = _monthly(calculation, summarise(calculation, units, first, last, MONTHLY))
    if not calculation.per_child:
        return pd.concat(
            [monthly, _alone(calculation, summarise(calculation, units, first, last, QUARTERLY))], ignore_index=True
        )
    characteristics = with_characteristics(units, records.children)
    span = periods(first, last, QUARTERLY)
    reduced = reduce(calculation, characteristics, span, list(DIMENSIONS))
    tables = [(WHOLE, aggregate(calculation, reduced, span))] + [
        (dimension, aggregate(calculation, reduced, span, by=dimension, groups=groups(dimension, characteristics)))
        for dimension in DIMENSIONS
    ]
    return pd.concat([monthly, _together(calculation, tables)], ignore_index=True)


def _monthly(calculation: Calculation, series: pd.DataFrame) -> pd.DataFrame:
    counts = [series["units"]]
    if calculation.kind == PROPORTION:
        counts += [series["numerator"], series["units"] - series["numerator"]]
    safe = series["units"] >= SMALLEST_SHOWN
    for count in counts:
        safe &= (count == 0) | (count >= SMALLEST_SHOWN)
    return _marked(series, MONTHLY, WHOLE, units_shown=False, value_shown=safe & series["value"].notna())


def _alone(calculation: Calculation, series: pd.DataFrame) -> pd.DataFrame:
    """Quarterly figures of records (not children), with no breakdown: each
    count stands alone."""
    shown = _small_hidden(series["units"])
    value = shown.copy()
    if calculation.kind == PROPORTION:
        value &= _small_hidden(series["numerator"]) & _small_hidden(series["units"] - series["numerator"])
    return _marked(series, QUARTERLY, WHOLE, units_shown=shown, value_shown=value & series["value"].notna())


def _grouped(calculation: Calculation, units: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    found = units["group"].dropna().unique().tolist()
    series = summarise(calculation, units, first, last, QUARTERLY, groups=sorted(found))
    shown = _small_hidden(series["units"])
    value = shown.copy()
    if calculation.kind == PROPORTION:
        value &= _small_hidden(series["numerator"]) & _small_hidden(series["units"] - series["numerator"])
    return _marked(
        series, QUARTERLY, calculation.grouped_by, units_shown=shown, value_shown=value & series["value"].notna()
    )


def _together(calculation: Calculation, tables: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The quarterly figures of the whole partnership (the first table) and
    of each breakdown, protected together. A breakdown's rows come period by
    period, its groups in the same order in each (series.aggregate), so its
    counts reshape into a grid of periods by groups and back."""
    whole, breakdowns = tables[0][1], tables[1:]
    quarters = len(whole)
    quantities = 3 if calculation.kind == PROPORTION else 1
    shown: dict[str, list[np.ndarray]] = {name: [] for name, _ in tables}
    for k in range(quantities):
        grids = [_counts(table, k).reshape(quarters, -1).tolist() for _, table in breakdowns]
        protected = protect_together(grids)
        shown[WHOLE].append(np.array([total is not None for total in protected[0].row_totals or ()]))
        for (name, _), result in zip(breakdowns, protected):
            shown[name].append(np.array([value is not None for row in result.cells for value in row]))
    marked = []
    for name, table in tables:
        value_shown = np.logical_and.reduce(shown[name]) & table["value"].notna().to_numpy()
        marked.append(_marked(table, QUARTERLY, name, units_shown=shown[name][0], value_shown=value_shown))
    return pd.concat(marked, ignore_index=True)


def _counts(table: pd.DataFrame, k: int) -> np.ndarray:
    """A table's units (0), the numerators (1) or what is left of the units (2)."""
    units, numerator = table["units"].to_numpy(), table["numerator"].to_numpy()
    return [units, numerator, units - numerator][k].astype(int)


def _small_hidden(counts: pd.Series) -> pd.Series:
    return (counts == 0) | (counts >= SMALLEST_SHOWN)


def _marked(series: pd.DataFrame, frequency: str, breakdown: str, *, units_shown, value_shown) -> pd.DataFrame:
    marked = series.assign(frequency=frequency, breakdown=breakdown, units_shown=units_shown, value_shown=value_shown)
    return marked[FIGURE_COLUMNS]
