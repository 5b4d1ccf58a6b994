from functools import wraps

from django.contrib.auth.decorators import login_required

from . import policy


def allowed(action):
    """Sign-in required, then the policy must allow `action` (without an object;
    views check object-level rules with policy.check once they hold the object)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            policy.check(request.user, action)
            return view(request, *args, **kwargs)

        wrapper.access_action = action  # type: ignore[attr-defined]  # read by the authorisation matrix
        return wrapper

    return decorate


def public(view):
    """Mark a view as deliberately open to anyone (sign-in pages, public
    directory). The authorisation-matrix test insists every view is marked one
    way or the other."""
    view.access_action = "public"
    return view
