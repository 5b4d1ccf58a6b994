"""Domain operations on disruption: plans, activities, breaches, outcomes and
reviews. Each runs in one transaction, asks the access gate, refuses bad
input with a ValidationError ({field: message}) that changes nothing, and
writes one audit event for each record it creates or changes.

Pages, the panel, commands and the synthetic generator all come through here.
Every operation takes `at` (when it happened; now by default): dates are
checked against that day, so a generator can write a history years long
through the same rules a practitioner meets today.
"""

import datetime
import enum
from collections.abc import Iterable
from typing import Final, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.intelligence.models import IntelligenceReport, Subject
from hoth.panels.models import AgendaItem
from hoth.people.models import Person

from . import flow
from .models import (
    Breach,
    DisruptionActivity,
    DisruptionPlan,
    DisruptionPlanReview,
    OutcomeAssessment,
    Tactic,
    TacticKind,
)


class _Keep(enum.Enum):
    """change_status: leave this date as it is (a sentinel its signature can name)."""

    KEEP = "keep"


KEEP: Final = _Keep.KEEP

OFFICER_CANNOT_SEE = "Choose someone who may see this subject's disruption plan"
OWNER_CANNOT_SEE = "Choose an owner who may see this subject's disruption plan"


def expiry_warning_days() -> int:
    return settings.HOTH_DISRUPTION_EXPIRY_WARNING_DAYS


def _moment(at: datetime.datetime | None) -> tuple[datetime.datetime, datetime.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at)


def may_work_on(user: User | None, subject: Subject) -> bool:
    """Whether `user` could act on disruption about `subject` (an officer, an owner)."""
    return (
        user is not None
        and user.is_active
        and not user.is_service_account
        and policy.can(user, "disruption.view")
        and policy.can(user, "subject.view", subject)
    )


# ---------------------------------------------------------------- subjects


def subject_for(user: User, reference: str, *, audit: AuditContext | None = None) -> Subject | None:
    """The subject with this reference if the user may see it. An adult or a
    place on record but not yet a subject becomes one when the user may record
    disruption: recording disruption names them in the intelligence picture. A
    child enters it only through an analyst's work."""
    from hoth.intelligence.subjects import find_subject

    return find_subject(user, reference, naming="disruption.manage", adults_only=True, audit=audit)


# ---------------------------------------------------------------- plans


def _plan_problems(
    user: User,
    subject: Subject,
    objective: str,
    next_review_on: datetime.date | None,
    owner: User | None,
    today: datetime.date,
) -> dict[str, str]:
    problems = {}
    if not (objective or "").strip():
        problems["plan_objective"] = "Say what the disruption plan means to achieve"
    if next_review_on is None:
        problems["plan_next_review_on"] = "Enter the date the plan will first be reviewed"
    elif next_review_on < today:
        problems["plan_next_review_on"] = "The first review must be today or later"
    if owner is not None and not may_work_on(owner, subject):
        problems["plan_owner"] = OWNER_CANNOT_SEE
    return problems


def _create_plan(
    user: User,
    subject: Subject,
    *,
    objective: str,
    next_review_on: datetime.date | None,
    owner: User | None,
    lead_agency: Agency | None,
    at: datetime.datetime,
    audit: AuditContext | None,
) -> DisruptionPlan:
    plan = DisruptionPlan.objects.create(
        subject=subject,
        objective=objective.strip(),
        owner=owner or user,
        lead_agency=lead_agency or user.agency,
        next_review_on=next_review_on,
        created_by=user,
        created_at=at,
    )
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=plan,
        person=subject.person_id,
        detail={
            "subject": subject.reference,
            "owner": plan.owner_id,
            "lead_agency": plan.lead_agency_id,
            "next_review_on": next_review_on,
        },
    )
    return plan


# ---------------------------------------------------------------- activities


def children_problems(
    user: User, children: Iterable[Person], today: datetime.date, field: str = "children"
) -> dict[str, str]:
    """A child linked to disruption must be one the recorder may see, and not an adult."""
    children = list(children)
    seen = set(Person.objects.visible_to(user).filter(pk__in=[c.pk for c in children]).values_list("pk", flat=True))
    for child in children:
        if child.pk not in seen:
            return {field: "Choose only children you may see"}
        age = child.age_on(today)
        if age is not None and age >= 18:
            return {field: f"{child.reference} is not a child"}
    return {}


