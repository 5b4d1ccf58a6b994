"""What the insight pages read without changing anything: the measures as
the data dictionary shows them."""

import inspect
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hoth.analytics.kpis.calculation import Calculation
from hoth.analytics.kpis.registry import CALCULATIONS

from .models import Measure, Objective


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
