"""The child population: loading the estimates a system administrator is
given, all or nothing, and reading them as the denominators of a breakdown.

The file is CSV with a header row and the columns

    year,area,age,sex,ethnicity,population

one row per year, town, single year of age (0 to 17), sex (F or M) and
ethnic group (the Census 2021 codes the register uses: W1, A3, ...). It is
how a council's performance team turns the ONS mid-year estimates and the
Census's ethnic groups into the partnership's towns. A file replaces every
row of the years it holds; a file with any bad row changes nothing.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.analytics.kpis.breakdowns import AGE_BANDS
from hoth.audit.context import AuditContext
from hoth.audit.log import record
from hoth.contexts.models import Town
from hoth.people.models import Ethnicity, Sex

from .models import ChildPopulation

ACTION = "reference_data.manage"
COLUMNS = ["year", "area", "age", "sex", "ethnicity", "population"]
SEXES = (Sex.FEMALE, Sex.MALE)
OLDEST_CHILD = 17


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class Loaded:
    rows: int = 0
    years: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load(
    text: str,
    *,
    source: str,
    user: User | None,
    synthetic: bool = False,
    actor: str = "",
    audit: AuditContext | None = None,
    now: datetime.datetime | None = None,
) -> Loaded:
    """Check every row of `text`; if all are good, replace the years they
    hold. Without a `user`, `actor` names the command that loads it; with
    neither, it is the generator's synthetic population, and not audited."""
    if user is not None:
        policy.check(user, ACTION)
    now = now or timezone.now()
    towns = set(Town.objects.filter(in_partnership=True).values_list("name", flat=True))
    checked = check(text, towns)
    if checked.problems:
        return Loaded(problems=checked.problems)
    years = sorted({row.year for row in checked.rows})
    with transaction.atomic():
        ChildPopulation.objects.filter(year__in=years).delete()
        for row in checked.rows:
            row.source, row.is_synthetic, row.loaded_at, row.loaded_by = source, synthetic, now, user
        ChildPopulation.objects.bulk_create(checked.rows, batch_size=2000)
        if user is not None or actor:
            record(
                "admin",
                audit=audit,
                user=user,
                actor=actor,
                detail={
                    "reference_data": "child_population",
                    "years": years,
                    "rows": len(checked.rows),
                    "source": source,
                },
            )
    return Loaded(rows=len(checked.rows), years=years)


@dataclass
class Checked:
    rows: list[ChildPopulation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check(text: str, towns: set[str]) -> Checked:
    """Every row of the file, or every problem with it (the header is line 1)."""
    checked = Checked()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if [name.strip().lower() for name in reader.fieldnames or []] != COLUMNS:
        checked.problems.append(Problem(1, f"The first row must name the columns {', '.join(COLUMNS)}"))
        return checked
    seen: dict[tuple, int] = {}
    for line, row in enumerate(reader, start=2):
        values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        found, problems = _row(values, towns)
        key = (found.year, found.area, found.age, found.sex, found.ethnicity) if found else None
        if key in seen:
            problems.append(f"the same year, town, age, sex and ethnic group as line {seen[key]}")
        if problems:
            message = "; ".join(problems)
            checked.problems.append(Problem(line, message[0].upper() + message[1:]))
        elif found is not None and key is not None:
            seen[key] = line
            checked.rows.append(found)
    if not checked.rows and not checked.problems:
        checked.problems.append(Problem(1, "The file has no rows after the header"))
    return checked


def _row(values: dict[str, str], towns: set[str]) -> tuple[ChildPopulation | None, list[str]]:
    problems = []
    year = _whole(values.get("year", ""), 1990, 2100)
    age = _whole(values.get("age", ""), 0, OLDEST_CHILD)
    count = _whole(values.get("population", ""), 0, 10_000_000)
    if year is None:
        problems.append(f"year {values.get('year')!r} is not a year like 2024")
    if values.get("area") not in towns:
        problems.append(f"town {values.get('area')!r} is not a town of the partnership")
    if age is None:
        problems.append(f"age {values.get('age')!r} is not a whole number of years from 0 to {OLDEST_CHILD}")
    if values.get("sex") not in SEXES:
        problems.append(f"sex {values.get('sex')!r} is not F or M")
    if values.get("ethnicity") not in Ethnicity.values:
        problems.append(f"ethnic group {values.get('ethnicity')!r} is not a Census 2021 code like W1 or A3")
    if count is None:
        problems.append(f"population {values.get('population')!r} is not a whole number of children")
    if problems:
        return None, problems
    row = ChildPopulation(
        year=year, area=values["area"], age=age, sex=values["sex"], ethnicity=values["ethnicity"], count=count
    )
    return row, []


def _whole(text: str, lowest: int, highest: int) -> int | None:
    try:
        number = int(text)
    except ValueError:
        return None
    return number if lowest <= number <= highest else None


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Denominators:
    """The children of one year by each characteristic a breakdown can use."""

    year: int
    source: str
    is_synthetic: bool
    by: dict[str, dict[str, int]]


def denominators(year: int) -> Denominators | None:
    """The estimates for `year`, or the latest before it (or the earliest
    there is): the population changes slowly, and a quarter of this year is
    read against last mid-year's estimate until this one is published."""
    years = sorted(set(ChildPopulation.objects.values_list("year", flat=True)))
    if not years:
        return None
    chosen = max((y for y in years if y <= year), default=years[0])
    rows = ChildPopulation.objects.filter(year=chosen)
    first = rows.first()
    assert first is not None
    by: dict[str, dict[str, int]] = {"sex": {}, "ethnicity": {}, "age_band": {}, "town": {}}
    for area, age, sex, ethnicity, count in rows.values_list("area", "age", "sex", "ethnicity", "count"):
        for dimension, group in (("sex", sex), ("ethnicity", ethnicity), ("age_band", _band(age)), ("town", area)):
            by[dimension][group] = by[dimension].get(group, 0) + count
    return Denominators(chosen, first.source, first.is_synthetic, by)


def _band(age: int) -> str:
    return [label for lowest, label in AGE_BANDS if age >= lowest][-1]


def as_csv(rows: Iterable[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()