def intelligence_problems(
    user: User, reports: Iterable[IntelligenceReport], field: str = "intelligence"
) -> dict[str, str]:
    reports = list(reports)
    readable = set(
        IntelligenceReport.objects.visible_to(user)
        .filter(pk__in=[r.pk for r in reports], status=IntelligenceReport.Status.GRADED)
        .values_list("pk", flat=True)
    )
    unknown = [r.reference for r in reports if r.pk not in readable]
    if unknown:
        return {field: f"Give only graded intelligence you may read: not {', '.join(unknown)}"}
    return {}


def activity_problems(
    *,
    subject: Subject,
    tactic: Tactic | None,
    status: str,
    officer_may_act: bool = True,
    applied_on: datetime.date | None = None,
    granted_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    today: datetime.date,
) -> dict[str, str]:
    """What the service would refuse about a new activity, as {field: message}.
    Pure of the database apart from the objects given: the synthetic
    generator checks the rows it builds with it."""
    problems = {}
    if tactic is None:
        return {"tactic": "Choose a tactic"}
    if not tactic.is_active:
        problems["tactic"] = "This tactic has been switched off: choose another"
    elif not tactic.applies_to(subject.kind):
        problems["tactic"] = f"{tactic.name} cannot be used against a {subject.get_kind_display().lower()}"
    if status not in flow.first_statuses(tactic.kind):
        problems["status"] = "Choose where it is now"
    else:
        problems.update(
            flow.date_problems(
                status=status,
                has_duration=tactic.has_duration,
                applied_on=applied_on,
                granted_on=granted_on,
                expires_on=expires_on,
                today=today,
            )
        )
    if not officer_may_act:
        problems["officer"] = OFFICER_CANNOT_SEE
    return problems


@transaction.atomic
def record_activity(
    user: User,
    subject: Subject,
    *,
    tactic: Tactic,
    status: str,
    officer: User | None = None,
    lead_agency: Agency | None = None,
    applied_on: datetime.date | None = None,
    granted_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    details: str = "",
    children: Iterable[Person] = (),
    intelligence: Iterable[IntelligenceReport] = (),
    plan_objective: str = "",
    plan_next_review_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> DisruptionActivity:
    """A tactic used against a subject, within its disruption plan. A subject
    with no plan gets one (its objective and first review are then needed);
    recording on a closed plan reopens it. Returns the activity."""
    policy.check(user, "disruption.manage", subject)
    at, today = _moment(at)
    officer = officer or user
    lead_agency = lead_agency or user.agency
    children, intelligence = list(children), list(intelligence)
    plan = DisruptionPlan.objects.select_for_update().filter(subject=subject).first()
    problems = activity_problems(
        subject=subject,
        tactic=tactic,
        status=status,
        officer_may_act=may_work_on(officer, subject),
        applied_on=applied_on,
        granted_on=granted_on,
        expires_on=expires_on,
        today=today,
    )
    problems.update(children_problems(user, children, today))
    problems.update(intelligence_problems(user, intelligence))
    if plan is None:
        problems.update(_plan_problems(user, subject, plan_objective, plan_next_review_on, None, today))
    if problems:
        raise ValidationError(problems)
    reopened = False
    if plan is None:
        plan = _create_plan(
            user,
            subject,
            objective=plan_objective,
            next_review_on=plan_next_review_on,
            owner=None,
            lead_agency=None,
            at=at,
            audit=audit,
        )
    elif not plan.is_open:
        plan.status, plan.closed_on = DisruptionPlan.Status.OPEN, None
        plan.save(update_fields=["status", "closed_on"])
        reopened = True
    activity = DisruptionActivity.objects.create(
        plan=plan,
        subject=subject,
        tactic=tactic,
        lead_agency=lead_agency,
        officer=officer,
        status=status,
        applied_on=applied_on,
        granted_on=granted_on,
        expires_on=expires_on,
        details=(details or "").strip(),
        created_by=user,
        created_at=at,
        changed_at=at,
    )
    activity.children.set(children)
    activity.intelligence.set(intelligence)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=activity,
        person=subject.person_id,
        people=[c.pk for c in children],
        detail={
            "subject": subject.reference,
            "plan": plan.pk,
            "plan_reopened": reopened,
            "tactic": tactic.code,
            "status": status,
            "applied_on": applied_on,
            "granted_on": granted_on,
            "expires_on": expires_on,
            "officer": officer.pk,
            "lead_agency": lead_agency.pk,
            "intelligence": sorted(r.reference for r in intelligence),
        },
    )
    return activity


