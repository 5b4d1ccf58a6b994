"""Session rules every request passes: idle sessions end, and nobody uses the
service with only a password."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# Pages a signed-in user may reach before completing the second factor: exactly
# these, not everything under /account/ (a page added there later must not open
# to a password alone by accident).
_SECOND_FACTOR_URL_NAMES = (
    "accounts:sign-in",
    "accounts:second-factor",
    "accounts:recovery-code",
    "accounts:enrol",
    "accounts:sign-out",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-complete",
)
_SECOND_FACTOR_PREFIXES = ("/static/",)
# Paths outside the signed-in service (the API has its own token authentication).
# The public support directory is for children and families: it must not
# touch a member of staff's session, nor ask them for their second factor.
_PUBLIC_PATHS = ("/static/", "/api/", "/help/")
# Requests that never touch a member of staff's session, so never end it either.
# The API is not among them: a browser session idle too long must not go on
# reading it.
_SESSIONLESS_PATHS = ("/static/", "/help/")


# Activity is written to the session at most once a minute: writing it on every
# request would save the session (three queries) on every page. A session may
# so end up to a minute early, never late; the idle warning, shown two minutes
# before the end, still comes in time.
ACTIVITY_RESOLUTION = 60
# A page that refreshes itself, or a script polling for progress, asks with
# ?auto=1: that is the browser, not the person, so it never keeps an
# unattended session alive (a job's page left open all night still ends).
AUTOMATIC = "auto"


class IdleTimeoutMiddleware:
    """End a session that has been idle for SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(_SESSIONLESS_PATHS):
            now = time.time()
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                from hoth.audit.log import record

                user = request.user
                logout(request)
                record("sign_out", request=request, user=user, detail={"why": "idle timeout"})
                if request.path.startswith("/api/"):
                    return _api_session_ended(request)
                return redirect(f"{reverse('accounts:sign-in')}?timed_out=1")
            automatic = request.GET.get(AUTOMATIC) == "1"
            if not automatic and (last is None or now - last >= ACTIVITY_RESOLUTION):
                request.session["last_activity"] = now
        return self.get_response(request)


def _api_session_ended(request):
    # The API answers in problem documents, never with a sign-in page.
    from hoth.api.problems import problem_response

    return problem_response(401, "Your session ended because it was idle. Sign in again.", request)


class SecondFactorRequiredMiddleware:
    """A password alone gives nothing: until the TOTP code (or a recovery code) is
    checked, the only pages are the second-factor ones."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def _allowed_before_verification(self, path):
        if self._allowed is None:
            self._allowed = frozenset(reverse(name) for name in _SECOND_FACTOR_URL_NAMES)
        if path in self._allowed or path.startswith(_SECOND_FACTOR_PREFIXES + _PUBLIC_PATHS):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        # The reset link carries a user id and token in its path, so it is matched by name.
        return match.view_name == "accounts:password-reset-confirm"

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._allowed_before_verification(request.path):
            return redirect("accounts:second-factor")
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in person or a partner system is shown may be kept by a
    browser, a shared computer's cache or a proxy: the back button on a
    library computer must not bring a child's record back after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        credentials = "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES
        if credentials or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store, private"
        return response
