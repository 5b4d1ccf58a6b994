"""What the case and missing-episode pages and the services read about a
child's case without changing it: who leads the work with the child, the
current contextual assessment (whole, or only what the case page shows) and
the current screening tool's indicators. Nothing here asks the access gate:
callers pass a case or child the user has already been allowed to see.
"""

from typing import Any

from django.db.models import Prefetch

from hoth.accounts.models import User
from hoth.contexts.models import Context
from hoth.people.models import Involvement, Person
from hoth.screening.models import ScreeningTool

from .models import AssessedContext, Case, ContextualAssessment


def lead_professional_for(person: Person) -> User | None:
    """The open case's lead professional, or else the child's named lead
    professional; None when nobody leads."""
    case = Case.objects.open().filter(person=person).select_related("lead_professional").first()
    if case is not None:
        return case.lead_professional
    involvement = (
        Involvement.objects.filter(
            person=person,
            kind=Involvement.Kind.LEAD_PROFESSIONAL,
            ended_at__isnull=True,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user__agency")
        .order_by("-started_at")
        .first()
    )
    return involvement.user if involvement else None


# An indicator as the screening tool's definition (JSON) holds it: code, text
# and whatever else the tool gives it, with its domain's code and name added.
Indicator = dict[str, Any]


def current_tool_indicators() -> list[Indicator] | None:
    """The current screening tool's indicators, flattened from its domains
    (each with "domain_name"), or None when no tool has been loaded."""
    try:
        tool = ScreeningTool.current()
    except ScreeningTool.DoesNotExist:
        return None
    return [
        {**indicator, "domain": domain.get("code", ""), "domain_name": domain.get("name", "")}
        for domain in tool.definition.get("domains", [])
        for indicator in domain.get("indicators", [])
    ]


def current_assessment(case: Case) -> ContextualAssessment | None:
    return (
        ContextualAssessment.objects.filter(case=case)
        .prefetch_related("entries__contexts")
        .select_related("written_by")
        .first()
    )


def assessment_summary(case: Case) -> ContextualAssessment | None:
    """The current assessment with only what the case page shows: the context
    that must change first and the places and groups named in each context.
    The written strengths and risks are not read (nor decrypted)."""
    entries = AssessedContext.objects.only("assessment_id", "kind").prefetch_related(
        Prefetch("contexts", Context.objects.only("name"))
    )
    return (
        ContextualAssessment.objects.filter(case=case)
        .only("case_id", "number", "primary_context")
        .prefetch_related(Prefetch("entries", entries))
        .first()
    )
