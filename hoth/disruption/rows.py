"""Disruption rows for bulk writing (the synthetic generator's path).

The services (hoth.disruption.services) are the way in for people: one
transaction, the access gate and an audit event for each change. A generator
writing thousands of histories needs rows it can COPY (hoth.synthetic.writing)
that obey the same rules: these build unsaved rows, checked against the
state machine and the date rules in hoth.disruption.flow, with their
references filled in (a bulk insert never calls save()). Nothing here asks
the gate or writes the audit log: only synthetic data may come this way.

A history is the statuses an activity went through, in order, each with the
day it happened; `activity_row` checks every step and returns the row as it
stands after the last one.
"""

from hoth.people.models import new_reference

from . import flow
from .models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview


class HistoryError(ValueError):
    """A history the services would have refused."""


def plan_row(subject, *, owner, lead_agency, objective, next_review_on, created_at, closed_on=None):
    return DisruptionPlan(
        subject=subject,
        owner=owner,
        lead_agency=lead_agency,
        objective=objective,
        next_review_on=None if closed_on else next_review_on,
        created_by=owner,
        created_at=created_at,
        closed_on=closed_on,
        status=DisruptionPlan.Status.CLOSED if closed_on else DisruptionPlan.Status.OPEN,
    )


def activity_row(plan, tactic, *, officer, lead_agency, history, expires_on=None, details="", created_at):
    """`history`: [(status, day)] from the first status on, e.g.
    [("applied", d1), ("in_force", d2), ("expired", d3)]. The day of
    "applied" is the date applied for, of "in_force" the date it took effect,
    of an ending the date it ended (for "expired", the expiry date)."""
    if not history:
        raise HistoryError("a history needs at least its first status")
    kind = tactic.kind
    first, _ = history[0]
    if first not in flow.first_statuses(kind):
        raise HistoryError(f"{tactic.code} cannot start {first}")
    dates = {"applied_on": None, "granted_on": None, "ended_on": None}
    previous = None
    for status, day in history:
        if previous is not None and not flow.can_move(kind, previous, status):
            raise HistoryError(f"{tactic.code} cannot go from {previous} to {status}")
        if status == flow.APPLIED:
            dates["applied_on"] = day
        elif status == flow.IN_FORCE:
            if dates["granted_on"] is not None:
                raise HistoryError("an extension is recorded through the services, with its new expiry date")
            dates["granted_on"] = day
        elif status in flow.ENDED:
            dates["ended_on"] = expires_on if status == flow.EXPIRED else day
        previous = status
    last_day = max(day for _, day in history)
    problems = flow.date_problems(
        status=previous, has_duration=tactic.has_duration, expires_on=expires_on, today=last_day, **dates
    )
    if problems:
        raise HistoryError("; ".join(f"{field}: {message}" for field, message in problems.items()))
    return DisruptionActivity(
        reference=new_reference("D"),
        plan=plan,
        subject=plan.subject,
        tactic=tactic,
        lead_agency=lead_agency,
        officer=officer,
        status=previous,
        expires_on=expires_on,
        details=details,
        created_by=officer,
        created_at=created_at,
        changed_at=created_at,
        **dates,
    )


def children_rows(activity, children):
    """The rows linking an activity (already written, so with its pk) to the children it protects."""
    through = DisruptionActivity.children.through
    return [through(disruptionactivity_id=activity.pk, person_id=getattr(c, "pk", c)) for c in children]


def breach_row(activity, *, occurred_on, what, action, recorded_by, recorded_at, action_details=""):
    if (
        activity.granted_on is None
        or occurred_on < activity.granted_on
        or (activity.ended_on and occurred_on > activity.ended_on)
    ):
        raise HistoryError("a breach happens while the order is in force")
    if action not in Breach.Action.values:
        raise HistoryError(f"no such action: {action}")
    return Breach(
        activity=activity,
        occurred_on=occurred_on,
        what=what,
        action=action,
        action_details=action_details,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
    )


def review_row(
    plan, *, reviewed_on, what_changed, decision, reviewed_by, recorded_at, next_review_on=None, agenda_item=None
):
    if decision not in DisruptionPlanReview.Decision.values:
        raise HistoryError(f"no such decision: {decision}")
    if decision != DisruptionPlanReview.Decision.CLOSE and (next_review_on is None or next_review_on <= reviewed_on):
        raise HistoryError("a plan that goes on needs its next review after this one")
    return DisruptionPlanReview(
        plan=plan,
        reviewed_on=reviewed_on,
        what_changed=what_changed,
        decision=decision,
        next_review_on=next_review_on if decision != "close" else None,
        reviewed_by=reviewed_by,
        recorded_at=recorded_at,
        agenda_item=agenda_item,
    )
