"""Partner systems get service accounts and revocable API tokens; the secret
is shown once and only its hash is kept."""

import hashlib
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from hoth.accounts.models import Agency, ApiToken, Role, Team, User
from hoth.api.authentication import ServiceTokenAuthentication
from hoth.audit.models import AuditEvent
from tests.conftest import make_user


def authenticate_with(plain):
    request = Request(RequestFactory().get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Bearer {plain}"))
    return ServiceTokenAuthentication().authenticate(request)


def create_account(client, agency=None, roles=("practitioner",), name="Police case system link"):
    data = {"name": name, "roles": list(roles)}
    if agency is not None:
        data["agency"] = agency.pk
    response = client.post(reverse("manage:service-account-create"), data)
    return response, User.objects.filter(is_service_account=True, full_name=name).first()


def issue(client, account, **overrides):
    data = {"name": "Nightly import", "scopes": ["persons:read"], "expires": "90", **overrides}
    return client.post(reverse("manage:token-create", args=[account.pk]), data)


def test_agency_admin_creates_a_service_account_for_their_own_agency(users, agencies, verified_client):
    client = verified_client(users["agency_admin"])
    response, account = create_account(client, agency=agencies["police"])
    assert response["Location"] == reverse("manage:service-account", args=[account.pk])
    assert account.agency == agencies["school"]
    assert account.roles == ["practitioner"]
    assert not account.has_usable_password()
    assert account.email.endswith(".invalid")
    assert AuditEvent.objects.get(action="admin").detail["change"] == "service_account.create"


def test_service_account_cannot_hold_an_administrator_role(users, agencies, verified_client):
    client = verified_client(users["system_admin"])
    response, account = create_account(client, agency=agencies["police"], roles=["system_admin"])
    assert b"Choose roles from the list" in response.content
    assert account is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "roles": ["analyst"]}, b"Enter the name of the partner system"),
        ({"name": "Link", "roles": []}, b"Choose at least one role"),
        ({"name": "Link", "roles": ["analyst"], "agency": ""}, b"Choose the agency responsible for the system"),
    ],
)
def test_bad_service_account_input_gets_a_specific_error_and_changes_nothing(users, verified_client, data, message):
    response = verified_client(users["system_admin"]).post(reverse("manage:service-account-create"), data)
    assert message in response.content and b"govuk-error-summary" in response.content
    assert not User.objects.filter(is_service_account=True).exists()
    assert not AuditEvent.objects.filter(action="admin").exists()


def test_token_is_shown_once_stored_as_a_hash_and_works(users, agencies, verified_client):
    client = verified_client(users["system_admin"])
    _, account = create_account(client, agency=agencies["police"], roles=["analyst"])
    response = issue(client, account, scopes=["persons:read", "persons:write"])
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    plain = re.search(r'id="token">([^<]+)<', response.content.decode()).group(1)
    prefix, secret = plain.split(".", 1)
    token = ApiToken.objects.get(account=account)
    assert token.prefix == prefix and token.scopes == ["persons:read", "persons:write"]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == users["system_admin"] and token.expires_at is not None
    assert secret not in str(list(ApiToken.objects.values()))
    # The account page lists it, but never shows the secret again.
    page = client.get(reverse("manage:service-account", args=[account.pk])).content.decode()
    assert "Nightly import" in page and prefix in page and secret not in page
    assert authenticate_with(plain)[0] == account
    assert AuditEvent.objects.filter(action="admin").last().detail == {
        "change": "api_token.issue",
        "account_id": account.pk,
        "scopes": ["persons:read", "persons:write"],
    }
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in client.get(reverse("manage:service-account", args=[account.pk])).content.decode()


def test_revoked_token_stops_working(users, agencies, verified_client):
    client = verified_client(users["system_admin"])
    _, account = create_account(client, agency=agencies["police"], roles=["analyst"])
    plain = re.search(r'id="token">([^<]+)<', issue(client, account).content.decode()).group(1)
    token = ApiToken.objects.get(account=account)
    assert b"Revoke the token" in client.get(reverse("manage:token-revoke", args=[token.pk])).content
    response = client.post(reverse("manage:token-revoke", args=[token.pk]))
    assert response["Location"] == reverse("manage:service-account", args=[account.pk])
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(AuthenticationFailed):
        authenticate_with(plain)
    assert AuditEvent.objects.filter(action="admin").last().detail["change"] == "api_token.revoke"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": ""}, b"Enter what the token is for"),
        ({"scopes": []}, b"Choose at least one thing the token may do"),
        ({"scopes": ["everything"]}, b"Choose from the list of things a token may do"),
        ({"expires": ""}, b"Choose when the token stops working"),
        ({"expires": "9999"}, b"Choose when the token stops working"),
    ],
)
def test_bad_token_input_gets_a_specific_error_and_issues_nothing(users, agencies, verified_client, change, message):
    client = verified_client(users["system_admin"])
    _, account = create_account(client, agency=agencies["police"])
    response = issue(client, account, **change)
    assert message in response.content and b"govuk-error-summary" in response.content
    assert not ApiToken.objects.exists()


