"""The records the board's measures count, read through the gate into the
frames of hoth.analytics.kpis.frames.

Every read is `policy.for_purpose(user, "insight.compute", ...)`: the whole
partnership's records, for an aggregate no person can be read back from, and
only for those the rule allows (managers, and the job scheduler freezing a
month). Only the columns a measure needs are read: no name, no narrative.

The person key. A measure counts children by the `person` column, never by
the record it came from. Today that is the register's person; when records of
one child held by several agencies are linked (linkage), the key becomes the
linked person in these reads, and every measure keeps its meaning.
"""

from datetime import datetime

import pandas as pd
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from hoth.access import policy
from hoth.access.roles import Actor
from hoth.analytics.kpis.frames import COLUMNS, Records
from hoth.cases.models import Case, CaseStatusChange, MissingEpisode
from hoth.disruption.models import Breach, DisruptionActivity
from hoth.intelligence.models import IntelligenceReport, Link
from hoth.panels.models import AgencyContribution, Attendance, Meeting
from hoth.people.models import Address, Ethnicity, Person, Sex, SharingDecision
from hoth.plans.models import Review
from hoth.referrals.models import Referral
from hoth.screening.models import Screening
from hoth.tasks.models import Task

PURPOSE = "insight.compute"
LOCAL = "Europe/London"


def records(user: Actor, as_of: datetime | None = None) -> Records:
    """Everything the measures read, as it stood at `as_of` (now)."""
    as_of = as_of or timezone.now()

    def read(queryset: QuerySet) -> QuerySet:
        return policy.for_purpose(user, PURPOSE, queryset)

    referrals = _frame(
        "referrals",
        read(Referral.objects.filter(person__isnull=False, submitted_at__lte=as_of)).values_list(
            "pk", "person_id", "submitted_at", "screen_by", "screened_at", "referrer_agency__type"
        ),
    )
    screenings = _frame(
        "screenings",
        read(Screening.objects.completed().filter(completed_at__lte=as_of).exclude(level="")).values_list(
            "pk", "person_id", "completed_at", "level"
        ),
    )
    cases = _frame("cases", read(Case.objects.filter(opened_at__lte=as_of)).values_list("pk", "person_id", "opened_at"))
    changes = read(CaseStatusChange.objects.filter(at__lte=as_of)).values_list(
        "case_id", "case__person_id", "case__opened_at", "at", "reason"
    )
    closures = _closures(
        _frame("closures", changes.filter(kind=CaseStatusChange.Kind.CLOSED)),
        _frame("closures", changes.filter(kind=CaseStatusChange.Kind.REOPENED)),
    )
    reviews = _frame(
        "reviews",
        read(Review.objects.filter(held_on__lte=as_of.date())).values_list(
            "case_id",
            "case__person_id",
            "held_on",
            "child_feels_safe",
            "child_wellbeing",
            "practitioner_rating",
            "school_attendance",
        ),
    )
    missing = _frame(
        "missing",
        read(MissingEpisode.objects.filter(started_at__lte=as_of)).values_list(
            "pk",
            "person_id",
            "started_at",
            "ended_at",
            "return_interview__outcome",
            "return_interview__offered_at",
            "return_interview__held_at",
        ),
    )

    def confirmed(manager, meeting: str) -> QuerySet:
        return manager.filter(**{f"{meeting}__status": Meeting.Status.CONFIRMED, f"{meeting}__starts_at__lte": as_of})

    present = ExpressionWrapper(Q(status=Attendance.Status.PRESENT), output_field=BooleanField())
    activities = read(DisruptionActivity.objects.all())
    pursue_and_partnership = {
        "activities": activities.values_list(
            "pk", "tactic__kind", "applied_on", "granted_on", "outcome_assessment", "outcome_recorded_at"
        ),
        "breaches": read(Breach.objects.filter(occurred_on__lte=as_of.date())).values_list(
            "activity_id", "activity__tactic__kind", "occurred_on"
        ),
        "reports": read(IntelligenceReport.objects.filter(submitted_at__lte=as_of)).values_list(
            "pk", "submitted_at", "graded_at"
        ),
        "links": read(Link.objects.filter(decided_at__lte=as_of)).values_list("pk", "status", "decided_at"),
        "attendance": read(confirmed(Attendance.objects, "meeting")).values_list(
            "meeting_id", "meeting__starts_at", "agency__type", present
        ),
        "contributions": read(confirmed(AgencyContribution.objects, "item__meeting")).values_list(
            "item__meeting_id", "item__meeting__starts_at", "agency__type"
        ),
        "sharing": read(SharingDecision.objects.filter(decided_at__lte=as_of)).values_list(
            "pk", "decided_at", "lawful_basis"
        ),
        "actions": read(Task.objects.filter(meeting_action__isnull=False)).values_list(
            "pk", "owner_agency__type", "due_date", "completed_at"
        ),
    }

    counted = pd.concat([f["person"] for f in (referrals, screenings, cases, missing)]).unique().tolist()
    return Records(
        as_of=_local(pd.Series([as_of])).iloc[0],
        children=_children(read, counted),
        referrals=referrals,
        screenings=screenings,
        cases=cases,
        closures=closures,
        reviews=reviews,
        missing=missing,
        **{name: _frame(name, rows) for name, rows in pursue_and_partnership.items()},
    )


