"""Who is calling the API.

Partner systems send `Authorization: Bearer <prefix>.<secret>`; only a SHA-256
hash of the secret is stored. People using the API from a signed-in browser
session must have completed the second factor, exactly as for the pages: a
stolen password alone must not open the API either.

Neither class writes to the audit log itself. The view that answers writes one
event per request naming the token used (see hoth.api.audit), so the log
says both who asked and with which credential, once.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from rest_framework import authentication, exceptions

from hoth.accounts.models import ApiToken
from hoth.audit.context import client_ip

from .throttles import SHARED_CACHE


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class BadTokens:
    """Requests with a token that is not valid, counted per address: guessing
    secrets from one address stops after HOTH_API_BAD_TOKEN_LIMIT tries for
    HOTH_API_BAD_TOKEN_MINUTES, whichever tokens it tries."""

    def __init__(self, request):
        self.cache = caches[SHARED_CACHE]
        self.key = f"bad-token-{client_ip(request) or 'unknown'}"
        self.window = settings.HOTH_API_BAD_TOKEN_MINUTES * 60

    def refuse_if_too_many(self):
        if self.cache.get(self.key, 0) >= settings.HOTH_API_BAD_TOKEN_LIMIT:
            raise exceptions.Throttled(
                wait=self.window,
                detail=(
                    "Too many requests with a token that is not valid came from your address. "
                    f"Try again in {settings.HOTH_API_BAD_TOKEN_MINUTES} minutes with a valid token."
                ),
            )

    def count(self):
        self.cache.add(self.key, 0, timeout=self.window)
        try:
            self.cache.incr(self.key)
        except ValueError:  # expired between the two calls
            self.cache.set(self.key, 1, timeout=self.window)


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(self.keyword + " "):
            return None
        bad_tokens = BadTokens(request)
        bad_tokens.refuse_if_too_many()
        prefix, _, secret = header[len(self.keyword) + 1 :].strip().partition(".")
        token = ApiToken.objects.select_related("account", "account__agency").filter(prefix=prefix).first()
        # Compare against a hash even when the prefix is unknown, so that the
        # time taken does not tell an attacker which prefixes exist.
        expected = token.secret_hash if token is not None else hash_secret("")
        if not hmac.compare_digest(expected, hash_secret(secret)) or token is None or not secret:
            bad_tokens.count()
            raise exceptions.AuthenticationFailed("The token is not valid.")
        if not token.is_usable or not token.account.is_active:
            raise exceptions.AuthenticationFailed("The token has been revoked or has expired.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.account, token

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once the second factor has been checked
    (django-otp's OTPMiddleware sets user.is_verified)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        is_verified = getattr(user, "is_verified", None)
        if not callable(is_verified) or not is_verified():
            raise exceptions.AuthenticationFailed(
                "Sign in with your second factor (authenticator app code) before using the API."
            )
        return user, auth


# The API's own views name these explicitly rather than trusting the project
# default, so that a session without a second factor can never reach them.
API_AUTHENTICATION = [ServiceTokenAuthentication, VerifiedSessionAuthentication]
