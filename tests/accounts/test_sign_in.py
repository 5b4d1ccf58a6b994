"""Signing in takes a password and a second factor; failures are counted,
audited and end in a lockout."""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts import recovery, services
from hoth.accounts.models import RecoveryCode
from hoth.audit.models import AuditEvent
from tests.conftest import PASSWORD, current_code

from .conftest import wrong_code

SIGN_IN = "/account/sign-in/"
CODE = "/account/sign-in/code/"
RECOVERY = "/account/sign-in/recovery-code/"


def actions(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def give_password(client, user, password=PASSWORD):
    return client.post(SIGN_IN, {"email": user.email, "password": password})


def next_time_step(user):
    """As if 30 seconds had passed: the device accepts a fresh code again."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)


def is_verified(client):
    response = client.get("/")
    return response.status_code == 200


def test_url_names_are_where_the_service_expects_them():
    assert reverse("accounts:sign-in") == SIGN_IN
    assert reverse("accounts:second-factor") == CODE
    assert reverse("accounts:recovery-code") == RECOVERY
    assert reverse("accounts:enrol").startswith("/account/")
    assert reverse("accounts:sign-out") == "/account/sign-out/"


def test_password_then_authenticator_code_signs_in_and_is_audited_once(users, client):
    user = users["practitioner"]
    response = give_password(client, user)
    assert response.status_code == 302 and response["Location"] == CODE
    # A correct password alone is not a signed-in session.
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302

    response = client.post(CODE, {"code": current_code(user)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_verified(client)
    assert actions(user=user, action="sign_in") == ["sign_in"]
    assert AuditEvent.objects.get(action="sign_in").detail == {"factor": "totp"}


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(users, client):
    user = users["practitioner"]
    client.post(SIGN_IN + "?next=/notifications/", {"email": user.email, "password": PASSWORD})
    assert client.post(CODE, {"code": current_code(user)})["Location"] == "/notifications/"
    client.post("/account/sign-out/")
    next_time_step(user)
    client.post(SIGN_IN + "?next=https://evil.example/", {"email": user.email, "password": PASSWORD})
    assert client.post(CODE, {"code": current_code(user)})["Location"] == "/"


def test_a_code_works_only_once(users, client):
    user = users["practitioner"]
    code = current_code(user)
    give_password(client, user)
    client.post(CODE, {"code": code})
    client.post("/account/sign-out/")
    give_password(client, user)
    response = client.post(CODE, {"code": code})
    assert b"The code is not correct or has expired" in response.content


def test_email_address_is_not_case_sensitive(users, client):
    response = client.post(SIGN_IN, {"email": "PRAC@Council.example", "password": PASSWORD})
    assert response["Location"] == CODE


def test_wrong_password_says_so_without_saying_which_and_audits_what_was_typed(users, client):
    response = give_password(client, users["practitioner"], "not the password")
    assert response.status_code == 200
    assert b"The email address or password is not correct" in response.content
    assert b"govuk-error-summary" in response.content
    event = AuditEvent.objects.get(action="sign_in_failed")
    assert event.actor == "prac@council.example" and event.user_id is None
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_message(db, client):
    response = client.post(SIGN_IN, {"email": "nobody@nowhere.example", "password": "whatever it is"})
    assert b"The email address or password is not correct" in response.content
    assert AuditEvent.objects.get(action="sign_in_failed").actor == "nobody@nowhere.example"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "", "password": PASSWORD}, b"Enter your email address"),
        ({"email": "prac-at-council", "password": PASSWORD}, b"Enter an email address in the correct format"),
        ({"email": "prac@council.example", "password": ""}, b"Enter your password"),
    ],
)
def test_incomplete_sign_in_form_gets_a_specific_error_and_nothing_is_counted(users, client, data, message):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200 and message in response.content
    assert not AccessAttempt.objects.exists()
    assert not AuditEvent.objects.exists()


def test_wrong_code_says_so_and_is_audited(users, client):
    user = users["practitioner"]
    give_password(client, user)
    response = client.post(CODE, {"code": wrong_code(user)})
    assert response.status_code == 200
    assert b"The code is not correct or has expired" in response.content
    assert actions(user=user) == ["mfa_failed"]
    assert not is_verified(client)


@pytest.mark.parametrize("code, message", [("", b"Enter the 6-digit code"), ("12ab56", b"Enter the code as 6 numbers")])
def test_malformed_code_gets_a_specific_error_and_is_not_counted(users, client, code, message):
    give_password(client, users["practitioner"])
    response = client.post(CODE, {"code": code})
    assert message in response.content
    assert not AuditEvent.objects.exists()


def test_code_page_without_a_password_goes_back_to_sign_in(users, client):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_correct_password_is_forgotten_after_ten_minutes(users, client):
    user = users["practitioner"]
    give_password(client, user)
    session = client.session
    session["accounts_pending_since"] = time.time() - 11 * 60
    session.save()
    assert client.post(CODE, {"code": current_code(user)})["Location"] == SIGN_IN


def test_repeated_wrong_passwords_lock_the_account_and_are_audited(users, client):
    user = users["practitioner"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert give_password(client, user, "wrong wrong wrong").status_code == 200
    response = give_password(client, user, "wrong wrong wrong")
    assert response.status_code == 429
    assert b"Your account is locked" in response.content
    # Even the right password now gets the lockout page.
    response = give_password(client, user)
    assert response.status_code == 429
    assert "accounts_pending_user" not in client.session
    assert actions(action="sign_in_failed").count("sign_in_failed") == settings.AXES_FAILURE_LIMIT + 1
    lockouts = AuditEvent.objects.filter(action="lockout")
    assert lockouts.exists() and all(e.user_id == user.pk for e in lockouts)


def test_repeated_wrong_codes_end_the_attempt_and_lock_the_account(users, client):
    user = users["practitioner"]
    give_password(client, user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(CODE, {"code": wrong_code(user)}).status_code == 200
    response = client.post(CODE, {"code": wrong_code(user)})
    assert response.status_code == 429 and b"Your account is locked" in response.content
    assert "accounts_pending_user" not in client.session
    # The attempt is over, and a fresh one with the right password is refused too.
    assert client.post(CODE, {"code": current_code(user)})["Location"] == SIGN_IN
    assert give_password(client, user).status_code == 429
    assert actions(user=user, action="mfa_failed") == ["mfa_failed"] * settings.AXES_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action="lockout", user=user).exists()
    assert not AuditEvent.objects.filter(action="sign_in").exists()


def test_an_address_that_fails_across_many_accounts_is_locked_out(users, client, settings):
    """Five colleagues' typos do not lock an office out; one machine trying
    passwords against every account is stopped."""
    settings.HOTH_LOCKOUT_ADDRESS_FAILURES = 6
    accounts = [users[key] for key in ("practitioner", "coordinator", "analyst")]
    for account in accounts:
        for _ in range(2):
            assert give_password(client, account, "wrong wrong wrong").status_code == 200
    # No account has reached its own limit, but the address has.
    response = give_password(client, users["manager"])
    assert response.status_code == 429
    assert "accounts_pending_user" not in client.session
    event = AuditEvent.objects.filter(action="lockout").last()
    assert event.detail == {"address": True} and event.actor == users["manager"].email
    # Another address signs in to the same account.
    other = client.__class__(REMOTE_ADDR="10.9.9.9")
    assert give_password(other, users["manager"]).status_code == 302


def test_a_correct_password_does_not_wipe_earlier_wrong_codes(users, client):
    """Otherwise someone with a stolen password gets endless guesses at the code."""
    user = users["practitioner"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        give_password(client, user)
        client.post(CODE, {"code": wrong_code(user)})
    give_password(client, user)
    assert client.post(CODE, {"code": wrong_code(user)}).status_code == 429


def test_lockout_applies_at_the_code_step_too(users, client, django_user_model):
    user = users["practitioner"]
    give_password(client, user)
    # Meanwhile someone else hammers the password from another address.
    other = client.__class__(REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        other.post(SIGN_IN, {"email": user.email, "password": "wrong wrong wrong"})
    response = client.post(CODE, {"code": current_code(user)})
    assert response.status_code == 429
    assert not is_verified(client)


def test_recovery_code_signs_in_once_only(users, client):
    user = users["practitioner"]
    first, second = services.replace_recovery_codes(user)[:2]
    give_password(client, user)
    assert client.get(CODE).content.count(RECOVERY.encode()) == 1
    response = client.post(RECOVERY, {"code": first.upper().replace("-", " ")})
    assert response["Location"] == "/"
    assert is_verified(client)
    assert AuditEvent.objects.get(action="sign_in").detail == {"factor": "recovery_code"}

    client.post("/account/sign-out/")
    give_password(client, user)
    response = client.post(RECOVERY, {"code": first})
    assert response.status_code == 200
    assert b"This recovery code is not correct or has already been used" in response.content
    assert not is_verified(client)
    remaining = RecoveryCode.objects.filter(device__user=user)
    assert remaining.count() == 9
    assert any(recovery.matches(code.salt, code.digest, second) for code in remaining)


def test_malformed_recovery_code_gets_a_specific_error(users, client):
    give_password(client, users["practitioner"])
    assert b"Enter one of your recovery codes" in client.post(RECOVERY, {"code": ""}).content
    assert b"16 letters and numbers" in client.post(RECOVERY, {"code": "short"}).content
    assert not AuditEvent.objects.exists()


def test_service_account_can_never_sign_in_interactively(agencies, client):
    from hoth.accounts.models import User

    account = User.objects.create_user(
        "svc@police.example", password=None, agency=agencies["police"], full_name="Police link", is_service_account=True
    )
    # Even if someone gave it a password by hand.
    account.set_password(PASSWORD)
    account.save()
    response = client.post(SIGN_IN, {"email": account.email, "password": PASSWORD})
    assert response.status_code == 200
    assert b"The email address or password is not correct" in response.content
    assert "accounts_pending_user" not in client.session


def test_deactivated_user_cannot_sign_in(users, client):
    user = users["practitioner"]
    user.is_active = False
    user.save()
    assert give_password(client, user).status_code == 200
    assert "accounts_pending_user" not in client.session


def test_sign_out_is_post_only_and_ends_the_session(users, verified_client):
    user = users["practitioner"]
    client = verified_client(user)
    assert client.get("/account/sign-out/").status_code == 405
    assert is_verified(client)
    response = client.post("/account/sign-out/")
    assert response["Location"] == SIGN_IN + "?signed_out=1"
    assert client.get("/").status_code == 302
    assert actions(user=user) == ["sign_out"]
    assert b"You have signed out" in client.get(response["Location"]).content


def leave_idle(client):
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()


def test_idle_session_ends_and_sign_in_page_says_why(users, verified_client):
    user = users["practitioner"]
    client = verified_client(user)
    assert client.get("/").status_code == 200
    leave_idle(client)
    response = client.get("/")
    assert response["Location"] == SIGN_IN + "?timed_out=1"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"You were signed out because you had not used the service" in page.content
    assert AuditEvent.objects.get(action="sign_out").detail == {"why": "idle timeout"}


def test_an_idle_browser_session_cannot_go_on_reading_the_api(users, verified_client):
    user = users["practitioner"]
    client = verified_client(user)
    assert client.get("/api/v1/persons/").status_code == 200
    leave_idle(client)
    response = client.get("/api/v1/persons/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Your session ended because it was idle. Sign in again."
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/persons/").status_code in (401, 403)
    assert AuditEvent.objects.get(action="sign_out").detail == {"why": "idle timeout"}


def test_active_session_is_not_ended(users, verified_client):
    client = verified_client(users["practitioner"])
    client.get("/")
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/manage/", "/account/", "/account/anything-else/", "/notifications/"])
def test_before_the_second_factor_only_the_sign_in_pages_are_reachable(users, client, path):
    client.force_login(users["system_admin"])
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == CODE


@pytest.mark.parametrize("path", [SIGN_IN, CODE, RECOVERY, "/account/password-reset/", "/account/password-reset/sent/"])
def test_sign_in_pages_are_reachable_before_the_second_factor(users, client, path):
    client.force_login(users["practitioner"])
    assert client.get(path).status_code == 200


def test_user_whose_authenticator_was_reset_mid_session_must_enrol_again(users, verified_client):
    user = users["practitioner"]
    client = verified_client(user)
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get("/")["Location"] == CODE
    assert client.get(CODE)["Location"] == reverse("accounts:enrol")
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_cancelling_at_the_code_step_forgets_the_password(users, client):
    user = users["practitioner"]
    give_password(client, user)
    assert b"Cancel and sign in as someone else" in client.get(CODE).content
    client.post("/account/sign-out/")
    assert client.get(CODE)["Location"] == SIGN_IN
    assert not AuditEvent.objects.exists()


def test_api_is_not_sent_to_the_second_factor_page(users, client):
    """Partner systems authenticate each API call with a token, not a session."""
    client.force_login(users["practitioner"])
    response = client.get("/api/schema/")
    assert response.get("Location") != CODE


def test_activity_is_written_to_the_session_at_most_once_a_minute(users, verified_client):
    client = verified_client(users["practitioner"])
    client.get("/")
    recent = time.time() - 30
    session = client.session
    session["last_activity"] = recent
    session.save()
    client.get("/")
    assert client.session["last_activity"] == recent
    session = client.session
    session["last_activity"] = time.time() - 61
    session.save()
    client.get("/")
    assert client.session["last_activity"] > time.time() - 5
