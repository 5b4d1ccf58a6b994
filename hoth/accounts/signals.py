"""Audit for sign-in events that happen inside other libraries."""

from hoth.audit.log import record


def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes has locked an account or address (or refused an attempt
    during a lockout)."""
    from .models import User

    user = User.objects.select_related("agency").filter(email__iexact=username or "").first()
    record(
        "lockout",
        request=request,
        user=user,
        actor=username or "",
        detail={"failures": getattr(request, "axes_failures_since_start", None)},
    )
