"""Who may raise, read and add to a referral, and work the screening queue."""

from django.db.models import Q

from hoth.access.involvement import involved_with
from hoth.access.policy import may_see, rule, scope
from hoth.access.roles import CASEWORK_ROLES, CREATE_PERSON_ROLES, INVOLVEMENT_ROLES, PARTNERSHIP_WIDE_ROLES
from hoth.accounts.roles import Role

from .models import Referral


@scope("referrals.Referral")
def visible_referrals(user, referrals):
    """Referrers see what they sent; coordinators everything; practitioners
    and panel chairs the referrals about children they work with; analysts
    the referrals about contexts (places and groups are their subject). A
    draft is its referrer's alone until they submit it."""
    others_drafts = Q(status=Referral.Status.DRAFT) & ~Q(referrer=user)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return referrals.exclude(others_drafts)
    allowed = Q(referrer=user)
    if user.has_role(*INVOLVEMENT_ROLES):
        allowed |= involved_with(user, "person")
    if user.has_role(Role.ANALYST):
        allowed |= Q(subject=Referral.Subject.CONTEXT)
    return referrals.filter(allowed).exclude(others_drafts)


@rule("referral.create")
def create(user, obj):
    """Raising a referral: practitioners and coordinators."""
    return user.has_role(*CREATE_PERSON_ROLES)


@rule("referral.view")
def view(user, referral):
    """A referral: whoever sees it. Without a referral: may this user see any
    referrals (their own list)."""
    if referral is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, referral)


@rule("referral.edit_draft")
def edit_draft(user, referral):
    """Only the referrer writes a draft; once submitted it is never edited."""
    if referral is None:
        return user.has_role(*CREATE_PERSON_ROLES)
    return referral.is_draft and referral.referrer_id == user.pk


@rule("referral.add_information")
def add_information(user, referral):
    """Adding to a submitted referral: practitioners and coordinators who see it."""
    return (
        user.has_role(*CREATE_PERSON_ROLES)
        and referral is not None
        and not referral.is_draft
        and may_see(user, referral)
    )


@rule("referral.queue")
def queue(user, obj):
    """The screening queue of the front door: coordinators."""
    return user.has_role(Role.COORDINATOR)
