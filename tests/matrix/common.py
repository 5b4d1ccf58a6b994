"""What every part of the authorisation matrix shares: the roles, the
scopes and the Rule that says who may use one route.

Each area of the service writes its routes' rules in its own module in this
package (a RULES dict, with the kwargs functions that build the in-scope and
out-of-scope objects from the matrix's `world`); tests/test_authorisation_matrix.py
gathers them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from hoth.accounts.models import Role

ANONYMOUS = "anonymous"
ROLES = [r.value for r in Role]
EVERYONE_SIGNED_IN = frozenset(ROLES)
EVERYONE = EVERYONE_SIGNED_IN | {ANONYMOUS}
NOBODY = frozenset()
# policy.CASEWORK_ROLES: the roles whose work is with individual people.
CASEWORK = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST})
# policy.CREATE_PERSON_ROLES: record and change people.
RECORDERS = frozenset({Role.PRACTITIONER, Role.COORDINATOR})
# policy.PARTNERSHIP_WIDE_ROLES: coordinators see every record, so nothing is out of their scope.
PARTNERSHIP_WIDE = frozenset({Role.COORDINATOR})
AUDITORS = frozenset({Role.AUDITOR})
# user.manage and api_token.manage: agency administrators for their own
# agency, system administrators for every agency.
ADMINISTRATORS = frozenset({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
# agencies.manage.
SYSTEM_ADMINISTRATORS = frozenset({Role.SYSTEM_ADMIN})
IN_SCOPE, OUT_OF_SCOPE = "in scope", "out of scope"


@dataclass(frozen=True)
class Rule:
    """Who may use one route with one HTTP method.

    allowed: roles (and ANONYMOUS) allowed, for the in-scope object if the
    route takes one. out_of_scope: roles allowed for the out-of-scope object
    (None for routes that take no object). public: an open page (@public); the
    sign-in flow may send a visitor back to sign in, but nobody is refused."""

    allowed: frozenset = NOBODY
    out_of_scope: frozenset | None = None
    kwargs: Callable | None = None
    method: str = "GET"
    data: dict = field(default_factory=dict)
    json: bool = False
    public: bool = False


PUBLIC = Rule(allowed=EVERYONE, public=True)
