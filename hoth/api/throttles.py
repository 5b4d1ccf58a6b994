"""How fast a partner system may call the API.

Each credential (a token, or a signed-in person's session) has its own
allowance, HOTH_API_RATE. Counts live in the shared cache (a database table),
so every web process sees the same count: a limit kept per process would be
multiplied by the number of processes.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from hoth.accounts.models import ApiToken

SHARED_CACHE = "shared"


class PerCredential(SimpleRateThrottle):
    scope = "credential"

    def __init__(self):
        self.cache = caches[SHARED_CACHE]
        super().__init__()

    def get_rate(self):
        # Read on every request, not once at import, so a deployment (or a
        # test) that changes it is obeyed.
        return settings.HOTH_API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
