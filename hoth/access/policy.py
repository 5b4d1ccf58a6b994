"""The access gate: the one module that decides who may do what and see whom.

Two kinds of decision live here and nowhere else:

* scopes, `visible_people(user, queryset)`, which narrow a query to what the
  user may see; models expose them as `Model.objects.visible_to(user)`;
* actions, `can(user, action, obj)`, named like "person.view", each decided by
  one rule registered below.

Views, the API, exports and searches ask; they never filter personal data
themselves. An action with no rule is a programming error, not a silent "no".
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hoth.accounts.models import Role

BREAK_GLASS_DURATION = timedelta(hours=8)

# Roles whose work is with individual children and adults. Managers see
# aggregates, auditors the audit log, administrators accounts: none of them
# reads a person's record.
CASEWORK_ROLES = (Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST)
# Coordinators see every harm-outside-the-home record of the partnership.
PARTNERSHIP_WIDE_ROLES = (Role.COORDINATOR,)
# These see the people they are involved with (and break-glass grants).
INVOLVEMENT_ROLES = (Role.PRACTITIONER, Role.PANEL_CHAIR)
CREATE_PERSON_ROLES = (Role.PRACTITIONER, Role.COORDINATOR)


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


# ---------------------------------------------------------------- scopes


def visible_people(user, people):
    """Narrow a Person queryset to the people this user may see."""
    from hoth.access.models import BreakGlass
    from hoth.people.models import Involvement

    if not _signed_in(user):
        return people.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return people
    now = timezone.now()
    allowed = Q(pk__in=[])
    if user.has_role(*INVOLVEMENT_ROLES):
        active = Involvement.objects.filter(person=OuterRef("pk")).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=now)
        )
        team_ids = list(user.teams.values_list("pk", flat=True))
        allowed |= Q(Exists(active.filter(user=user)))
        if team_ids:
            allowed |= Q(Exists(active.filter(team__in=team_ids)))
    if user.has_role(Role.ANALYST):
        allowed |= Q(intelligence_subject=True)
    if user.has_role(*CASEWORK_ROLES):
        allowed |= Q(
            Exists(BreakGlass.objects.filter(person=OuterRef("pk"), user=user, expires_at__gt=now))
        )
    return people.filter(allowed)


def is_lead_professional(user, person):
    from hoth.people.models import Involvement

    return Involvement.objects.filter(
        person=person, user=user, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at__isnull=True
    ).exists()


def sees_person(user, person):
    from hoth.people.models import Person

    return visible_people(user, Person.objects.filter(pk=person.pk)).exists()


# ---------------------------------------------------------------- actions

RULES = {}


def rule(action):
    def register(check):
        RULES[action] = check
        return check

    return register


def can(user, action, obj=None):
    if action not in RULES:
        raise KeyError(f"No access rule for {action!r}: add one to hoth.access.policy")
    if not _signed_in(user):
        return False
    return bool(RULES[action](user, obj))


def check(user, action, obj=None):
    """Raise PermissionDenied unless `user` may do `action` (on `obj`)."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


@rule("home.view")
def _home(user, obj):
    return True


@rule("tasks.view")
def _tasks(user, obj):
    return True


@rule("person.search")
def _search_people(user, obj):
    return user.has_role(*CASEWORK_ROLES)


@rule("person.view")
def _view_person(user, person):
    return user.has_role(*CASEWORK_ROLES) and sees_person(user, person)


@rule("person.create")
def _create_person(user, obj):
    return user.has_role(*CREATE_PERSON_ROLES)


@rule("person.update")
def _update_person(user, person):
    return user.has_role(*CREATE_PERSON_ROLES) and sees_person(user, person)


@rule("person.break_glass")
def _break_glass(user, person):
    """Casework roles may ask for emergency access to someone outside their scope.
    Without a person: whether this user could ever ask (to offer the way)."""
    if not user.has_role(*CASEWORK_ROLES) or user.is_service_account:
        return False
    return person is None or not sees_person(user, person)


@rule("person.access_history")
def _access_history(user, person):
    """Who has seen this record: for the lead professional and for auditors
    (a subject access request needs it). Without a person (the view
    decorator's first check) it asks "may see some person's history"."""
    if person is None:
        return user.has_role(Role.AUDITOR, *CASEWORK_ROLES)
    return user.has_role(Role.AUDITOR) or (
        user.has_role(*CASEWORK_ROLES) and sees_person(user, person) and (
            user.has_role(Role.COORDINATOR) or is_lead_professional(user, person)
        )
    )


@rule("audit.search")
def _audit_search(user, obj):
    return user.has_role(Role.AUDITOR)


@rule("aggregates.view")
def _aggregates(user, obj):
    return user.has_role(Role.MANAGER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.AUDITOR)


@rule("users.manage")
def _manage_users(user, target):
    """Agency administrators manage their own agency's users; system
    administrators everyone's. `target` is a User or an Agency, or None for
    "may manage some users"."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    if not user.has_role(Role.AGENCY_ADMIN):
        return False
    if target is None:
        return True
    agency_id = getattr(target, "agency_id", None) if hasattr(target, "agency_id") else target.pk
    return agency_id == user.agency_id


@rule("agencies.manage")
def _manage_agencies(user, obj):
    return user.has_role(Role.SYSTEM_ADMIN)


@rule("users.grant_role")
def _grant_role(user, role):
    """Which roles an administrator may give (or take away, or hold over someone
    they manage): only a system administrator makes system administrators."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    return user.has_role(Role.AGENCY_ADMIN) and role != Role.SYSTEM_ADMIN


@rule("api_tokens.manage")
def _manage_tokens(user, account):
    return _manage_users(user, account)


def visible_users(user, users):
    """The accounts an administrator may manage."""
    if not _signed_in(user):
        return users.none()
    if user.has_role(Role.SYSTEM_ADMIN):
        return users
    if user.has_role(Role.AGENCY_ADMIN):
        # System administrators are managed only by their peers, even when they
        # sit in the agency administrator's own agency.
        return users.filter(agency_id=user.agency_id).exclude(role_assignments__role=Role.SYSTEM_ADMIN)
    return users.none()


def grant_break_glass(user, person, reason):
    """Record emergency access; the caller audits it and tells the lead professional."""
    from hoth.access.models import BreakGlass

    check(user, "person.break_glass", person)
    if person is None or not (reason or "").strip():
        # Emergency access is always to one person, and always for a stated reason.
        raise PermissionDenied("person.break_glass needs a person and a reason")
    now = timezone.now()
    return BreakGlass.objects.create(user=user, person=person, reason=reason, granted_at=now,
                                     expires_at=now + BREAK_GLASS_DURATION)
