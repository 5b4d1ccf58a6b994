"""Who may keep the support services directory."""

from hoth.access.policy import rule
from hoth.accounts.roles import Role


@rule("directory.manage")
def manage(user, service):
    """The support services directory is public information, but a wrong phone
    number reaches a frightened child. Exploitation coordinators know the local
    services and keep the entries current; system administrators own reference
    data and chase stale entries. Practitioners use the directory, not edit it."""
    return user.has_role(Role.COORDINATOR, Role.SYSTEM_ADMIN)
