"""Who may see and work the contexts of harm: places, peer groups, schools
and online spaces."""

from django.db.models import Q

from hoth.access.policy import may_see, rule, scope, visible
from hoth.access.roles import CASEWORK_ROLES, CREATE_PERSON_ROLES
from hoth.accounts.roles import Role

from .models import Context

# An incident happens somewhere: at a place or a school, not in a peer group.
PLACES_OF_INCIDENTS = (Context.Kind.PLACE, Context.Kind.SCHOOL)


@scope("contexts.Context")
def visible_contexts(user, contexts):
    """Places and groups are the analysts' subject and the coordinators';
    panel chairs take places of concern to the panel (issue 4, section 2);
    practitioners see those they recorded or referred."""
    if not user.has_role(*CASEWORK_ROLES):
        return contexts.none()
    if user.has_role(Role.COORDINATOR, Role.ANALYST, Role.PANEL_CHAIR):
        return contexts
    return contexts.filter(Q(created_by=user) | Q(referrals__referrer=user)).distinct()


@scope("contexts.Incident")
def visible_incidents(user, incidents):
    """An incident as far as its place: whoever sees the place sees what
    happened there."""
    return incidents.filter(place__in=visible(user, Context.objects.all()))


@rule("context.view")
def view(user, context):
    """A context: whoever sees it. Without one: the casework roles."""
    if context is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, context)


@rule("context.create")
def create(user, obj):
    """Whoever may raise a referral may record the place or group it is about;
    analysts record the places and groups intelligence is about."""
    return user.has_role(*CREATE_PERSON_ROLES, Role.ANALYST)


@rule("context.manage")
def manage(user, context):
    """Level 2 work on a context (assessing it, planning for it, taking on the
    referrals about it): exploitation coordinators and analysts."""
    return user.has_role(Role.COORDINATOR, Role.ANALYST) and (context is None or may_see(user, context))


@rule("context.review")
def review(user, context):
    """Reviewing a context's plan: those who manage it, and the panel chair,
    whose panel reviews places of concern."""
    return user.has_role(Role.COORDINATOR, Role.ANALYST, Role.PANEL_CHAIR) and (
        context is None or may_see(user, context)
    )


@rule("context.record_incident")
def record_incident(user, place):
    """Whoever records people or analyses places may record an incident at a place they can see."""
    return user.has_role(*CREATE_PERSON_ROLES, Role.ANALYST) and (
        place is None or (place.kind in PLACES_OF_INCIDENTS and may_see(user, place))
    )
