"""Who may search the audit log."""

from hoth.access.policy import rule
from hoth.accounts.roles import Role


@rule("audit.search")
def search(user, obj):
    """Searching the audit log and verifying its chain: auditors."""
    return user.has_role(Role.AUDITOR)
