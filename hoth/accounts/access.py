"""Who may manage accounts, agencies, API tokens and reference data."""

from hoth.access import memo
from hoth.access.policy import rule, scope
from hoth.accounts.roles import Role

from .models import RoleAssignment, User

memo.forget_when_changed(RoleAssignment)
memo.forget_when_changed(User.teams.through)


@scope("accounts.User")
def visible_users(user, users):
    """The accounts an administrator may manage: a system administrator's,
    everyone's; an agency administrator's, their agency's."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return users
    if user.has_role(Role.AGENCY_ADMIN):
        # System administrators are managed only by their peers, even when they
        # sit in the agency administrator's own agency.
        return users.filter(agency_id=user.agency_id).exclude(role_assignments__role=Role.SYSTEM_ADMIN)
    return users.none()


@rule("user.manage")
def manage_users(user, target):
    """Agency administrators manage their own agency's users; system
    administrators everyone's. `target` is a User or an Agency, or None for
    "may manage some users"."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    if not user.has_role(Role.AGENCY_ADMIN):
        return False
    if target is None:
        return True
    agency_id = target.agency_id if hasattr(target, "agency_id") else target.pk
    return agency_id == user.agency_id


@rule("user.grant_role")
def grant_role(user, role):
    """Which roles an administrator may give (or take away, or hold over someone
    they manage): only a system administrator makes system administrators."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    return user.has_role(Role.AGENCY_ADMIN) and role != Role.SYSTEM_ADMIN


@rule("api_token.manage")
def manage_api_tokens(user, account):
    """A service account's API tokens: whoever may manage the account."""
    return manage_users(user, account)


@rule("agency.manage")
def manage_agencies(user, obj):
    """The partnership's agencies and teams: system administrators."""
    return user.has_role(Role.SYSTEM_ADMIN)


@rule("reference_data.manage")
def manage_reference_data(user, obj):
    """Reference data (name variants, codes) shapes every agency's searches and
    screenings, so only system administrators change it."""
    return user.has_role(Role.SYSTEM_ADMIN)
