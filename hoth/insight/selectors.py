"""What the insight pages read without changing anything: the measures as
the data dictionary shows them, and the board's figures from the current
snapshot as the dashboard shows them (only what disclosure control allows)."""

import inspect
from dataclasses import dataclass, field
from itertools import groupby

import pandas as pd
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hoth.accounts.roles import AgencyType
from hoth.analytics.kpis.breakdowns import DIMENSIONS, NOT_KNOWN
from hoth.analytics.kpis.calculation import Calculation
from hoth.analytics.kpis.disproportionality import Rate, rates
from hoth.analytics.kpis.registry import CALCULATIONS
from hoth.analytics.kpis.series import quarter_of
from hoth.cases.models import CaseStatusChange
from hoth.disruption.models import OutcomeAssessment, TacticKind
from hoth.people.models import CareStatus, Ethnicity, SendStatus, Sex, SharingDecision
from hoth.working_days.counting import add_months

from .models import Direction, Figure, Frequency, Measure, Objective, Snapshot
from .population import Denominators, denominators

# The breakdowns that are a group of the record itself, shown on the dashboard.
GROUPED_BY = sorted({calculation.grouped_by for calculation in CALCULATIONS.values() if calculation.grouped_by})


@dataclass(frozen=True)
class Definition:
    """A measure with the code that works it out, shown as it is run."""

    measure: Measure
    calculation: Calculation
    versions: QuerySet

    @property
    def source(self) -> str:
        return inspect.getsource(self.calculation.function)

    @property
    def module(self) -> str:
        return self.calculation.function.__module__


def current_measures() -> QuerySet:
    return Measure.objects.current()


def by_objective() -> list[tuple[str, list[Measure]]]:
    """The current measures under each strategic objective, in the strategy's order."""
    order = {value: position for position, value in enumerate(Objective.values)}
    measures = sorted(current_measures(), key=lambda m: (order[m.objective], m.position))
    return [(Objective(objective).label, list(found)) for objective, found in groupby(measures, lambda m: m.objective)]


def definition(code: str) -> Definition:
    measure = get_object_or_404(Measure.objects.current(), code=code)
    return Definition(
        measure, CALCULATIONS[measure.calculation], Measure.objects.filter(code=code).order_by("-version")
    )


# ------------------------------------------------------------------ the board's figures

ON_TARGET, NEAR_TARGET, OFF_TARGET, NO_TARGET = "on", "near", "off", "none"
STATUS_LABELS = {ON_TARGET: "On target", NEAR_TARGET: "Near target", OFF_TARGET: "Off target", NO_TARGET: "No target"}
WHOLE_PARTNERSHIP = ""
QUARTERS_SHOWN = 8
MONTHS_SHOWN = 24


@dataclass(frozen=True)
class Choice:
    """What the board chose to look at: a quarter and an area (a town, or the whole partnership)."""

    quarter: str
    area: str = WHOLE_PARTNERSHIP


@dataclass
class Trend:
    """One measure as the dashboard shows it for a choice."""

    measure: Measure
    quarter: Figure | None
    previous: Figure | None
    quarters: list[Figure]
    months: list[Figure]
    groups: list[str] = field(default_factory=list)
    # For a measure always shown by a group of the record: {period: {group: Figure}}.
    by_group: dict[str, dict[str, Figure]] = field(default_factory=dict)

    @property
    def grouped(self) -> bool:
        return bool(self.groups)

    @property
    def grouped_by(self) -> str:
        return CALCULATIONS[self.measure.calculation].grouped_by

    @property
    def rows(self) -> list[tuple[str, list[tuple[str, Figure | None]]]]:
        """A grouped measure's table: each quarter with its figure for each group."""
        return [
            (period, [(group, found.get(group)) for group in self.groups]) for period, found in self.by_group.items()
        ]

    @property
    def status(self) -> str:
        value = self.quarter.shown_value if self.quarter else None
        measure = self.measure
        if value is None or measure.target is None or measure.good_direction == Direction.NEITHER:
            return NO_TARGET
        gap = float(measure.target) - value if measure.good_direction == Direction.UP else value - float(measure.target)
        if gap <= 0:
            return ON_TARGET
        return NEAR_TARGET if measure.tolerance is not None and gap <= float(measure.tolerance) else OFF_TARGET

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def sentence(self) -> str:
        """What changed, in plain English."""
        quarter, previous, measure = self.quarter, self.previous, self.measure
        if self.grouped or quarter is None:
            return ""
        now = quarter.shown_value
        if now is None:
            return f"Not shown for {quarter.period}: too few {measure.counts} to show without pointing at someone."
        before = previous.shown_value if previous is not None else None
        if previous is None or before is None:
            return f"{measure.figure(now)} in {quarter.period}; the quarter before cannot be compared."
        if round(now, 1) == round(before, 1):
            return f"{measure.figure(now)} in {quarter.period}, the same as the quarter before."
        verb = "Rose" if now > before else "Fell"
        better = (now > before) == (measure.good_direction == Direction.UP)
        judgement = "" if measure.good_direction == Direction.NEITHER else (" (better)" if better else " (worse)")
        return f"{verb} from {measure.figure(before)} in {previous.period} to {measure.figure(now)} in {quarter.period}{judgement}."


