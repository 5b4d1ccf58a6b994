"""First sign-in sets up an authenticator app; forgotten passwords are reset
by an emailed link."""

import re

from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts import recovery
from hoth.accounts.models import RecoveryCode
from hoth.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user

from .conftest import code_for_device

ENROL = reverse("accounts:enrol")


def new_user(agencies):
    return make_user("new.starter@council.example", agencies["council"], "practitioner", enrol=False)


def test_user_without_an_authenticator_is_sent_to_set_one_up(agencies, client):
    user = new_user(agencies)
    response = client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    assert response["Location"] == ENROL
    page = client.get(ENROL).content.decode()
    # The QR code is inline SVG: no image request, no data: URL, no inline style.
    assert "<svg" in page and "data:" not in page and "style=" not in page and "<script>" not in page
    for app in ("Microsoft Authenticator", "Google Authenticator", "FreeOTP"):
        assert app in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert secret in device.config_url
    # Refreshing the page keeps the same secret.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    # Until it is set up, nothing else opens.
    assert client.get("/")["Location"].startswith("/account/sign-in")


def test_enrolment_confirms_the_app_shows_ten_recovery_codes_once_and_signs_in(agencies, client):
    user = new_user(agencies)
    client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"code": code_for_device(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = RecoveryCode.objects.filter(device__user=user)
    assert stored.count() == 10
    # Only hashes are kept: no table holds a code as it was shown.
    for code in codes:
        assert not any(code in str(row) or code.replace("-", "") in str(row) for row in stored.values())
        assert sum(recovery.matches(row.salt, row.digest, code) for row in stored) == 1
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert list(AuditEvent.objects.filter(user=user).values_list("action", flat=True)) == ["mfa_enrolled", "sign_in"]
    # Enrolment is over: the page now sends a signed-in user on, and shows no codes again.
    assert client.get(ENROL).status_code == 302


def test_wrong_code_at_enrolment_says_so_and_confirms_nothing(agencies, client):
    user = new_user(agencies)
    client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    good = int(code_for_device(device))
    response = client.post(ENROL, {"code": f"{(good + 500000) % 1000000:06d}"})
    assert b"The code is not correct" in response.content
    assert b"govuk-error-summary" in response.content
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not RecoveryCode.objects.exists()
    assert client.get("/").status_code == 302
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["mfa_failed"]


def test_enrolment_page_needs_a_password_first(db, client):
    assert client.get(ENROL)["Location"] == "/account/sign-in/"


def test_enrolled_user_cannot_replace_their_app_with_a_password_alone(users, client):
    user = users["practitioner"]
    client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    assert client.get(ENROL)["Location"] == "/account/sign-in/code/"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_forgotten_password_email_link_sets_a_new_password(users, client):
    user = users["practitioner"]
    response = client.post("/account/password-reset/", {"email": "Prac@council.example"})
    assert response["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert b"Set a new password" in page.content
    form_url = page.redirect_chain[-1][0]
    new_password = "a much longer new passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/account/password-reset/complete/"
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert AuditEvent.objects.get(action="password_reset").user_id == user.pk
    # The link works once.
    assert b"This link has expired" in client.get(link, follow=True).content


def test_password_reset_for_unknown_address_looks_the_same_but_sends_nothing(db, client):
    response = client.post("/account/password-reset/", {"email": "nobody@nowhere.example"})
    assert response["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_form_errors_are_specific(db, client):
    assert b"Enter your email address" in client.post("/account/password-reset/", {"email": ""}).content
    assert b"correct format" in client.post("/account/password-reset/", {"email": "nope"}).content


def test_new_password_must_match_and_be_strong_and_bad_input_changes_nothing(users, client):
    user = users["practitioner"]
    client.post("/account/password-reset/", {"email": user.email})
    link = re.search(r"https?://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    mismatch = client.post(form_url, {"new_password1": "a much longer new passphrase", "new_password2": "different"})
    assert b"The passwords do not match" in mismatch.content
    short = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert b"This password is too short" in short.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_reset").exists()
