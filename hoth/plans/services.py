"""Changing a child's safety and support plan, and recording reviews.

Every change to the plan (its words, an action, a service referral) is one
save: it carries the plan version the user read, moves the plan on one
version and keeps a snapshot (PlanVersion) of the whole plan afterwards.
Two people saving from the same version: exactly one wins; the other gets
PlanConflict and is shown what was saved, with their own work kept in the
form.
"""

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import Case
from hoth.concurrent_edits import claim
from hoth.directory.models import Service
from hoth.tasks.models import Task
from hoth.tasks.services import create_task

from .models import Goal, Plan, PlanAction, PlanVersion, Review, ServiceReferral
from .selectors import missing_episodes_between, review_period_start, snapshot


def plan_for(case: Case) -> Plan:
    """The case's plan; a case without one has an empty plan at version 0."""
    plan, _ = Plan.objects.get_or_create(case=case)
    plan.case = case
    return plan


def read_snapshot(version: PlanVersion) -> dict[str, Any]:
    """What a version kept: the plan as snapshot() had it then."""
    return json.loads(version.snapshot)


def _keep_version(plan, user, what_changed, audit):
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        saved_by=user,
        what_changed=what_changed[:300],
        snapshot=json.dumps(snapshot(plan)),
    )
    log.record(
        "update", audit=audit, user=user, obj=plan, person=plan.case.person_id, detail={"plan_version": plan.version}
    )
    return version


def _check_open(plan):
    if plan.case.status != "open":
        raise ValidationError("The case is closed: reopen it to change the plan")


# ------------------------------------------------------------------ the plan's words and goals


@transaction.atomic
def save_plan(
    case: Case,
    *,
    user: User,
    read_version: int,
    goals: Iterable[str],
    child_wants: str,
    child_trusts: str,
    family_views: str,
    review_date: datetime.date | None,
    audit: AuditContext | None = None,
) -> Plan:
    policy.check(user, "plan.edit", case)
    plan = plan_for(case)
    _check_open(plan)
    goals = [g.strip() for g in goals if g and g.strip()]
    if review_date is not None and review_date < timezone.localdate():
        raise ValidationError({"review_date": "The review date must be today or in the future"})
    claim(plan, read_version, updated_at=timezone.now(), updated_by=user)
    changed = []
    before = [g.text for g in plan.goals.all()]
    if before != goals:
        plan.goals.all().delete()
        Goal.objects.bulk_create([Goal(plan=plan, text=text, position=i) for i, text in enumerate(goals)])
        changed.append("goals")
    for field, value, label in (
        ("child_wants", child_wants, "what the child wants"),
        ("child_trusts", child_trusts, "who the child trusts"),
        ("family_views", family_views, "the family's views"),
        ("review_date", review_date, "review date"),
    ):
        if getattr(plan, field) != value:
            setattr(plan, field, value)
            changed.append(label)
    plan.save(update_fields=["child_wants", "child_trusts", "family_views", "review_date"])
    _schedule_review(plan, user, audit)
    summary = ("Changed " + ", ".join(changed)) if changed else "Saved with no changes"
    _keep_version(plan, user, summary, audit)
    return plan


# ------------------------------------------------------------------ actions

TASK_STATUS = {PlanAction.Status.DONE: Task.Status.DONE, PlanAction.Status.CANCELLED: Task.Status.CANCELLED}


# The titles of the tasks a plan makes, used by the generator too. Tasks and
# their notifications travel further than the record: no child's name.
def action_task_title(case: Case) -> str:
    return f"Safety plan action for case {case.reference}"


def review_task_title(case: Case) -> str:
    return f"Review the safety and support plan for case {case.reference}"


@transaction.atomic
def add_action(
    case: Case,
    *,
    user: User,
    read_version: int,
    what: str,
    owner: User,
    due_date: datetime.date,
    audit: AuditContext | None = None,
) -> PlanAction:
    policy.check(user, "plan.edit", case)
    plan = plan_for(case)
    _check_open(plan)
    if not (what or "").strip():
        raise ValidationError({"what": "Say what will be done"})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": "The due date must be today or in the future"})
    claim(plan, read_version, updated_at=timezone.now(), updated_by=user)
    task = create_task(
        title=action_task_title(case),
        details=what.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
        person=case.person,
        case=case,
        audit=audit,
    )
    action = PlanAction.objects.create(
        plan=plan, what=what.strip(), owner=owner, agency=owner.agency, due_date=due_date, task=task
    )
    _keep_version(plan, user, f"Added an action for {owner.full_name} ({owner.agency.name})", audit)
    return action


