"""The API asks the same access gate as the pages.

Each API view names, per HTTP method, the policy action it performs and the
token scope a partner system needs for it. Session users are decided by the
policy alone; token users need the scope as well as the policy's yes (a token
can narrow what its service account may do, never widen it).

The authorisation-matrix test reads `PolicyGate.rules` to check that every
method an API view answers has a rule, as it reads `access_action` on pages.
"""

from rest_framework import exceptions, permissions

from hoth.access import policy
from hoth.accounts.models import ApiToken


class PolicyGate(permissions.BasePermission):
    """Subclassed by gate(); `rules` maps a method to (action, scope).

    An action of None means the rule needs the object: the view fetches it
    through `visible_to(user)` and calls policy.check with it."""

    rules = {}

    def _rule(self, request):
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        return self.rules.get(method)

    def has_permission(self, request, view):
        rule = self._rule(request)
        if rule is None:
            # DRF answers 405 for methods the view does not handle.
            return True
        action, scope = rule
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None and scope not in (token.scopes or []):
            raise exceptions.PermissionDenied(f"This token does not have the {scope} scope.")
        if action is None:
            return True
        if not policy.can(request.user, action):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True


def gate(**rules):
    """gate(GET=("person.search", "persons:read"), POST=("person.create", "persons:write"))"""
    return type("PolicyGate", (PolicyGate,), {"rules": rules})


def scopes_of(request):
    token = request.auth if isinstance(request.auth, ApiToken) else None
    return None if token is None else list(token.scopes or [])
