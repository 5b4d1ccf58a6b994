"""The Idempotency-Key header, one definition for every API that creates.

Partner systems retry when a network drops; a key lets a retry answer with
what the first request made instead of making it twice. The key is printable
ASCII without spaces (a UUID is the usual choice), at most MAX_LENGTH long:
the shortest column that stores one (Referral.idempotency_key)."""

import re
from datetime import timedelta

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

MAX_LENGTH = 80
PATTERN = r"^[!-~]+$"
_KEY = re.compile(rf"[!-~]{{1,{MAX_LENGTH}}}")
MESSAGE = f"Send an Idempotency-Key of 1 to {MAX_LENGTH} printable characters without spaces, for example a UUID"

PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": PATTERN},
    OpenApiParameter.HEADER,
    required=False,
    description=f"A unique key for this create, for example a UUID (1 to {MAX_LENGTH} printable characters, no spaces)",
)


def key_from(request):
    """The request's key, None without one; a key that breaks the declared form is refused (400)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ValidationError({"Idempotency-Key": [MESSAGE]})
    return key


def expired_before(now):
    """Keys made before this moment no longer replay: a key lasts as long as
    the retention schedule keeps it (its line "api_idempotency", 24 hours as
    shipped), so what the schedule purges and what still replays agree."""
    from hoth.information_governance.models import RetentionRule
    from hoth.information_governance.triggers import cutoff

    rule = RetentionRule.objects.filter(code="api_idempotency", is_active=True).first()
    return cutoff(rule, now) if rule is not None else now - timedelta(hours=24)