@transaction.atomic
def update_action(
    action: PlanAction,
    *,
    user: User,
    read_version: int,
    status: str,
    due_date: datetime.date,
    audit: AuditContext | None = None,
) -> PlanAction:
    plan = action.plan
    policy.check(user, "plan.edit", plan.case)
    _check_open(plan)
    if status not in PlanAction.Status.values:
        raise ValidationError({"status": "Choose the action's status"})
    claim(plan, read_version, updated_at=timezone.now(), updated_by=user)
    changed = []
    if action.status != status:
        changed.append(f"status to {PlanAction.Status(status).label.lower()}")
        action.status = status
    if action.due_date != due_date:
        changed.append(f"due date to {due_date:%-d %B %Y}")
        action.due_date = due_date
    action.save(update_fields=["status", "due_date"])
    _sync_task(action)
    what = "Changed an action's " + " and ".join(changed) if changed else "Saved an action with no changes"
    _keep_version(plan, user, what, audit)
    return action


def _sync_task(action):
    """The owner's task says what the action says."""
    if action.task_id is None:
        return
    status = TASK_STATUS.get(action.status, Task.Status.OPEN)
    fields = {
        "status": status,
        "due_date": action.due_date,
        "completed_at": timezone.now() if status == Task.Status.DONE else None,
    }
    Task.objects.filter(pk=action.task_id).exclude(**fields).update(**fields)


@transaction.atomic
def action_task_finished(task: Task) -> PlanAction | None:
    """A task finished or cancelled from "My tasks": the action follows, as a
    new plan version by the task's owner (the plan has changed under anyone
    editing it, so their save must see the conflict)."""
    action = PlanAction.objects.select_related("plan__case").filter(task=task).first()
    if action is None:
        return None
    follows: dict[str, PlanAction.Status] = {
        Task.Status.DONE: PlanAction.Status.DONE,
        Task.Status.CANCELLED: PlanAction.Status.CANCELLED,
    }
    wanted = follows.get(task.status)
    if wanted is None or action.status == wanted:
        return None
    plan = action.plan
    plan.version = Plan.objects.filter(pk=plan.pk).values_list("version", flat=True).get()
    claim(plan, plan.version, updated_at=timezone.now(), updated_by=task.owner)
    action.status = wanted
    action.save(update_fields=["status"])
    _keep_version(plan, task.owner, f"{task.owner.full_name} marked their action {wanted.label.lower()}", None)
    return action


# ------------------------------------------------------------------ services from the directory


def _stamp_status_date(referral, status, on):
    field = ServiceReferral.DATE_FOR_STATUS.get(status)
    if field:
        setattr(referral, field, on)


@transaction.atomic
def refer_to_service(
    case: Case,
    *,
    user: User,
    read_version: int,
    service: Service,
    status: str,
    on: datetime.date,
    note: str = "",
    audit: AuditContext | None = None,
) -> ServiceReferral:
    policy.check(user, "plan.edit", case)
    plan = plan_for(case)
    _check_open(plan)
    if status not in ServiceReferral.Status.values:
        raise ValidationError({"status": "Choose where the referral is up to"})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date must be today or in the past"})
    if plan.service_referrals.filter(service=service).exclude(status__in=["declined", "finished"]).exists():
        raise ValidationError({"service": f"The plan already has a live referral to {service.name}"})
    claim(plan, read_version, updated_at=timezone.now(), updated_by=user)
    referral = ServiceReferral(plan=plan, service=service, status=status, note=note, referred_by=user)
    if status != ServiceReferral.Status.PROPOSED:
        referral.referred_on = on
    _stamp_status_date(referral, status, on)
    referral.save()
    _keep_version(plan, user, f"Added {service.name} ({referral.get_status_display().lower()})", audit)
    return referral


@transaction.atomic
def update_referral(
    referral: ServiceReferral,
    *,
    user: User,
    read_version: int,
    status: str,
    on: datetime.date,
    note: str,
    audit: AuditContext | None = None,
) -> ServiceReferral:
    plan = referral.plan
    policy.check(user, "plan.edit", plan.case)
    _check_open(plan)
    if status not in ServiceReferral.Status.values:
        raise ValidationError({"status": "Choose where the referral is up to"})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date must be today or in the past"})
    claim(plan, read_version, updated_at=timezone.now(), updated_by=user)
    changed = referral.status != status
    referral.status = status
    if status != ServiceReferral.Status.PROPOSED and referral.referred_on is None:
        referral.referred_on = on
    _stamp_status_date(referral, status, on)
    referral.note = note
    referral.updated_at = timezone.now()
    referral.save()
    what = (
        f"{referral.service.name}: {referral.get_status_display().lower()}"
        if changed
        else f"Changed the note on {referral.service.name}"
    )
    _keep_version(plan, user, what, audit)
    return referral


