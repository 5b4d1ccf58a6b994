"""Contexts as subjects (Contextual Safeguarding, Level 2): recording a place,
peer group, school or online space; taking on the referrals made about it;
assessing it; planning what partners will do there; reviewing the plan; and
recording incidents there. Each operation is one transaction with its audit
event."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from hoth.access import policy
from hoth.audit import log

from .geography import locate
from .models import Context, ContextAction, ContextAssessment, ContextReview, Incident

FIELDS = ("kind", "name", "place_type", "address", "town", "postcode", "platform", "handle", "description")
ASSESSMENT_FIELDS = ("who_uses", "when_used", "dynamics", "risks", "protective_factors", "guardians", "concern")


def _place_it(context):
    if context.postcode and context.latitude is None:
        context.latitude, context.longitude = locate(context.postcode)


@transaction.atomic
def create_context(user, data, *, audit=None):
    """Record a new context from cleaned ContextForm (or API) data. The
    recorder can see it afterwards (visible_contexts: created_by)."""
    policy.check(user, "context.create")
    context = Context(created_by=user, **{f: data.get(f) or "" for f in FIELDS})
    _place_it(context)
    context.save()
    log.record("create", audit=audit, user=user, obj=context, detail={"kind": context.kind})
    return context


@transaction.atomic
def update_context(user, context, data, *, audit=None):
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


def matching(contexts, query):
    """The contexts whose name, town, postcode, handle or platform contains
    every word typed; the name is what practitioners call it."""
    for word in query.split():
        contexts = contexts.filter(
            Q(name__icontains=word)
            | Q(town__icontains=word)
            | Q(postcode__icontains=word)
            | Q(handle__icontains=word)
            | Q(platform__icontains=word)
        )
    return contexts


def find_contexts(user, query, *, limit=20):
    """Contexts this user may see matching the words typed."""
    return list(matching(Context.objects.visible_to(user), query).order_by("name", "pk")[:limit])


@transaction.atomic
def take_on_referral(user, referral, *, audit=None):
    """A coordinator takes a referral about a context off the screening queue
    as Level 2 work on the context (there is no child to screen)."""
    from hoth.referrals.models import Referral

    policy.check(user, "context.manage", referral.context)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.subject != Referral.Subject.CONTEXT or referral.status != Referral.Status.SUBMITTED:
        raise ValidationError("Only a referral about a context that is waiting can be taken on")
    now = timezone.now()
    referral.status, referral.screened_at = Referral.Status.DECIDED, now
    referral.save(update_fields=["status", "screened_at", "updated_at"])
    log.record("update", audit=audit, user=user, obj=referral, detail={"taken_on": referral.context.reference})
    return referral


@transaction.atomic
def assess_context(user, context, data, *, audit=None):
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
def add_action(user, context, *, kind, description, owner, due_date, audit=None):
    """An action for a partner at the context: patrols, guardianship training,
    a licensing review... Its owner gets a task (titled without any child's name)."""
    from hoth.tasks.services import create_task

    policy.check(user, "context.manage", context)
    problems = {}
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
def review_context(user, context, *, reviewed_on, summary, outcome, next_review_on=None, audit=None):
    policy.check(user, "context.review", context)
    problems = {}
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
    user,
    place,
    *,
    occurred_on,
    occurred_time=None,
    kind,
    harm_type=None,
    description="",
    police_reference="",
    audit=None,
):
    """Something that happened at a place, placed where the place is."""
    policy.check(user, "context.record_incident", place)
    problems = {}
    if kind not in Incident.Kind.values:
        problems["kind"] = "Select what kind of incident it was"
    if occurred_on is None:
        problems["occurred_on"] = "Enter the date it happened"
    elif occurred_on > timezone.localdate():
        problems["occurred_on"] = "The date it happened must be today or in the past"
    if problems:
        raise ValidationError(problems)
    moment = timezone.make_aware(datetime.combine(occurred_on, occurred_time or time(12)))
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
