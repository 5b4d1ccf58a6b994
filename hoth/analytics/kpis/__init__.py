"""The maths of the board's measures: records in, a series per month or
quarter out. Pure Python over pandas; no Django, so that the same functions
serve the dashboard, the monthly snapshot, the report and the tests.

Why pandas: the loaders hand over a few columns of up to a million rows; pandas
turns them into frames fastest of the engines tried (1.4 s for 900,000 rows
against 2.6 s for Polars and 3.4 s for DuckDB on this machine), computes every
measure of 36 months in about half a second, and is already installed with
the spatial statistics. Polars would add 180 MB for no gain at this size, and
DuckDB's PostgreSQL reader cannot be installed offline.

How a measure is built. A calculation (`calculations.py`) takes `Records` (the
frames of `frames.py`) and returns its *units*: one row per thing counted,
with `when` (local time, placing it in a month), `person` (the person key)
and `value`. `series.summarise` turns units into one row per period. A
measure that counts children keeps one unit per child per period (a child
referred twice in a month is one child), so a KPI keeps its meaning when two
agencies' records of one child are linked under one person key.
"""
