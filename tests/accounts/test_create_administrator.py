"""The first system administrator of a new installation is made on the server,
and still sets up a second factor at first sign-in."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts.models import Agency, AgencyType, Role, User
from hoth.audit.log import verify
from hoth.audit.models import AuditEvent

from .conftest import code_for_device

ENROL = reverse("accounts:enrol")

STRONG = "a long passphrase nobody guesses"


@pytest.fixture
def unattended(monkeypatch):
    monkeypatch.setenv("HOTH_ADMIN_PASSWORD", STRONG)


def create(**options):
    call_command(
        "create_administrator", **{"email": "First.Admin@Council.example", "full_name": "Ada Admin", **options}
    )


def test_the_first_administrator_is_made_in_the_partnership_and_must_enrol_at_first_sign_in(
    db, unattended, client, settings
):
    create()
    user = User.objects.get(email="first.admin@council.example")
    assert user.roles == [Role.SYSTEM_ADMIN]
    assert user.agency.name == settings.PARTNERSHIP_NAME and user.agency.type == AgencyType.PARTNERSHIP
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.post("/account/sign-in/", {"email": user.email, "password": STRONG})
    assert response["Location"] == ENROL
    assert client.get(reverse("manage:users"))["Location"].startswith("/account/sign-in")
    client.get(ENROL)
    client.post(ENROL, {"code": code_for_device(TOTPDevice.objects.get(user=user))})
    assert client.get(reverse("manage:users")).status_code == 200


def test_making_the_administrator_is_audited_without_the_password(db, unattended):
    create(agency="Cheshire East Council")
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.actor, e.action, e.object_type, e.detail["change"]) for e in events] == [
        ("manage.py create_administrator", "admin", "accounts.Agency", "agency.create"),
        ("manage.py create_administrator", "admin", "accounts.User", "user.create"),
    ]
    assert all(STRONG not in str(e.detail) for e in events)
    assert verify().intact


def test_an_existing_agency_is_used_not_copied(db, unattended):
    Agency.objects.create(name="Cheshire East Council", type=AgencyType.CHILDRENS_SOCIAL_CARE)
    create(agency="Cheshire East Council")
    assert Agency.objects.filter(name="Cheshire East Council").count() == 1


def test_a_second_administrator_is_refused_unless_asked_for(db, unattended):
    create()
    with pytest.raises(CommandError, match="already exist"):
        call_command("create_administrator", email="second@council.example", full_name="Bo Second")
    assert not User.objects.filter(email="second@council.example").exists()
    call_command("create_administrator", email="second@council.example", full_name="Bo Second", additional=True)
    assert User.objects.get(email="second@council.example").roles == [Role.SYSTEM_ADMIN]


def test_a_weak_password_changes_nothing(db, monkeypatch):
    monkeypatch.setenv("HOTH_ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="not strong enough"):
        create()
    assert not User.objects.exists() and not Agency.objects.exists() and not AuditEvent.objects.exists()


def test_an_existing_account_is_not_overwritten(db, unattended):
    create()
    with pytest.raises(CommandError, match="already exists"):
        create(additional=True)
    assert User.objects.count() == 1


def test_without_a_terminal_or_the_variable_it_says_how_to_give_the_password(db, monkeypatch):
    monkeypatch.delenv("HOTH_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="HOTH_ADMIN_PASSWORD"):
        create()


def test_the_password_is_asked_twice_at_a_terminal(db, monkeypatch):
    monkeypatch.delenv("HOTH_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([STRONG, STRONG + " but different"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        create()
    answers = iter([STRONG, STRONG])
    create()
    assert User.objects.get().check_password(STRONG)