def test_agency_admin_cannot_touch_another_agencys_service_account_or_tokens(users, agencies, verified_client):
    system = verified_client(users["system_admin"])
    _, account = create_account(system, agency=agencies["police"])
    issue(system, account)
    token = ApiToken.objects.get()
    system.post("/account/sign-out/")
    client = verified_client(users["agency_admin"])
    assert b"Police case system link" not in client.get(reverse("manage:service-accounts")).content
    assert client.get(reverse("manage:service-account", args=[account.pk])).status_code == 404
    assert issue(client, account).status_code == 404
    assert client.post(reverse("manage:token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_people_are_not_service_accounts_and_cannot_be_given_tokens(users, verified_client):
    client = verified_client(users["system_admin"])
    person = users["practitioner"]
    assert client.get(reverse("manage:service-account", args=[person.pk])).status_code == 404
    assert issue(client, person).status_code == 404
    # And a service account is not managed as a person.
    account = make_user("svc@police.example", person.agency, Role.ANALYST, enrol=False, is_service_account=True)
    assert client.get(reverse("manage:user", args=[account.pk])).status_code == 404


def test_non_administrators_cannot_reach_service_accounts(users, verified_client):
    client = verified_client(users["coordinator"])
    assert client.get(reverse("manage:service-accounts")).status_code == 403
    assert client.get(reverse("manage:service-account-create")).status_code == 403


# ---------------------------------------------------------------- agencies and teams


def test_only_system_admins_manage_agencies_and_teams(users, verified_client):
    assert verified_client(users["agency_admin"]).get(reverse("manage:agencies")).status_code == 403
    client = verified_client(users["system_admin"])
    assert b"Crewe High School" in client.get(reverse("manage:agencies")).content


def test_system_admin_adds_and_changes_an_agency_and_a_team(users, verified_client):
    client = verified_client(users["system_admin"])
    response = client.post(
        reverse("manage:agency-create"),
        {"name": "Macclesfield Youth Club", "type": "voluntary_sector", "town": "Macclesfield", "is_active": "on"},
    )
    assert response["Location"] == reverse("manage:agencies")
    agency = Agency.objects.get(name="Macclesfield Youth Club")
    client.post(
        reverse("manage:agency-edit", args=[agency.pk]),
        {"name": "Macclesfield Youth Club", "type": "voluntary_sector", "town": "Macclesfield"},
    )
    agency.refresh_from_db()
    assert not agency.is_active
    client.post(reverse("manage:team-create"), {"agency": agency.pk, "name": "Detached youth work"})
    team = Team.objects.get(agency=agency)
    client.post(reverse("manage:team-edit", args=[team.pk]), {"agency": agency.pk, "name": "Outreach"})
    team.refresh_from_db()
    assert team.name == "Outreach"
    assert [e.detail["change"] for e in AuditEvent.objects.filter(action="admin")] == [
        "agency.create",
        "agency.update",
        "team.create",
        "team.update",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "type": "police"}, b"Enter the agency&#x27;s name"),
        ({"name": "Crewe High School", "type": "education"}, b"An agency with this name already exists"),
        ({"name": "New agency", "type": ""}, b"Choose the type of agency"),
        ({"name": "New agency", "type": "wizards"}, b"Choose a type of agency from the list"),
    ],
)
def test_bad_agency_input_gets_a_specific_error_and_changes_nothing(users, verified_client, data, message):
    before = Agency.objects.count()
    response = verified_client(users["system_admin"]).post(reverse("manage:agency-create"), data)
    assert message in response.content and b"govuk-error-summary" in response.content
    assert Agency.objects.count() == before


def test_team_names_are_unique_within_an_agency(users, team, verified_client):
    client = verified_client(users["system_admin"])
    response = client.post(reverse("manage:team-create"), {"agency": team.agency_id, "name": team.name.upper()})
    assert b"This agency already has a team with this name" in response.content
    assert (
        b"Enter the team" in client.post(reverse("manage:team-create"), {"agency": team.agency_id, "name": ""}).content
    )
    assert b"Choose the team" in client.post(reverse("manage:team-create"), {"name": "X"}).content
    assert Team.objects.count() == 1
