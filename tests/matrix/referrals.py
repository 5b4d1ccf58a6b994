"""Who may use the referral pages and API (H3, issue 3 section 1).

referral.create (practitioners and coordinators) raises and drafts
referrals; a draft is its referrer's alone (referral.edit_draft), so someone
else's draft is not found even by a coordinator. referral.view follows
visible_referrals: the referrer, coordinators, and practitioners and panel
chairs who work with the child (the world's in-scope child involves every
test user but the school practitioner).
"""

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.referrals.models import NamedAssociate, Referral

from .common import CASEWORK, IN_SCOPE, NOBODY, PARTNERSHIP_WIDE, RECORDERS, Rule

# Those who see a submitted referral about the in-scope child, sent by the practitioner.
SEE_IN_SCOPE_REFERRAL = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR})
ADD_TO_IN_SCOPE_REFERRAL = frozenset({Role.PRACTITIONER, Role.COORDINATOR})


def _referral(world, referrer, person, **fields):
    return Referral.objects.create(referrer=referrer, referrer_agency=referrer.agency, person=person, **fields)


def sent_referral(world, user, scope):
    """In scope: the practitioner's referral about the in-scope child; out of
    scope: the school practitioner's about a child nobody works with."""
    users = world["users"]
    referrer = users["practitioner"] if scope == IN_SCOPE else users["school_practitioner"]
    referral = _referral(world, referrer, world[scope], status=Referral.Status.SUBMITTED, submitted_at=timezone.now())
    return {"reference": referral.reference}


def draft(world, user, scope):
    """In scope: the signed-in user's own draft; out of scope: someone else's."""
    users = world["users"]
    owner = user if scope == IN_SCOPE and user is not None else users["school_practitioner"]
    if owner == user and scope != IN_SCOPE:
        owner = users["practitioner"]
    referral = _referral(world, owner, world[IN_SCOPE])
    return {"reference": referral.reference}


def draft_associate(world, user, scope):
    kwargs = draft(world, user, scope)
    referral = Referral.objects.get(reference=kwargs["reference"])
    return {**kwargs, "pk": NamedAssociate.objects.create(referral=referral, kind="person", name="Dee").pk}


def own_sent_referral(world, user, scope):
    """The confirmation page: in scope the user's own sent referral; out of
    scope someone else's (a coordinator is sent on to its detail page)."""
    users = world["users"]
    owner = user if scope == IN_SCOPE and user is not None else users["school_practitioner"]
    if owner == user and scope != IN_SCOPE:
        owner = users["practitioner"]
    referral = _referral(world, owner, world[scope], status=Referral.Status.SUBMITTED, submitted_at=timezone.now())
    return {"reference": referral.reference}


DRAFT_PAGES = [
    "subject",
    "child",
    "context",
    "new-context",
    "harm",
    "what-happened",
    "child-words",
    "associates",
    "add-associate",
    "danger",
    "call-999",
    "referrer",
    "consent",
    "lawful-basis",
    "check",
]

RULES = {
    # referral.view without a referral: casework roles have a referrals list.
    "referrals:list": Rule(allowed=CASEWORK),
    # referral.create.
    "referrals:start": Rule(allowed=RECORDERS),
    # referral.view on the referral (visible_referrals).
    "referrals:detail": Rule(allowed=SEE_IN_SCOPE_REFERRAL, out_of_scope=PARTNERSHIP_WIDE, kwargs=sent_referral),
    # referral.add_information: recorders who may see the sent referral.
    "referrals:add-information": Rule(
        allowed=ADD_TO_IN_SCOPE_REFERRAL, out_of_scope=PARTNERSHIP_WIDE, kwargs=sent_referral
    ),
    # referral.edit_draft: only the referrer, on every question page.
    **{f"referrals:{name}": Rule(allowed=RECORDERS, out_of_scope=NOBODY, kwargs=draft) for name in DRAFT_PAGES},
    "referrals:remove-associate": Rule(allowed=RECORDERS, out_of_scope=NOBODY, kwargs=draft_associate, method="POST"),
    "referrals:confirmation": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=own_sent_referral),
    # The API asks the same rules (tokens also need the referrals scopes).
    "api:referrals": (
        Rule(allowed=CASEWORK),
        Rule(allowed=RECORDERS, method="POST", json=True, data={"subject": "child"}),
    ),
    "api:referral-detail": Rule(allowed=SEE_IN_SCOPE_REFERRAL, out_of_scope=PARTNERSHIP_WIDE, kwargs=sent_referral),
}
