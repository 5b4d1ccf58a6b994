"""Who may use the pages of places, groups and online spaces (Level 2).

The scope of contexts (hoth.contexts.access): coordinators, analysts and panel chairs see every
context; a practitioner sees those they recorded or referred. The in-scope
context was recorded by the council practitioner, the out-of-scope one by a
coordinator. Level 2 work (context.manage) is for coordinators and analysts;
the panel chair also reviews; whoever records people may record an incident
at a place they can see."""

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.contexts.models import Context
from hoth.referrals.models import Referral
from tests.matrix.common import CASEWORK, IN_SCOPE, RECORDERS, Rule

READERS = frozenset({Role.COORDINATOR, Role.ANALYST, Role.PANEL_CHAIR})
MANAGERS = frozenset({Role.COORDINATOR, Role.ANALYST})


def _context(world, scope):
    key = f"context {scope}"
    if key not in world:
        users = world["users"]
        world[key] = Context.objects.create(
            kind=Context.Kind.PLACE,
            name="Queens Park skate area",
            town="Crewe",
            latitude=53.09,
            longitude=-2.44,
            created_by=users["practitioner"] if scope == IN_SCOPE else users["coordinator"],
        )
    return world[key]


def context(world, user, scope):
    return {"reference": _context(world, scope).reference}


def waiting_referral(world, user, scope):
    place = _context(world, scope)
    referrer = world["users"]["practitioner"]
    referral = Referral.objects.create(
        subject=Referral.Subject.CONTEXT,
        context=place,
        referrer=referrer,
        referrer_agency=referrer.agency,
        status=Referral.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return {"reference": place.reference, "referral": referral.reference}


RULES = {
    # context.view: casework roles list what they may see.
    "contexts:list": Rule(allowed=CASEWORK),
    # context.create.
    # context.create: recorders, and analysts for the places intelligence is about.
    "contexts:new": Rule(allowed=RECORDERS | {Role.ANALYST}),
    "contexts:detail": Rule(allowed=READERS | {Role.PRACTITIONER}, out_of_scope=READERS, kwargs=context),
    "contexts:assessments": Rule(allowed=READERS | {Role.PRACTITIONER}, out_of_scope=READERS, kwargs=context),
    # context.manage.
    "contexts:edit": Rule(allowed=MANAGERS, out_of_scope=MANAGERS, kwargs=context),
    "contexts:assess": Rule(allowed=MANAGERS, out_of_scope=MANAGERS, kwargs=context),
    "contexts:action-new": Rule(allowed=MANAGERS, out_of_scope=MANAGERS, kwargs=context),
    "contexts:take-on": Rule(allowed=MANAGERS, out_of_scope=MANAGERS, kwargs=waiting_referral, method="POST"),
    # context.review.
    "contexts:review-new": Rule(allowed=READERS, out_of_scope=READERS, kwargs=context),
    # context.record_incident.
    "contexts:incident-new": Rule(allowed=MANAGERS | {Role.PRACTITIONER}, out_of_scope=MANAGERS, kwargs=context),
}
