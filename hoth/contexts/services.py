"""Contexts as subjects (Contextual Safeguarding, Level 2): recording a place,
peer group, school or online space; taking on the referrals made about it;
assessing it; planning what partners will do there; reviewing the plan; and
recording incidents there. Each operation is one transaction with its audit
event."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.referrals.models import HarmType, Referral

from .geography import locate
from .models import Context, ContextAction, ContextAssessment, ContextReview, Incident

FIELDS = ("kind", "name", "place_type", "address", "town", "postcode", "platform", "handle", "description")
ASSESSMENT_FIELDS = ("who_uses", "when_used", "dynamics", "risks", "protective_factors", "guardians", "concern")


def _place_it(context):
    if context.postcode and context.latitude is None:
        context.latitude, context.longitude = locate(context.postcode)


@transaction.atomic
def create_context(user: User, data: Mapping[str, str | None], *, audit: AuditContext | None = None) -> Context:
    """Record a new context from cleaned ContextForm (or API) data. The
    recorder can see it afterwards (visible_contexts: created_by)."""
    policy.check(user, "context.create")
    context = Context(created_by=user, **{f: data.get(f) or "" for f in FIELDS})
    _place_it(context)
    context.save()
    log.record("create", audit=audit, user=user, obj=context, detail={"kind": context.kind})
    return context


@transaction.atomic
def update_context(
    user: User, context: Context, data: Mapping[str, str | None], *, audit: AuditContext | None = None
) -> Context:
    policy.check(user, "context.manage", context)
    context = Context.objects.select_for_update().get(pk=context.pk)
    changed = [f for f in FIELDS if f in data and (data[f] or "") != getattr(context, f)]
    for field in changed:
        setattr(context, field, data[field] or "")
    if "postcode" in changed:
        context.latitude = context.longitude = None
        _place_it(context)
    context.save()
    log.record("update", audit=audit, user=user, obj=context, detail={"changed": changed})
    return context


@transaction.atomic
def take_on_referral(user: User, referral: Referral, *, audit: AuditContext | None = None) -> Referral:
    """A coordinator takes a referral about a context off the screening queue
    as Level 2 work on the context (there is no child to screen)."""
    policy.check(user, "context.manage", referral.context)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.subject != Referral.Subject.CONTEXT or referral.status != Referral.Status.SUBMITTED:
        raise ValidationError("Only a referral about a context that is waiting can be taken on")
    assert referral.context is not None  # a referral about a context is submitted only with one (problems())
    now = timezone.now()
    referral.status, referral.screened_at = Referral.Status.DECIDED, now
    referral.save(update_fields=["status", "screened_at", "updated_at"])
    log.record("update", audit=audit, user=user, obj=referral, detail={"taken_on": referral.context.reference})
    return referral


@transaction.atomic
def assess_context(
    user: User, context: Context, data: Mapping[str, str | None], *, audit: AuditContext | None = None
) -> ContextAssessment:
    """A new version of the context's assessment; reopens closed work."""
    policy.check(user, "context.manage", context)
    missing = {
        f: "Say " + label
        for f, label in (
            ("who_uses", "who uses it"),
            ("dynamics", "what happens there"),
            ("risks", "what the risks are"),
        )
        if not (data.get(f) or "").strip()
    }
    if data.get("concern") not in ContextAssessment.Concern.values:
        missing["concern"] = "Select how concerned the partnership is about it"
    if missing:
        raise ValidationError(missing)
    context = Context.objects.select_for_update().get(pk=context.pk)
    number = (context.assessments.aggregate(n=Max("number"))["n"] or 0) + 1
    assessment = ContextAssessment.objects.create(
        context=context, number=number, written_by=user, **{f: (data.get(f) or "").strip() for f in ASSESSMENT_FIELDS}
    )
    if context.closed_on:
        context.closed_on = None
        context.save(update_fields=["closed_on"])
    log.record(
        "create", audit=audit, user=user, obj=assessment, detail={"context": context.reference, "version": number}
    )
    return assessment


