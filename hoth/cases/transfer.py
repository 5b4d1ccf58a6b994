"""The closure of a case as its readers see it, and the transfer summary a
case closed because the child moved away hands to the receiving partnership
(issue 4).

Reading only: closing and reopening are casework.py's. The summary is
everything the receiving partnership needs to pick the child up in one
document: who the child is, what harm, how serious it was when last screened,
whom to call, the contexts of concern, the plan, and what the lead
professional wrote for them when closing.
"""

from dataclasses import dataclass, field

from hoth.access import policy

from .models import Case, CaseStatusChange
from .selectors import current_assessment


def latest_closure(case):
    """The case's most recent closure record, or None if it was never closed."""
    return (
        CaseStatusChange.objects.filter(case=case, kind=CaseStatusChange.Kind.CLOSED)
        .select_related("by__agency")
        .order_by("-at", "-pk")
        .first()
    )


def is_transfer(case, closure):
    """A transfer summary exists only while the case stays closed because
    the child moved to another area."""
    return closure is not None and case.status == Case.Status.CLOSED and closure.reason == CaseStatusChange.Reason.MOVED


@dataclass
class AssessedConcern:
    kind: str
    risks: str
    contexts: list = field(default_factory=list)


@dataclass
class TransferSummary:
    case: Case
    closure: CaseStatusChange
    addresses: list
    other_names: list
    identifiers: list
    screening: object
    assessment: object
    concerns: list
    plan: object
    goals: list
    actions: list


def transfer_summary(case, user):
    """What the receiving partnership needs, read as `user` sees it, or None
    when the case is not closed as moved. The caller has checked the user may
    hand the case over."""
    closure = latest_closure(case)
    if not is_transfer(case, closure):
        return None
    from hoth.plans.models import Plan, PlanAction
    from hoth.screening.models import Screening

    person = case.person
    screening = (
        Screening.objects.visible_to(user)
        .filter(person_id=person.pk, completed_at__isnull=False)
        .exclude(level="")
        .order_by("-completed_at")
        .first()
    )
    assessment = current_assessment(case)
    concerns = []
    if assessment is not None:
        for entry in assessment.entries.all():
            contexts = list(entry.contexts.all())
            if entry.risks or contexts:
                concerns.append(AssessedConcern(entry.get_kind_display(), entry.risks, contexts))
    plan, goals, actions = None, [], []
    if policy.can(user, "plan.view", case):
        plan = Plan.objects.filter(case=case).first()
        if plan is not None:
            goals = list(plan.goals.all())
            actions = list(plan.actions.select_related("owner", "agency").exclude(status=PlanAction.Status.CANCELLED))
    return TransferSummary(
        case=case,
        closure=closure,
        addresses=[a for a in person.addresses.all() if a.is_current],
        other_names=list(person.aliases.all()),
        identifiers=list(person.identifiers.all()),
        screening=screening,
        assessment=assessment,
        concerns=concerns,
        plan=plan,
        goals=goals,
        actions=actions,
    )
