"""Where a disruption activity can go next, and what each step must record.

An activity starts planned, applied for, or already in force (recorded after
the event). What may follow depends on the kind of tactic, because the law
does: a court order is applied for and granted or refused, and once granted
it runs until it expires or the court discharges it; a notice is issued, not
applied for, and can be withdrawn; a licensing or Trading Standards referral
can end in no action; a patrol or a campaign simply starts and stops.

A breach does not end an order (it stays in force, and breaching it is dealt
with by the police or the court), so it is recorded as a Breach, not as a
status. An order past its expiry date is marked expired by the daily
reminders (hoth.disruption.reminders); if the court had extended it in time,
recording the new expiry date puts it back in force.

Plain Python, no Django: the services enforce it and the synthetic generator
can build histories that obey it.
"""

from datetime import date

PLANNED = "planned"
APPLIED = "applied"
IN_FORCE = "in_force"
REFUSED = "refused"
EXPIRED = "expired"
DISCHARGED = "discharged"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"

STATUSES = (PLANNED, APPLIED, IN_FORCE, REFUSED, EXPIRED, DISCHARGED, COMPLETED, WITHDRAWN)
LABELS = {
    PLANNED: "Planned",
    APPLIED: "Applied for",
    IN_FORCE: "Granted, in force",
    REFUSED: "Refused",
    EXPIRED: "Expired",
    DISCHARGED: "Discharged",
    COMPLETED: "Completed",
    WITHDRAWN: "Withdrawn",
}
# Still to be decided or still running: what a plan cannot be closed with (the first two) and what counts as live.
OPEN = (PLANNED, APPLIED, IN_FORCE)
ENDED = (REFUSED, EXPIRED, DISCHARGED, COMPLETED, WITHDRAWN)

CIVIL_ORDER, NOTICE, CRIMINAL_ORDER, REGULATORY, NON_LEGAL = (
    "civil_order",
    "notice",
    "criminal_order",
    "regulatory",
    "non_legal",
)

_ORDER = {
    PLANNED: (APPLIED, IN_FORCE, WITHDRAWN),
    APPLIED: (IN_FORCE, REFUSED, WITHDRAWN),
    IN_FORCE: (EXPIRED, DISCHARGED),
    EXPIRED: (IN_FORCE,),
}
TRANSITIONS = {
    CIVIL_ORDER: _ORDER,
    CRIMINAL_ORDER: _ORDER,
    NOTICE: {PLANNED: (IN_FORCE, WITHDRAWN), IN_FORCE: (EXPIRED, WITHDRAWN), EXPIRED: (IN_FORCE,)},
    REGULATORY: {
        PLANNED: (APPLIED, IN_FORCE, WITHDRAWN),
        APPLIED: (IN_FORCE, REFUSED, WITHDRAWN),
        IN_FORCE: (COMPLETED, EXPIRED),
        EXPIRED: (IN_FORCE,),
    },
    NON_LEGAL: {PLANNED: (IN_FORCE, WITHDRAWN), IN_FORCE: (COMPLETED, EXPIRED, WITHDRAWN), EXPIRED: (IN_FORCE,)},
}

# The words each kind of tactic uses for a status and for the day it took effect.
KIND_LABELS = {
    NOTICE: {IN_FORCE: "Issued, in force"},
    REGULATORY: {APPLIED: "Referred or applied for", IN_FORCE: "Action taken, in force", REFUSED: "No action taken"},
    NON_LEGAL: {IN_FORCE: "Under way", WITHDRAWN: "Stopped"},
}
STARTED_LABELS = {
    CIVIL_ORDER: "Date granted",
    CRIMINAL_ORDER: "Date granted",
    NOTICE: "Date issued",
    REGULATORY: "Date action was taken",
    NON_LEGAL: "Date it started",
}
APPLIED_LABELS = {REGULATORY: "Date referred or applied for"}


def label(kind, status):
    return KIND_LABELS.get(kind, {}).get(status, LABELS[status])


def started_label(kind):
    return STARTED_LABELS.get(kind, "Date granted")


def applied_label(kind):
    return APPLIED_LABELS.get(kind, "Date applied for")


def first_statuses(kind):
    """Where a newly recorded activity may start."""
    return tuple(s for s in (PLANNED, APPLIED, IN_FORCE) if s == PLANNED or s in TRANSITIONS[kind][PLANNED])


def next_statuses(kind, status):
    return TRANSITIONS[kind].get(status, ())


def can_move(kind, status, to):
    return to == status or to in next_statuses(kind, status)


# ---------------------------------------------------------------- the dates

NOT_IN_FUTURE = {
    "applied_on": "The date it was applied for must be today or in the past",
    "granted_on": "The date it took effect must be today or in the past",
    "ended_on": "The date it ended must be today or in the past",
}


def date_problems(
    *,
    status,
    has_duration,
    applied_on=None,
    granted_on=None,
    expires_on=None,
    ended_on=None,
    today: date,
    was_expiring_on=None,
):
    """{field: message} for dates an activity in `status` may not have.
    `has_duration`: the tactic's orders always have an end date. `was_expiring_on`:
    the expiry date recorded before, when an expired activity is put back in force."""
    problems = {}
    for name, value in (("applied_on", applied_on), ("granted_on", granted_on), ("ended_on", ended_on)):
        if value is not None and value > today:
            problems[name] = NOT_IN_FUTURE[name]
    if status == APPLIED and applied_on is None:
        problems["applied_on"] = "Enter the date it was applied for"
    if status in (IN_FORCE, EXPIRED, DISCHARGED, COMPLETED) and granted_on is None:
        problems["granted_on"] = "Enter the date it took effect"
    if status in (IN_FORCE, EXPIRED) and has_duration and expires_on is None:
        problems["expires_on"] = "Enter the expiry date: orders of this kind always have one"
    if status in (REFUSED, DISCHARGED, COMPLETED, WITHDRAWN) and ended_on is None:
        problems.setdefault("ended_on", "Enter the date it ended")
    if applied_on and granted_on and granted_on < applied_on and "granted_on" not in problems:
        problems["granted_on"] = "The date it took effect must be on or after the date it was applied for"
    if granted_on and expires_on and expires_on <= granted_on:
        problems["expires_on"] = "The expiry date must be after the date it took effect"
    if status == EXPIRED:
        if expires_on is None:
            problems.setdefault("expires_on", "Enter the expiry date")
        elif expires_on > today:
            problems.setdefault(
                "expires_on",
                "It has not expired yet: its expiry date is still to come. "
                "If it ended early, record that it was discharged or withdrawn",
            )
    if status == IN_FORCE and was_expiring_on is not None:
        if expires_on is None or expires_on <= was_expiring_on or expires_on < today:
            problems.setdefault(
                "expires_on",
                "To put it back in force, enter the new expiry date it was extended "
                "to: after the old one, and today or later",
            )
    latest_start = max((d for d in (applied_on, granted_on) if d), default=None)
    if ended_on and latest_start and ended_on < latest_start and "ended_on" not in problems:
        problems["ended_on"] = "The date it ended must be on or after the date it was applied for or took effect"
    return problems