def current_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(is_current=True).order_by("-month").first()


def quarters(snapshot: Snapshot) -> list[str]:
    """The quarters a snapshot covers, latest first."""
    found = (
        Figure.objects.filter(snapshot=snapshot, frequency=Frequency.QUARTER, breakdown=WHOLE_PARTNERSHIP)
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(found, reverse=True)


def latest_whole_quarter(snapshot: Snapshot) -> str:
    """The last quarter the snapshot covers to its end: the quarter of its
    month if that month ends a quarter, the one before otherwise."""
    month = snapshot.month
    whole = month if month.month in (3, 6, 9, 12) else add_months(month, -(month.month % 3))
    return quarter_of(pd.Timestamp(whole))


def areas(snapshot: Snapshot) -> list[str]:
    """The towns the figures can be read for."""
    found = Figure.objects.filter(snapshot=snapshot, breakdown="town").values_list("group", flat=True).distinct()
    return sorted(set(found) - {NOT_KNOWN})


def trends(snapshot: Snapshot, choice: Choice) -> list[tuple[str, list[Trend]]]:
    """Every current measure of the snapshot for `choice`, by objective: one query for the figures."""
    figures = Figure.objects.filter(snapshot=snapshot).select_related("measure")
    if choice.area:
        figures = figures.filter(breakdown="town", group=choice.area)
    else:
        figures = figures.filter(breakdown__in=[WHOLE_PARTNERSHIP, *GROUPED_BY])
    by_measure: dict[int, list[Figure]] = {}
    for figure in figures:
        by_measure.setdefault(figure.measure_id, []).append(figure)
    found = []
    for measure in snapshot_measures(snapshot):
        own = by_measure.get(measure.pk, [])
        found.append(_trend(measure, own, choice))
    order = {value: position for position, value in enumerate(Objective.values)}
    found.sort(key=lambda t: (order[t.measure.objective], t.measure.position))
    return [
        (Objective(objective).label, list(items)) for objective, items in groupby(found, lambda t: t.measure.objective)
    ]


def snapshot_measures(snapshot: Snapshot) -> list[Measure]:
    """The measure versions the snapshot was worked out with."""
    return list(Measure.objects.filter(figures__snapshot=snapshot).distinct().order_by("position"))


def _trend(measure: Measure, figures: list[Figure], choice: Choice) -> Trend:
    quarterly = sorted((f for f in figures if f.frequency == Frequency.QUARTER), key=lambda f: f.period)
    grouped = [f for f in quarterly if f.breakdown]
    if grouped and not choice.area:
        by_group: dict[str, dict[str, Figure]] = {}
        for figure in grouped:
            by_group.setdefault(figure.period, {})[figure.group] = figure
        periods = [p for p in sorted(by_group) if p <= choice.quarter][-QUARTERS_SHOWN:]
        return Trend(
            measure,
            None,
            None,
            [],
            [],
            groups=sorted({f.group for f in grouped}),
            by_group={p: by_group[p] for p in periods},
        )
    whole = [f for f in quarterly if f.period <= choice.quarter]
    chosen = whole[-1] if whole and whole[-1].period == choice.quarter else None
    previous = whole[-2] if chosen is not None and len(whole) > 1 else None
    months = sorted((f for f in figures if f.frequency == Frequency.MONTH), key=lambda f: f.period)
    return Trend(measure, chosen, previous, whole[-QUARTERS_SHOWN:], months[-MONTHS_SHOWN:])


DIMENSION_LABELS = {
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "age_band": "Age",
    "send_status": "Special educational needs and disabilities (SEND)",
    "has_disability": "Disability",
    "care_status": "Care status",
    "first_language": "First language",
    "interpreter_needed": "Needs an interpreter",
    "town": "Town of their current address",
}
# Where nothing recorded means none, not that nobody knows.
NONE_RECORDED = {"send_status", "care_status"}


def group_label(dimension: str, group: str) -> str:
    """A breakdown's group as people read it, from the register's code."""
    if group == NOT_KNOWN:
        return "None recorded" if dimension in NONE_RECORDED else "Not known"
    choices = {"sex": Sex, "ethnicity": Ethnicity, "send_status": SendStatus, "care_status": CareStatus}
    if dimension in choices:
        return str(dict(choices[dimension].choices).get(group, group))
    if group in ("yes", "no"):
        return group.capitalize()
    if dimension in GROUPED_BY:
        return GROUP_LABELS.get(group, group.replace("_", " ").capitalize())
    return group


# The record's own groups: agency types and reasons for closing.
GROUP_LABELS = (
    dict(AgencyType.choices)
    | dict(CaseStatusChange.Reason.choices)
    | dict(TacticKind.choices)
    | dict(OutcomeAssessment.choices)
    | dict(SharingDecision.LawfulBasis.choices)
)


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: its figure and, where the child population
    is known, how many were counted per 10,000 children of the group and the
    relative rate index against the rest. A rate is shown where its count
    is (the population is public, so the rate gives the count); a relative
    rate only where every count of the breakdown is, since it is worked out
    from the children outside the group too."""

    label: str
    figure: Figure
    rate: Rate | None = None
    rri_shown: bool = False

    @property
    def rate_shown(self) -> bool:
        return self.rate is not None and self.figure.units_shown


@dataclass
class Breakdown:
    dimension: str
    label: str
    rows: list[Row]
    with_rates: bool = False


@dataclass
class Breakdowns:
    measure: Measure
    quarter: str
    quarters: list[str]
    whole: Figure | None
    tables: list[Breakdown]
    population: Denominators | None = None


def breakdowns(snapshot: Snapshot, code: str, quarter: str) -> Breakdowns:
    """A measure's figures for one quarter by each breakdown the snapshot
    holds, with rates against the child population where it is loaded."""
    measure = get_object_or_404(Measure.objects.filter(figures__snapshot=snapshot).distinct(), code=code)
    periods = quarters(snapshot)
    if quarter not in periods:
        quarter = latest_whole_quarter(snapshot)
    figures = Figure.objects.filter(snapshot=snapshot, measure=measure, frequency=Frequency.QUARTER, period=quarter)
    whole = None
    by_dimension: dict[str, list[Figure]] = {}
    for figure in figures:
        if figure.breakdown == WHOLE_PARTNERSHIP:
            whole = figure
        else:
            by_dimension.setdefault(figure.breakdown, []).append(figure)
    population = denominators(_year_of(quarter)) if by_dimension and measure.counts == "children" else None
    order = [*DIMENSIONS, *GROUPED_BY]
    tables = [
        _breakdown(dimension, found, population)
        for dimension, found in sorted(
            by_dimension.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]
    return Breakdowns(
        measure, quarter, periods, whole, tables, population if any(t.with_rates for t in tables) else None
    )


def _breakdown(dimension: str, figures: list[Figure], population: Denominators | None) -> Breakdown:
    label = DIMENSION_LABELS.get(dimension, dimension.capitalize())
    groups = population.by.get(dimension) if population is not None else None
    found = {}
    if groups:
        found = {rate.group: rate for rate in rates({f.group: f.units for f in figures}, groups)}
    every_count_shown = all(f.units_shown for f in figures)
    rows = [
        Row(
            group_label(dimension, f.group), f, found.get(f.group), every_count_shown and found.get(f.group) is not None
        )
        for f in figures
    ]
    rows.sort(key=lambda row: (row.figure.group == NOT_KNOWN, row.label))
    return Breakdown(dimension, label, rows, with_rates=bool(found))


def _year_of(quarter: str) -> int:
    """The calendar year a financial quarter ('2026-27 Q4') falls in."""
    return int(quarter[:4]) + (quarter.endswith("Q4"))