@transaction.atomic
def add_action(
    user: User,
    context: Context,
    *,
    kind: str,
    description: str,
    owner: User,
    due_date: datetime.date,
    audit: AuditContext | None = None,
) -> ContextAction:
    """An action for a partner at the context: patrols, guardianship training,
    a licensing review... Its owner gets a task (titled without any child's name)."""
    from hoth.tasks.services import create_task

    policy.check(user, "context.manage", context)
    problems: dict[str, str] = {}
    if kind not in ContextAction.Kind.values:
        problems["kind"] = "Select what kind of action it is"
    if not (description or "").strip():
        problems["description"] = "Say what is to be done"
    if due_date is not None and due_date < timezone.localdate():
        problems["due_date"] = "The date it is due must be today or in the future"
    if problems:
        raise ValidationError(problems)
    label = ContextAction.Kind(kind).label
    task = create_task(
        title=f"{label} at {context.name}"[:200],
        details=description.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
        audit=audit,
    )
    action = ContextAction.objects.create(
        context=context,
        kind=kind,
        description=description.strip(),
        owner=owner,
        owner_agency=owner.agency,
        due_date=due_date,
        task=task,
        created_by=user,
    )
    log.record("create", audit=audit, user=user, obj=action, detail={"context": context.reference, "task": task.pk})
    return action


@transaction.atomic
def review_context(
    user: User,
    context: Context,
    *,
    reviewed_on: datetime.date,
    summary: str,
    outcome: str,
    next_review_on: datetime.date | None = None,
    audit: AuditContext | None = None,
) -> ContextReview:
    policy.check(user, "context.review", context)
    problems: dict[str, str] = {}
    if not (summary or "").strip():
        problems["summary"] = "Say what has changed since the plan began"
    if outcome not in ContextReview.Outcome.values:
        problems["outcome"] = "Select the outcome of the review"
    if reviewed_on and reviewed_on > timezone.localdate():
        problems["reviewed_on"] = "The date of the review must be today or in the past"
    if outcome == ContextReview.Outcome.CONTINUE and not next_review_on:
        problems["next_review_on"] = "Enter the date of the next review"
    if next_review_on and reviewed_on and next_review_on <= reviewed_on:
        problems["next_review_on"] = "The next review must be after this one"
    if problems:
        raise ValidationError(problems)
    context = Context.objects.select_for_update().get(pk=context.pk)
    review = ContextReview.objects.create(
        context=context,
        reviewed_on=reviewed_on,
        summary=summary.strip(),
        outcome=outcome,
        next_review_on=next_review_on,
        reviewed_by=user,
    )
    context.closed_on = reviewed_on if outcome == ContextReview.Outcome.CLOSE else None
    context.save(update_fields=["closed_on"])
    log.record("create", audit=audit, user=user, obj=review, detail={"context": context.reference, "outcome": outcome})
    return review


@transaction.atomic
def record_incident(
    user: User,
    place: Context,
    *,
    occurred_on: datetime.date | None,
    occurred_time: datetime.time | None = None,
    kind: str,
    harm_type: HarmType | None = None,
    description: str = "",
    police_reference: str = "",
    audit: AuditContext | None = None,
) -> Incident:
    """Something that happened at a place, placed where the place is."""
    policy.check(user, "context.record_incident", place)
    problems: dict[str, str] = {}
    if kind not in Incident.Kind.values:
        problems["kind"] = "Select what kind of incident it was"
    if occurred_on is None:
        problems["occurred_on"] = "Enter the date it happened"
    elif occurred_on > timezone.localdate():
        problems["occurred_on"] = "The date it happened must be today or in the past"
    if problems:
        raise ValidationError(problems)
    assert occurred_on is not None  # a missing date is one of the problems above
    moment = timezone.make_aware(datetime.datetime.combine(occurred_on, occurred_time or datetime.time(12)))
    incident = Incident.objects.create(
        place=place,
        occurred_at=moment,
        kind=kind,
        harm_type=harm_type,
        description=(description or "").strip(),
        police_reference=police_reference,
        latitude=place.latitude,
        longitude=place.longitude,
        recorded_by=user,
    )
    log.record("create", audit=audit, user=user, obj=incident, detail={"place": place.reference, "kind": kind})
    return incident
