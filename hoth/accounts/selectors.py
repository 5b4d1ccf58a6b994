"""What the sign-in and account pages read about accounts without changing
them: whether someone has set up an authenticator app, and which accounts
and addresses are locked out after too many failed sign-ins (django-axes'
attempts, counted over AXES_COOLOFF_TIME)."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# ---------------------------------------------------------------- second factor


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# ---------------------------------------------------------------- lockout


def locked_usernames(emails: Iterable[str]) -> set[str]:
    """Which of these addresses are locked out now (one query, for lists)."""
    from axes.models import AccessAttempt

    emails = list(emails)
    if not emails:
        return set()
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=emails, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
    )
    return {r["username"] for r in rows if r["failures"] >= settings.AXES_FAILURE_LIMIT}


def is_locked(user: User) -> bool:
    return user.email in locked_usernames([user.email])


def address_is_locked(ip_address: str | None, now: datetime.datetime | None = None) -> bool:
    """Too many failures from one address, whichever accounts they were for.

    An account locks after AXES_FAILURE_LIMIT failures (django-axes). An
    address locks after HOTH_LOCKOUT_ADDRESS_FAILURES, set higher because a
    whole office can sit behind one address and its staff mistype too; it
    stops one machine trying a few passwords against every account."""
    from axes.models import AccessAttempt

    if not ip_address:
        return False
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    failures = (
        AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    return failures >= settings.HOTH_LOCKOUT_ADDRESS_FAILURES