def _children(read, people: list[int]) -> pd.DataFrame:
    """The counted children's characteristics, for equality breakdowns, and
    the town of their current address."""
    town = (
        Address.objects.filter(person=OuterRef("pk"), valid_to__isnull=True).order_by("-valid_from").values("town")[:1]
    )
    rows = []
    # In slices: a database caps the parameters of one IN (...).
    for start in range(0, len(people), 20_000):
        rows.extend(
            read(Person.objects.filter(pk__in=people[start : start + 20_000]))
            .annotate(current_town=Subquery(town))
            .values_list(
                "pk",
                "date_of_birth",
                "sex",
                "ethnicity",
                "send_status",
                "has_disability",
                "care_status",
                "first_language",
                "interpreter_needed",
                "current_town",
            )
        )
    children = _frame("children", rows)
    # The register's own "not known" codes are no different from nothing recorded.
    children.loc[children["sex"] == Sex.UNKNOWN, "sex"] = None
    children.loc[children["ethnicity"] == Ethnicity.NOT_KNOWN, "ethnicity"] = None
    return children


def _closures(closed: pd.DataFrame, reopened: pd.DataFrame) -> pd.DataFrame:
    """Each closing with the opening it ended: the case's own, or the latest
    reopening before it."""
    closed = closed.sort_values("closed_at")
    reopenings = reopened[["case", "closed_at"]].rename(columns={"closed_at": "reopened_at"}).sort_values("reopened_at")
    joined = pd.merge_asof(
        closed, reopenings, left_on="closed_at", right_on="reopened_at", by="case", allow_exact_matches=False
    )
    joined["opened_at"] = joined["reopened_at"].fillna(joined["opened_at"])
    return joined[list(COLUMNS["closures"])].reset_index(drop=True)


def _frame(name: str, rows) -> pd.DataFrame:
    """Rows in the frame's column order into its dtypes; aware times into
    local time, dates into midnight."""
    columns = COLUMNS[name]
    found = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for column, dtype in columns.items():
        if dtype.startswith("datetime"):
            found[column] = _local(found[column])
        elif dtype == "float64":
            found[column] = pd.to_numeric(found[column], errors="coerce").astype("float64")
        else:
            found[column] = found[column].astype(dtype)
    return found


def _local(moments: pd.Series) -> pd.Series:
    """Aware datetimes to naive local ones; dates to local midnight."""
    converted = pd.to_datetime(moments, utc=False)
    if getattr(converted.dt, "tz", None) is not None:
        converted = converted.dt.tz_convert(LOCAL).dt.tz_localize(None)
    return converted.astype("datetime64[ns]")
