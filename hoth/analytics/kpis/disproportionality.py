"""Disproportionality: how many children of each group are counted for
every 10,000 children of that group living in the area, and how that rate
compares with the rest of the area's children.

The relative rate index (RRI) of a group is its rate divided by the rate of
every other child in the population: 1 is no difference, 2 is twice as
likely. Its 95% confidence interval is Katz's, on the log scale, for a ratio
of two independent proportions:

    se(log RRI) = sqrt(1/a - 1/n + 1/b - 1/m)

with a of the group's n children counted and b of the other m. An interval
wholly above 1 says the group is over-represented beyond what chance would
give at these numbers; one that spans 1 says the numbers cannot tell.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

PER = 10_000
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    group: str
    counted: int
    population: int
    # Children counted per PER children of the group; None without a population.
    rate: float | None
    # Against every other child; None where it cannot be worked out (no one
    # counted in the group or outside it, or no population).
    rri: float | None
    low: float | None
    high: float | None

    @property
    def over_represented(self) -> bool:
        return self.low is not None and self.low > 1

    @property
    def under_represented(self) -> bool:
        return self.high is not None and self.high < 1


def rates(counted: Mapping[str, int], population: Mapping[str, int]) -> list[Rate]:
    """Each group of `population` with its rate and RRI. Children counted in
    a group with no population (not known, say) are left out of both sides:
    there is nothing to divide them by."""
    groups = [group for group, size in population.items() if size > 0]
    all_counted = sum(counted.get(group, 0) for group in groups)
    everyone = sum(population[group] for group in groups)
    found = []
    for group in groups:
        a, n = counted.get(group, 0), population[group]
        b, m = all_counted - a, everyone - n
        rate = PER * a / n
        rri = low = high = None
        if a > 0 and b > 0 and m > 0 and a <= n and b <= m:
            rri = (a / n) / (b / m)
            spread = Z_95 * math.sqrt(max(1 / a - 1 / n + 1 / b - 1 / m, 0.0))
            low, high = rri * math.exp(-spread), rri * math.exp(spread)
        found.append(Rate(group, a, n, rate, rri, low, high))
    return found
