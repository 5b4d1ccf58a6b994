"""Who may use the screening pages (hoth.screening.urls).

screening.perform: recorders (practitioners and coordinators) for a child they
see; coordinators for every child. screening.view: screenings about children
the user works with (coordinators: all). screening.approve_lower_level: a
coordinator who did not screen the child.
"""

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.referrals.models import Referral
from hoth.screening.models import Screening, ScreeningTool

from .common import CASEWORK, PARTNERSHIP_WIDE, RECORDERS, Rule

DEFINITION = {
    "version": "matrix.1",
    "name": "Matrix tool",
    "thresholds": {"low": 3, "medium": 10, "high": 20},
    "earlier_factor": 0.5,
    "domains": [
        {
            "code": "missing",
            "name": "Going missing",
            "indicators": [
                {
                    "code": "missing_repeat",
                    "text": "Repeated missing episodes",
                    "tier": "significant",
                    "weight": 7,
                    "harm_types": [],
                    "required": True,
                }
            ],
        }
    ],
    "rules": [],
}
# Practitioners and panel chairs see screenings of the children they work with; analysts do not.
SEE_SCREENINGS = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR})


def _tool():
    tool = ScreeningTool.objects.filter(is_current=True).first()
    return tool or ScreeningTool.objects.create(
        version="matrix.1", name="Matrix tool", definition=DEFINITION, is_current=True
    )


def _referral(world, scope):
    _tool()
    users = world["users"]
    now = timezone.now()
    return Referral.objects.create(
        status=Referral.Status.SUBMITTED,
        person=world[scope],
        referrer=users["school_practitioner"],
        referrer_agency=world["agencies"]["school"],
        submitted_at=now,
    )


def referral_reference(world, user, scope):
    return {"reference": _referral(world, scope).reference}


def person_reference(world, user, scope):
    _tool()
    return {"reference": world[scope].reference}


def _screening(world, scope, status, screened_by="coordinator"):
    users = world["users"]
    screener = users[screened_by]
    fields = {}
    if status != Screening.Status.DRAFT:
        fields = {"score": 7.0, "scored_level": "low", "level": "low", "explanation": {}}
    if status == Screening.Status.COMPLETE:
        fields["completed_at"] = timezone.now()
    if status == Screening.Status.AWAITING_APPROVAL:
        fields.update(judgement_level="none", judgement_reason="Not current")
    return Screening.objects.create(
        person=world[scope],
        tool=_tool(),
        status=status,
        screened_by=screener,
        screened_by_agency=screener.agency,
        **fields,
    )


def completed(world, user, scope):
    return {"pk": _screening(world, scope, Screening.Status.COMPLETE).pk}


def draft(world, user, scope):
    return {"pk": _screening(world, scope, Screening.Status.DRAFT).pk}


def practitioners_draft(world, user, scope):
    return {"pk": _screening(world, scope, Screening.Status.DRAFT, screened_by="practitioner").pk}


def draft_domain(world, user, scope):
    return {**draft(world, user, scope), "domain": "missing"}


def awaiting_approval(world, user, scope):
    """Screened by the practitioner, so that the coordinator is not the screener."""
    return {"pk": _screening(world, scope, Screening.Status.AWAITING_APPROVAL, screened_by="practitioner").pk}


RULES = {
    # screening.perform on the referral's child (and the referral must be visible).
    "screening:start": (
        Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=referral_reference),
        Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=referral_reference, method="POST"),
    ),
    "screening:rescreen": (
        Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
        Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference, method="POST"),
    ),
    # Drafts: screening.perform, and the screening must be visible.
    "screening:answer": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=draft_domain),
    "screening:judgement": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=draft),
    "screening:check": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=draft),
    # screening.discard: a draft, by whoever started it or a coordinator.
    "screening:discard": (
        Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=draft),
        Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=draft, method="POST"),
        Rule(allowed=RECORDERS, out_of_scope=RECORDERS, kwargs=practitioners_draft),
        Rule(allowed=RECORDERS, out_of_scope=RECORDERS, kwargs=practitioners_draft, method="POST"),
    ),
    # screening.view.
    "screening:result": Rule(allowed=SEE_SCREENINGS, out_of_scope=PARTNERSHIP_WIDE, kwargs=completed),
    # screening.view on the child's list: any casework role who sees the child
    # (an analyst sees the page, with no screenings in it).
    "screening:trajectory": Rule(allowed=CASEWORK, out_of_scope=PARTNERSHIP_WIDE, kwargs=person_reference),
    # screening.approve_lower_level: coordinators, never for their own screening.
    "screening:approvals": Rule(allowed=PARTNERSHIP_WIDE),
    "screening:approve": Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=awaiting_approval),
}
