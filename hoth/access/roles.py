"""The groups of roles the rules speak of, and who counts as signed in."""

from typing import Any, Protocol

from hoth.accounts.roles import AgencyType, Role


class Actor(Protocol):
    """Whoever asks the gate, as far as the gate reads them: a signed-in
    accounts.User (this module may not import that app's models, which
    import the gate) or an anonymous visitor, whom `signed_in` turns away."""

    @property
    def pk(self) -> Any: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_service_account(self) -> bool: ...
    @property
    def agency(self) -> Any: ...
    @property
    def teams(self) -> Any: ...
    def has_role(self, *roles: str) -> bool: ...


class ScheduledJob:
    """The job scheduler, running a job that belongs to nobody (the month's
    figures frozen overnight). It holds no role and sees no record through a
    scope; a rule allows it only what the rule names it for, an aggregate
    read through `for_purpose`."""

    pk = None
    is_authenticated = True
    is_active = True
    is_service_account = True
    agency = None
    teams = ()

    def has_role(self, *roles: str) -> bool:
        return False

    def __str__(self) -> str:
        return "the job scheduler"


SCHEDULED_JOB = ScheduledJob()

# Roles whose work is with individual children and adults. Managers see
# aggregates, auditors the audit log, administrators accounts: none of them
# reads a person's record.
CASEWORK_ROLES = (Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST)
# Coordinators see every harm-outside-the-home record of the partnership.
PARTNERSHIP_WIDE_ROLES = (Role.COORDINATOR,)
# These see the people they are involved with (and break-glass grants).
INVOLVEMENT_ROLES = (Role.PRACTITIONER, Role.PANEL_CHAIR)
CREATE_PERSON_ROLES = (Role.PRACTITIONER, Role.COORDINATOR)


def signed_in(user: Actor | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def police(user: Actor) -> bool:
    """A casework user of a police force: police hold and act on intelligence."""
    return user.has_role(*CASEWORK_ROLES) and not user.is_service_account and user.agency.type == AgencyType.POLICE


def reads_intelligence(user: Actor) -> bool:
    """Analysts and police read intelligence as it was given, and see who gave it."""
    return signed_in(user) and (user.has_role(Role.ANALYST) or police(user))


def works_with_intelligence(user: Actor) -> bool:
    """Who sees subjects of concern, links and networks: those who read
    intelligence, and the coordinators and panel chairs who act on it."""
    return reads_intelligence(user) or (signed_in(user) and user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR))


def data_protection_officer(user: Actor) -> bool:
    return signed_in(user) and not user.is_service_account and user.has_role(Role.AUDITOR)