def _lock(activity: DisruptionActivity) -> DisruptionActivity:
    return (
        DisruptionActivity.objects.select_for_update().select_related("tactic", "subject", "plan").get(pk=activity.pk)
    )


@transaction.atomic
def change_status(
    user: User,
    activity: DisruptionActivity,
    *,
    status: str | None = None,
    applied_on: datetime.date | None | Literal[_Keep.KEEP] = KEEP,
    granted_on: datetime.date | None | Literal[_Keep.KEEP] = KEEP,
    expires_on: datetime.date | None | Literal[_Keep.KEEP] = KEEP,
    ended_on: datetime.date | None | Literal[_Keep.KEEP] = KEEP,
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> DisruptionActivity:
    """Move an activity on (hoth.disruption.flow says where it may go) and
    correct its dates. A date not given is kept. A new expiry date means the
    reminders are due again. Returns the activity; nothing is written when
    nothing changed."""
    activity = _lock(activity)
    policy.check(user, "disruption.manage", activity.subject)
    at, today = _moment(at)
    before = {
        "status": activity.status,
        "applied_on": activity.applied_on,
        "granted_on": activity.granted_on,
        "expires_on": activity.expires_on,
        "ended_on": activity.ended_on,
    }
    status = status or activity.status
    kind = activity.tactic.kind
    if not flow.can_move(kind, activity.status, status):
        raise ValidationError(
            {"status": f"It cannot go from {activity.status_label.lower()} to {flow.label(kind, status).lower()}"}
        )
    after = dict(before, status=status)
    for name, value in (
        ("applied_on", applied_on),
        ("granted_on", granted_on),
        ("expires_on", expires_on),
        ("ended_on", ended_on),
    ):
        if value is not KEEP:
            after[name] = value
    if status in (flow.PLANNED, flow.APPLIED, flow.IN_FORCE):
        after["ended_on"] = None
    if status == flow.EXPIRED and after["ended_on"] is None:
        after["ended_on"] = after["expires_on"]
    extending = before["status"] == flow.EXPIRED and status == flow.IN_FORCE
    problems = flow.date_problems(
        status=status,
        has_duration=activity.tactic.has_duration,
        applied_on=after["applied_on"],
        granted_on=after["granted_on"],
        expires_on=after["expires_on"],
        ended_on=after["ended_on"],
        today=today,
        was_expiring_on=before["expires_on"] if extending else None,
    )
    if problems:
        raise ValidationError(problems)
    changed = {name: [before[name], value] for name, value in after.items() if before[name] != value}
    if not changed:
        return activity
    for name, new_value in after.items():
        setattr(activity, name, new_value)
    fields = list(after) + ["changed_at"]
    if "expires_on" in changed:
        activity.expiry_warned_at = activity.expired_told_at = None
        fields += ["expiry_warned_at", "expired_told_at"]
    activity.changed_at = at
    activity.save(update_fields=fields)
    log.record(
        "update", audit=audit, user=user, obj=activity, person=activity.subject.person_id, detail={"changed": changed}
    )
    return activity


@transaction.atomic
def set_children(
    user: User,
    activity: DisruptionActivity,
    children: Iterable[Person],
    *,
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> DisruptionActivity:
    """The children the activity protects, as the user chose among those they
    may see. Linked children the user may not see stay linked: nobody unlinks
    a child they cannot see."""
    activity = _lock(activity)
    policy.check(user, "disruption.manage", activity.subject)
    at, today = _moment(at)
    children = list(children)
    problems = children_problems(user, children, today)
    if problems:
        raise ValidationError(problems)
    current = set(activity.children.values_list("pk", flat=True))
    visible = set(Person.objects.visible_to(user).filter(pk__in=current).values_list("pk", flat=True))
    wanted = {c.pk for c in children} | (current - visible)
    if wanted == current:
        return activity
    activity.children.set(wanted)
    activity.changed_at = at
    activity.save(update_fields=["changed_at"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=activity,
        person=activity.subject.person_id,
        people=sorted(wanted ^ current),
        detail={"children_added": sorted(wanted - current), "children_removed": sorted(current - wanted)},
    )
    return activity


BREACHABLE = (TacticKind.CIVIL_ORDER, TacticKind.CRIMINAL_ORDER, TacticKind.NOTICE, TacticKind.REGULATORY)


@transaction.atomic
def record_breach(
    user: User,
    activity: DisruptionActivity,
    *,
    occurred_on: datetime.date | None,
    what: str,
    action: str,
    action_details: str = "",
    police_reference: str = "",
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> Breach:
    """A breach of an order or notice that has been in force. The order
    stays in force."""
    activity = _lock(activity)
    policy.check(user, "disruption.manage", activity.subject)
    at, today = _moment(at)
    problems = {}
    if activity.tactic.kind not in BREACHABLE:
        raise ValidationError("Only an order, a notice or a licensing decision can be breached")
    if activity.granted_on is None:
        raise ValidationError("It has not been in force, so it cannot have been breached")
    if occurred_on is None:
        problems["occurred_on"] = "Enter the date of the breach"
    elif occurred_on > today:
        problems["occurred_on"] = "The date of the breach must be today or in the past"
    elif occurred_on < activity.granted_on:
        problems["occurred_on"] = (
            f"The breach must be on or after the day it took effect ({activity.granted_on:%-d %B %Y})"
        )
    elif activity.ended_on and occurred_on > activity.ended_on:
        problems["occurred_on"] = f"It ended on {activity.ended_on:%-d %B %Y}: the breach must be before then"
    if not (what or "").strip():
        problems["what"] = "Say what happened"
    if action not in Breach.Action.values:
        problems["action"] = "Select the action taken"
    if problems:
        raise ValidationError(problems)
    assert occurred_on is not None  # a missing date was refused above
    breach = Breach.objects.create(
        activity=activity,
        occurred_on=occurred_on,
        what=what.strip(),
        action=action,
        action_details=(action_details or "").strip(),
        police_reference=(police_reference or "").strip(),
        recorded_by=user,
        recorded_at=at,
    )
    activity.changed_at = at
    activity.save(update_fields=["changed_at"])
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=breach,
        person=activity.subject.person_id,
        detail={"activity": activity.reference, "occurred_on": occurred_on, "action": action},
    )
    return breach


@transaction.atomic
def record_outcome(
    user: User,
    activity: DisruptionActivity,
    *,
    outcome: str,
    assessment: str,
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> DisruptionActivity:
    """What came of it, in words and as a judgement the panel can count."""
    activity = _lock(activity)
    policy.check(user, "disruption.manage", activity.subject)
    at, _ = _moment(at)
    problems = {}
    if not (outcome or "").strip():
        problems["outcome"] = "Say what came of it"
    if assessment not in OutcomeAssessment.values:
        problems["outcome_assessment"] = "Select whether it disrupted the exploitation"
    if problems:
        raise ValidationError(problems)
    first = not activity.outcome
    activity.outcome, activity.outcome_assessment = outcome.strip(), assessment
    activity.outcome_recorded_at, activity.outcome_recorded_by, activity.changed_at = at, user, at
    activity.save(
        update_fields=["outcome", "outcome_assessment", "outcome_recorded_at", "outcome_recorded_by", "changed_at"]
    )
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=activity,
        person=activity.subject.person_id,
        detail={"outcome_assessment": assessment, "outcome": "recorded" if first else "changed"},
    )
    return activity


# ---------------------------------------------------------------- reviews

REVIEWABLE_SECTIONS = ("person", "place")


def _item_problems(user: User, plan: DisruptionPlan, item: AgendaItem) -> str:
    from hoth.panels.models import Meeting

    meeting = item.meeting
    if meeting.kind != Meeting.Kind.PANEL or item.section not in REVIEWABLE_SECTIONS:
        return "A plan is reviewed on a panel item about a person or place of concern"
    if item.status != item.Status.ACCEPTED:
        return "This item is not on the panel's agenda"
    if (item.person_id or None) != plan.subject.person_id or (item.context_id or None) != plan.subject.context_id:
        return "This panel item is about someone or somewhere else"
    if not policy.can(user, "meeting.manage", meeting):
        return "Only those running the panel record its review of a plan"
    if not Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.PLANNED).exists():
        return "This panel has been confirmed: its record can no longer be changed"
    return ""


@transaction.atomic
def review_plan(
    user: User,
    plan: DisruptionPlan,
    *,
    reviewed_on: datetime.date | None,
    what_changed: str,
    decision: str,
    next_review_on: datetime.date | None = None,
    objective: str | None = None,
    owner: User | None = None,
    lead_agency: Agency | None = None,
    agenda_item: AgendaItem | None = None,
    at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
) -> DisruptionPlanReview:
    """A review of the plan, between panels or at one (`agenda_item`: the
    panel's item about the subject, while the panel is still being recorded).
    Continue or change it with the next review date, or close it. Changing it
    may give a new objective, owner or lead agency."""
    plan = DisruptionPlan.objects.select_for_update().select_related("subject").get(pk=plan.pk)
    policy.check(user, "disruption.review", plan)
    at, today = _moment(at)
    if not plan.is_open:
        raise ValidationError("This plan is closed. Recording a new activity reopens it")
    if agenda_item is not None:
        problem = _item_problems(user, plan, agenda_item)
        if problem:
            raise ValidationError(problem)
    problems = {}
    Decision = DisruptionPlanReview.Decision
    if reviewed_on is None:
        problems["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > today:
        problems["reviewed_on"] = "The date of the review must be today or in the past"
    if not (what_changed or "").strip():
        problems["what_changed"] = "Say what has changed since the plan began or was last reviewed"
    if decision not in Decision.values:
        problems["decision"] = "Select the decision"
    if decision != Decision.CLOSE:
        if next_review_on is None:
            problems["next_review_on"] = "Enter the date of the next review"
        elif reviewed_on and next_review_on <= reviewed_on:
            problems["next_review_on"] = "The next review must be after this one"
    if decision == Decision.CLOSE and plan.activities.filter(status__in=[flow.PLANNED, flow.APPLIED]).exists():
        problems["decision"] = (
            "Activities are still planned or applied for: record that they were withdrawn, "
            "granted or refused before closing the plan"
        )
    if decision == Decision.CHANGE:
        if objective is not None and not objective.strip():
            problems["objective"] = "Say what the plan now means to achieve"
        if owner is not None and not may_work_on(owner, plan.subject):
            problems["owner"] = OWNER_CANNOT_SEE
    if problems:
        raise ValidationError(problems)
    assert reviewed_on is not None  # a missing date was refused above
    review = DisruptionPlanReview.objects.create(
        plan=plan,
        reviewed_on=reviewed_on,
        agenda_item=agenda_item,
        what_changed=what_changed.strip(),
        decision=decision,
        next_review_on=None if decision == Decision.CLOSE else next_review_on,
        reviewed_by=user,
        recorded_at=at,
    )
    changes: dict[str, str | list[int]] = {}
    if decision == Decision.CHANGE:
        if objective is not None and objective.strip() != plan.objective:
            plan.objective, changes["objective"] = objective.strip(), "changed"
        if owner is not None and owner.pk != plan.owner_id:
            changes["owner"], plan.owner = [plan.owner_id, owner.pk], owner
        if lead_agency is not None and lead_agency.pk != plan.lead_agency_id:
            changes["lead_agency"], plan.lead_agency = [plan.lead_agency_id, lead_agency.pk], lead_agency
    if decision == Decision.CLOSE:
        plan.status, plan.closed_on, plan.next_review_on = DisruptionPlan.Status.CLOSED, reviewed_on, None
    else:
        plan.next_review_on = next_review_on
    plan.save()
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=review,
        person=plan.subject.person_id,
        detail={
            "plan": plan.pk,
            "subject": plan.subject.reference,
            "decision": decision,
            "next_review_on": review.next_review_on,
            "plan_changes": changes,
            "agenda_item": agenda_item.pk if agenda_item else None,
            "meeting": agenda_item.meeting_id if agenda_item else None,
        },
    )
    return review