# ------------------------------------------------------------------ reviews


def _schedule_review(plan, user, audit):
    """The lead professional has a task to hold the review on the plan's
    review date: set when the date is first set, moved when it moves."""
    task = Task.objects.filter(pk=plan.review_task_id, status=Task.Status.OPEN).first() if plan.review_task_id else None
    if plan.review_date is None:
        if task is not None:
            Task.objects.filter(pk=task.pk).update(status=Task.Status.CANCELLED)
        return
    if task is not None:
        if task.due_date != plan.review_date or task.owner_id != plan.case.lead_professional_id:
            Task.objects.filter(pk=task.pk).update(
                due_date=plan.review_date,
                owner=plan.case.lead_professional,
                owner_agency=plan.case.lead_professional.agency,
            )
        return
    task = create_task(
        title=review_task_title(plan.case),
        owner=plan.case.lead_professional,
        due_date=plan.review_date,
        created_by=user,
        person=plan.case.person,
        case=plan.case,
        audit=audit,
    )
    plan.review_task = task
    plan.save(update_fields=["review_task"])


def _rating(value, field, problems, required=False):
    if value is None:
        if required:
            problems[field] = "Enter a rating from 0 to 10"
        return
    if not 0 <= value <= 10:
        problems[field] = "The rating must be a whole number from 0 to 10"


@transaction.atomic
def record_review(
    case: Case,
    *,
    user: User,
    held_on: datetime.date,
    child_feels_safe: int | None,
    child_wellbeing: int | None,
    practitioner_rating: int | None,
    school_attendance: Decimal | None,
    what_changed: str,
    next_review_date: datetime.date,
    audit: AuditContext | None = None,
) -> Review:
    policy.check(user, "plan.record_review", case)
    problems: dict[str, str] = {}
    _rating(child_feels_safe, "child_feels_safe", problems)
    _rating(child_wellbeing, "child_wellbeing", problems)
    _rating(practitioner_rating, "practitioner_rating", problems, required=True)
    today = timezone.localdate()
    start = review_period_start(case)
    if held_on > today:
        problems["held_on"] = "The review date must be today or in the past"
    elif held_on < start:
        problems["held_on"] = f"The review must be on or after {start:%-d %B %Y}, the last review or the case opening"
    if school_attendance is not None and not 0 <= school_attendance <= 100:
        problems["school_attendance"] = "School attendance must be a percentage from 0 to 100"
    if not (what_changed or "").strip():
        problems["what_changed"] = "Say what has changed since the last review"
    if next_review_date is not None and next_review_date <= held_on:
        problems["next_review_date"] = "The next review must be after this one"
    elif next_review_date is not None and next_review_date > held_on + datetime.timedelta(days=366):
        problems["next_review_date"] = "The next review must be within a year"
    if problems:
        raise ValidationError(problems)
    assert practitioner_rating is not None  # required: a missing rating is one of the problems above
    plan = Plan.objects.filter(case=case).first()
    review = Review.objects.create(
        case=case,
        held_on=held_on,
        plan_version=plan.version if plan else None,
        child_feels_safe=child_feels_safe,
        child_wellbeing=child_wellbeing,
        practitioner_rating=practitioner_rating,
        school_attendance=school_attendance,
        period_start=start,
        missing_episodes_since_last=missing_episodes_between(case.person, start, held_on),
        what_changed=what_changed.strip(),
        next_review_date=next_review_date,
        recorded_by=user,
    )
    log.record("create", audit=audit, user=user, obj=review, person=case.person_id)
    if plan is None or case.status != "open":
        return review
    plan.case = case
    if plan.review_task_id:
        # This review was the one the task asked for; the next gets its own.
        Task.objects.filter(pk=plan.review_task_id, status=Task.Status.OPEN).update(
            status=Task.Status.DONE, completed_at=timezone.now()
        )
    if plan.review_date != next_review_date:
        # The plan's review date follows the schedule the review set, as a new
        # plan version: anyone editing the plan meanwhile must see the change.
        plan.version = Plan.objects.filter(pk=plan.pk).values_list("version", flat=True).get()
        claim(plan, plan.version, updated_at=timezone.now(), updated_by=user)
        plan.review_date = next_review_date
        plan.save(update_fields=["review_date"])
        _keep_version(plan, user, f"The review of {held_on:%-d %B %Y} set the next review date", audit)
    _schedule_review(plan, user, audit)
    return review
