"""Freezing the board's figures: a month's snapshot, taken by the job
scheduler once the month has ended, or worked out again by a manager after
late data, with the reason and the differences recorded."""

import datetime
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.access.roles import SCHEDULED_JOB
from hoth.accounts.models import User
from hoth.analytics.kpis.figures import figures
from hoth.analytics.kpis.registry import CALCULATIONS
from hoth.analytics.kpis.series import MONTHLY
from hoth.audit.context import AuditContext
from hoth.audit.log import record
from hoth.working_days.counting import add_months

from . import loaders
from .models import Figure, Frequency, Measure, Snapshot

# The months a snapshot's series covers, to its own month: three years, so
# that a month compares with the same month of the two years before.
MONTHS_COVERED = 36


class NotEnded(ValueError):
    """A month is frozen only once it has ended."""


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_ended_month(now: datetime.datetime | None = None) -> datetime.date:
    today = timezone.localdate(now or timezone.now())
    return add_months(month_of(today), -1)


def month_end(month: datetime.date) -> datetime.datetime:
    """The last moment of `month`, local time."""
    start_of_next = datetime.datetime.combine(add_months(month, 1), datetime.time.min)
    return timezone.make_aware(start_of_next) - datetime.timedelta(microseconds=1)


def first_month(month: datetime.date) -> datetime.date:
    """The first month a snapshot of `month` covers: the start of the
    financial quarter MONTHS_COVERED - 1 months before, so that every
    quarter shown is whole."""
    earliest = add_months(month, -(MONTHS_COVERED - 1))
    return add_months(earliest, -((earliest.month - 4) % 3))


@dataclass(frozen=True)
class Difference:
    measure: Measure
    frequency: str
    period: str
    before: Figure
    after: Figure


def take_snapshot(
    month: datetime.date,
    *,
    user: User | None = None,
    reason: str = "",
    progress: Any = None,
    audit: AuditContext | None = None,
    now: datetime.datetime | None = None,
) -> Snapshot:
    """Work out every current measure to the end of `month` and freeze it.
    By the job scheduler when `user` is None; by a manager otherwise, who
    must say why when the month has been frozen before."""
    now = now or timezone.now()
    actor = user or SCHEDULED_JOB
    policy.check(actor, loaders.PURPOSE)
    month = month_of(month)
    as_of = month_end(month)
    if as_of > now:
        raise NotEnded(f"{month:%B %Y} has not ended yet: its figures can be frozen from {add_months(month, 1):%-d %B}")
    if user is not None and not reason.strip() and Snapshot.objects.filter(month=month, is_current=True).exists():
        raise ValueError("Say why the month is being worked out again")
    started = time.monotonic()
    measures = list(Measure.objects.current())
    if progress is not None:
        progress.stage("Reading the records", total=len(measures), unit="measures worked out")
    records = loaders.records(actor, as_of)
    first = pd.Timestamp(first_month(month))
    rows = []
    for done, measure in enumerate(measures, start=1):
        found = figures(CALCULATIONS[measure.calculation], records, first, records.as_of)
        rows += [_figure(measure, row) for row in found.itertuples(index=False)]
        if progress is not None:
            progress.advance(done)
    with transaction.atomic():
        previous = Snapshot.objects.select_for_update().filter(month=month, is_current=True).first()
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        snapshot = Snapshot.objects.create(
            month=month,
            as_of=as_of,
            first_period=first_month(month),
            taken_at=now,
            taken_by=user,
            reason=reason.strip(),
            replaces=previous,
            seconds=round(time.monotonic() - started, 2),
        )
        for figure in rows:
            figure.snapshot = snapshot
        Figure.objects.bulk_create(rows, batch_size=2000)
        record(
            "create" if previous is None else "update",
            audit=audit,
            user=user,
            actor="" if user else "monthly figures",
            obj=snapshot,
            reason=reason.strip(),
            detail={
                "month": month.isoformat(),
                "figures": len(rows),
                "measures": {measure.code: measure.version for measure in measures},
                "replaces": previous.pk if previous else None,
            },
        )
    return snapshot


def differences(snapshot: Snapshot) -> list[Difference]:
    """The partnership's figures that changed from the snapshot it replaced,
    as far as either shows them: a figure hidden in both says nothing."""
    if snapshot.replaces is None:
        return []
    key = ("measure_id", "frequency", "period")
    before = {tuple(getattr(f, k) for k in key): f for f in snapshot.replaces.figures.filter(breakdown="")}
    found = []
    for after in (
        snapshot.figures.filter(breakdown="")
        .select_related("measure")
        .order_by("measure__position", "frequency", "period")
    ):
        earlier = before.get(tuple(getattr(after, k) for k in key))
        if earlier is None:
            continue
        if (earlier.shown_value, earlier.shown_units) != (after.shown_value, after.shown_units):
            found.append(Difference(after.measure, after.frequency, after.period, earlier, after))
    return found


def _figure(measure: Measure, row: Any) -> Figure:
    return Figure(
        measure=measure,
        frequency=Frequency.MONTH if row.frequency == MONTHLY else Frequency.QUARTER,
        period=row.period,
        breakdown=row.breakdown,
        group=str(row.group)[:120],
        units=int(row.units),
        numerator=None if pd.isna(row.numerator) else float(row.numerator),
        value=None if pd.isna(row.value) else float(row.value),
        units_shown=bool(row.units_shown),
        value_shown=bool(row.value_shown),
    )
