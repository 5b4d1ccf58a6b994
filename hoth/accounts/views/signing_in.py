"""Signing in and out.

Signing in takes two steps: a password, then a code from an authenticator app
(or a single-use recovery code). The password step does NOT sign the person in:
it only remembers, for ten minutes, who has given a correct password. Django's
login() runs after the second factor. So a session that knows only a password is
never an authenticated session: nothing else (the API's session authentication,
a page that forgot a check) can treat it as one, and a correct password does not
reset the lockout counter (axes resets it on login) before the code is checked.

Lockout: wrong passwords, wrong codes and wrong recovery codes all count towards
the same django-axes limit (AXES_FAILURE_LIMIT per account and per address). A
wrong code is reported to axes as a failed login for that account, so there is
one counter, one cool-off, one lockout page, and one way for an administrator
to unlock (axes reset). Someone who has stolen a password gets AXES_FAILURE_LIMIT
guesses at the code per cool-off, not per attempt at the password.
"""

import time

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.access.decorators import public
from hoth.accounts import selectors, services
from hoth.accounts.forms import CodeForm, GovukPasswordResetForm, GovukSetPasswordForm, RecoveryCodeForm, SignInForm
from hoth.accounts.models import RecoveryCodes, User
from hoth.audit.context import client_ip
from hoth.audit.log import record

PENDING_USER = "accounts_pending_user"
PENDING_SINCE = "accounts_pending_since"
NEXT_URL = "accounts_next"
# How long someone has, after a correct password, to enter their code.
PENDING_SECONDS = 10 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
AUTHENTICATOR_APPS = ["Microsoft Authenticator", "Google Authenticator", "FreeOTP"]


def _credentials(email):
    # Axes reads the username from the key named by AXES_USERNAME_FORM_FIELD,
    # which defaults to the user model's USERNAME_FIELD ("email"); Django's own
    # backends read "username". Passing both keeps the two counting the same account.
    return {"username": email, "email": email}


def _pending_user(request):
    """Who has given a correct password but not yet a second factor (or None)."""
    if request.user.is_authenticated:
        # Signed in without verification: their authenticator was reset by an
        # administrator during the session, or a test signed them in directly.
        return None if request.user.is_verified() else request.user
    user_id = request.session.get(PENDING_USER)
    if user_id is None or time.time() - request.session.get(PENDING_SINCE, 0) > PENDING_SECONDS:
        return None
    return User.objects.select_related("agency").filter(pk=user_id, is_active=True, is_service_account=False).first()


def _forget_pending(request):
    for key in (PENDING_USER, PENDING_SINCE):
        request.session.pop(key, None)


def _is_locked(request, user):
    return not AxesProxyHandler.is_allowed(request, _credentials(user.email))


def _end_locked_attempt(request, user):
    """The account is locked: drop the half-finished sign-in and say so."""
    user_locked_out.send(
        "axes", request=request, username=user.email, ip_address=getattr(request, "axes_ip_address", None)
    )
    _forget_pending(request)
    if request.user.is_authenticated:
        logout(request)
    return locked_out(request)


def _second_factor_failed(request, user, factor):
    """A wrong code: audit it and count it towards the account's lockout.
    Returns True if that failure locked the account."""
    record("mfa_failed", request=request, user=user, detail={"factor": factor})
    user_login_failed.send(sender=__name__, credentials=_credentials(user.email), request=request)
    if getattr(request, "axes_locked_out", False):
        # AxesMiddleware swaps the response for the lockout page; the session ends here.
        _forget_pending(request)
        if request.user.is_authenticated:
            logout(request)
        return True
    return False


def _complete_sign_in(request, user, device, factor):
    next_url = request.session.pop(NEXT_URL, None)
    _forget_pending(request)
    auth_login(request, user, backend=MODEL_BACKEND)
    otp_login(request, device)
    request.session["last_activity"] = time.time()
    record("sign_in", request=request, user=user, detail={"factor": factor})
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)


