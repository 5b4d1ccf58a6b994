"""Bearer tokens for partner systems: `Authorization: Bearer <prefix>.<secret>`.

Only a SHA-256 hash of the secret is stored; each use is audited."""

import hashlib
import hmac

from django.utils import timezone
from rest_framework import authentication, exceptions

from hoth.accounts.models import ApiToken


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(self.keyword + " "):
            return None
        prefix, _, secret = header[len(self.keyword) + 1 :].strip().partition(".")
        token = ApiToken.objects.select_related("account", "account__agency").filter(prefix=prefix).first()
        if token is None or not secret or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
            raise exceptions.AuthenticationFailed("The token is not valid.")
        if not token.is_usable or not token.account.is_active:
            raise exceptions.AuthenticationFailed("The token has been revoked or has expired.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        from hoth.audit.log import record

        record("token_used", request=request._request, user=token.account, obj=token,
               detail={"method": request.method, "path": request.path})
        return token.account, token

    def authenticate_header(self, request):
        return self.keyword
