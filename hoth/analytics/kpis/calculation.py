"""What a calculation is: a function from records to units, with what kind of
figure its units make and what they count."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .frames import Records

PROPORTION, MEDIAN, MEAN, COUNT = "proportion", "median", "mean", "count"
KINDS = (PROPORTION, MEDIAN, MEAN, COUNT)
UNIT_COLUMNS = ("when", "person", "value")


@dataclass(frozen=True)
class Calculation:
    """`kind`: how a period's units become its figure (a proportion is the
    share of units whose value is 1, as a percentage; a count counts units).
    `counts`: what one unit is, in words ("children", "referrals"). A
    calculation that counts children keeps one unit per child per period.
    `grouped_by`: for a count that is always shown by something of the record
    itself (referrals by the referring agency's type), its units carry a
    `group` column and this names it."""

    function: Callable[[Records], pd.DataFrame]
    kind: str
    counts: str
    grouped_by: str = ""

    @property
    def name(self) -> str:
        return self.function.__name__.replace("_", "-")

    @property
    def per_child(self) -> bool:
        return self.counts == "children"

    def units(self, records: Records) -> pd.DataFrame:
        found = self.function(records)
        expected = UNIT_COLUMNS + (("group",) if self.grouped_by else ())
        if tuple(found.columns) != expected:
            raise ValueError(f"{self.name} gave columns {list(found.columns)}, not {list(expected)}")
        return found


def calculation(kind: str, counts: str, grouped_by: str = "") -> Callable[[Callable], Calculation]:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    return lambda function: Calculation(function, kind, counts, grouped_by)


def units(
    when: pd.Series, person: pd.Series | None, value: pd.Series | float, group: pd.Series | None = None
) -> pd.DataFrame:
    """Units from aligned columns, in the order every calculation returns.
    `person` is None for units that are not about a child (a link, a
    meeting's attendance): they are never counted per child."""
    people = person.to_numpy().astype("int64") if person is not None else np.zeros(len(when), dtype="int64")
    found = pd.DataFrame({"when": when.to_numpy(), "person": people})
    found["value"] = value.to_numpy().astype("float64") if isinstance(value, pd.Series) else float(value)
    if group is not None:
        found["group"] = group.to_numpy()
    return found