@public
def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page shown instead of any response once an
    account or address is locked."""
    _forget_pending(request)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _address_locked(request):
    """The address has failed too often: the lockout page, audited, whatever is typed."""
    if request.method != "POST" or not selectors.address_is_locked(client_ip(request)):
        return None
    record("lockout", request=request, user=None, actor=request.POST.get("email", "")[:254], detail={"address": True})
    return locked_out(request)


@public
def sign_in(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    if locked := _address_locked(request):
        return locked
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        # Through authenticate() so that axes counts failures and refuses locked accounts.
        user = authenticate(request, password=password, **_credentials(email))
        if user is None or user.is_service_account:
            record(
                "sign_in_failed",
                request=request,
                user=None,
                actor=email,
                detail={"locked": bool(getattr(request, "axes_locked_out", False))},
            )
            # One message whichever was wrong: saying which would confirm the account exists.
            form.add_error("email", "The email address or password is not correct")
        else:
            if request.user.is_authenticated:
                logout(request)
            request.session.cycle_key()
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_SINCE] = time.time()
            request.session[NEXT_URL] = request.GET.get("next", "")
            if not selectors.has_authenticator(user):
                return redirect("accounts:enrol")
            return redirect("accounts:second-factor")
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            # Only on arrival: once they try to sign in, the reason they left is old news.
            "timed_out": request.method == "GET" and request.GET.get("timed_out") == "1",
            "signed_out": request.method == "GET" and request.GET.get("signed_out") == "1",
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        },
    )


@public
def second_factor(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if locked := _address_locked(request):
        return locked
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _is_locked(request, user):
            return _end_locked_attempt(request, user)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code",
                "You entered a wrong code a moment ago. Wait a few seconds, then enter the code your app shows now",
            )
        elif device.verify_token(form.cleaned_data["code"]):
            return redirect(_complete_sign_in(request, user, device, "totp"))
        else:
            if _second_factor_failed(request, user, "totp"):
                return locked_out(request)
            form.add_error("code", "The code is not correct or has expired. Enter the code your app shows now")
    return render(request, "accounts/second_factor.html", {"form": form})


@public
def recovery_code(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if locked := _address_locked(request):
        return locked
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _is_locked(request, user):
            return _end_locked_attempt(request, user)
        device = None
        for candidate in RecoveryCodes.objects.filter(user=user, confirmed=True):
            # verify_token deletes the matching code, so each works once.
            if candidate.verify_token(form.cleaned_data["code"]):
                device = candidate
                break
        if device is not None:
            remaining = device.codes.count()
            if remaining <= 3:
                messages.warning(
                    request,
                    f"You have {remaining} recovery code{'s' if remaining != 1 else ''} left. "
                    "Ask your agency administrator to reset your second factor to get new ones.",
                )
            return redirect(_complete_sign_in(request, user, device, "recovery_code"))
        if _second_factor_failed(request, user, "recovery_code"):
            return locked_out(request)
        form.add_error("code", "This recovery code is not correct or has already been used")
    return render(request, "accounts/recovery_code.html", {"form": form})


def _qr_svg(url):
    """The otpauth URL as an inline SVG: no image request, no data: URL, no inline style."""
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=4).to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # generated by qrcode from our own URL: no user HTML in it


def _grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@public
def enrol(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if locked := _address_locked(request):
        return locked
    if selectors.has_authenticator(user):
        return redirect("accounts:second-factor")
    device = services.authenticator_for_enrolment(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _is_locked(request, user):
            return _end_locked_attempt(request, user)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code",
                "You entered a wrong code a moment ago. Wait a few seconds, then enter the code your app shows now",
            )
        elif device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_enrolment(user, device)
            record("mfa_enrolled", request=request, user=user, obj=None, detail={"device_id": device.pk})
            next_url = _complete_sign_in(request, user, device, "totp")
            # Shown once, in this response, and never stored in plain text.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
        else:
            if _second_factor_failed(request, user, "totp_enrolment"):
                return locked_out(request)
            form.add_error(
                "code",
                "The code is not correct. Check you scanned the QR code on this page, then enter the code your app shows now",
            )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(secret),
            "apps": AUTHENTICATOR_APPS,
            "account_label": user.email,
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@public
@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        user = request.user
        record("sign_out", request=request, user=user, detail={"why": "signed out"})
        logout(request)
    else:
        _forget_pending(request)
    return redirect(f"{reverse('accounts:sign-in')}?signed_out=1")


# ---------------------------------------------------------------- password reset
# Django's own reset flow (one-time token links that stop working once the
# password changes), with the service's pages and words.


@public
def password_reset(request):
    return auth_views.PasswordResetView.as_view(
        form_class=GovukPasswordResetForm,
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password-reset-done"),
        extra_email_context={"service_name": settings.SERVICE_NAME, "partnership_name": settings.PARTNERSHIP_NAME},
    )(request)


@public
def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")


class _PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record("password_reset", request=self.request, user=form.user, obj=None, detail={"via": "email link"})
        return response


@public
def password_reset_confirm(request, uidb64, token):
    return _PasswordResetConfirm.as_view()(request, uidb64=uidb64, token=token)


@public
def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")
