from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from . import policy
from .roles import Actor

View = Callable[..., HttpResponse]


def allowed(action: str) -> Callable[[View], View]:
    """Sign-in required, then the policy must allow `action` (without an object;
    views check object-level rules with policy.check once they hold the object)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # login_required has turned anonymous visitors away: this is a signed-in user.
            policy.check(cast(Actor, request.user), action)
            return view(request, *args, **kwargs)

        wrapper.access_action = action  # type: ignore[attr-defined]  # read by the authorisation matrix
        return wrapper

    return decorate


def public(view: View) -> View:
    """Mark a view as deliberately open to anyone (sign-in pages, public
    directory). The authorisation-matrix test insists every view is marked one
    way or the other."""
    view.access_action = "public"  # type: ignore[attr-defined]  # read by the authorisation matrix
    return view
