"""Partner systems authenticate with a bearer token whose scopes narrow what
their service account may do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hoth.accounts.models import ApiToken
from hoth.people.models import Involvement, Person

LIST = "/api/v1/persons/"
PROBLEM = "application/problem+json"
NEW_PERSON = {"given_names": "Amy", "family_name": "Lowe", "date_of_birth": "2011-05-04"}


@pytest.fixture
def case_in_system(register, service_account):
    """The case system works with the same child as the practitioner."""
    Involvement.objects.create(person=register["mine"], user=service_account, kind=Involvement.Kind.ASSIGNED)
    return register["mine"]


def test_a_valid_token_reads_the_people_its_account_may_see(client, issue_token, case_in_system, register):
    token, header = issue_token(["persons:read"])
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    assert {r["reference"] for r in response.json()["results"]} == {case_in_system.reference}
    assert client.get(f"/api/v1/persons/{register['other'].reference}/", HTTP_AUTHORIZATION=header).status_code == 404
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_wrong_secret_is_refused(client, issue_token, case_in_system):
    token, header = issue_token(["persons:read"])
    response = client.get(LIST, HTTP_AUTHORIZATION=header[:-3] + "xyz")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "The token is not valid."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused_like_a_wrong_secret(client, case_in_system):
    response = client.get(LIST, HTTP_AUTHORIZATION="Bearer nosuch00.abcdefghijklmnop")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token is not valid."


def test_a_token_without_its_secret_is_refused(client, issue_token, case_in_system):
    token, _ = issue_token(["persons:read"])
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {token.prefix}").status_code == 401


def test_a_revoked_token_is_refused(client, issue_token, case_in_system):
    token, header = issue_token(["persons:read"], revoked_at=timezone.now())
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(client, issue_token, case_in_system):
    _, header = issue_token(["persons:read"], expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(LIST, HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(client, issue_token, service_account, case_in_system):
    _, header = issue_token(["persons:read"])
    service_account.is_active = False
    service_account.save()
    assert client.get(LIST, HTTP_AUTHORIZATION=header).status_code == 401


def test_reading_needs_the_read_scope(client, issue_token, case_in_system):
    _, header = issue_token(["persons:write"])
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "persons:read" in response.json()["detail"]
    detail = client.get(f"/api/v1/persons/{case_in_system.reference}/", HTTP_AUTHORIZATION=header)
    assert detail.status_code == 403


def test_recording_a_person_needs_the_write_scope(client, issue_token, case_in_system):
    _, header = issue_token(["persons:read"])
    response = client.post(LIST, NEW_PERSON, content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert "persons:write" in response.json()["detail"]
    assert not Person.objects.filter(family_name="Lowe").exists()


def test_a_scope_cannot_widen_what_the_account_may_do(client, issue_token, agencies, case_in_system):
    """A token for an analyst's account with the write scope still cannot
    create people: the policy decides, the scope only narrows."""
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    analyst_system = make_user(
        "intel@police.example", agencies["police"], Role.ANALYST, is_service_account=True, enrol=False
    )
    _, header = issue_token(["persons:read", "persons:write"], account=analyst_system)
    response = client.post(LIST, NEW_PERSON, content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert not Person.objects.filter(family_name="Lowe").exists()


def test_a_token_with_the_write_scope_records_a_person_it_can_then_read(client, issue_token, case_in_system):
    _, header = issue_token(["persons:read", "persons:write"])
    response = client.post(
        LIST,
        {
            **NEW_PERSON,
            "nhs_number": "943 476 5870",
            "phone_numbers": ["07700 900982"],
            "address": {"line1": "4 Mill Street", "town": "Crewe", "postcode": "cw1 2ab"},
            "online_handles": [{"platform": "Snapchat", "handle": "amy_l"}],
            "aliases": ["Ames"],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/persons/{body['reference']}/"
    assert body["identifiers"] == [{"scheme": "nhs", "value": "9434765870"}]
    assert body["phone_numbers"] == [{"number": "+447700900982", "label": ""}]
    assert body["addresses"][0]["postcode"] == "CW1 2AB"
    assert body["aliases"] == [{"name": "Ames", "kind": "alias"}]
    assert client.get(response["Location"], HTTP_AUTHORIZATION=header).status_code == 200


def test_the_token_secret_is_never_stored(issue_token):
    token, header = issue_token(["persons:read"])
    secret = header.split(".", 1)[1]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())


def test_a_retried_create_with_the_same_idempotency_key_records_the_person_once(client, issue_token):
    _, header = issue_token(["persons:read", "persons:write"])
    first = client.post(
        LIST,
        NEW_PERSON,
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
        HTTP_IDEMPOTENCY_KEY="0b6f1c1e-9d1a-4a53-9d1e-3c0e8d2f7a10",
    )
    again = client.post(
        LIST,
        NEW_PERSON,
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
        HTTP_IDEMPOTENCY_KEY="0b6f1c1e-9d1a-4a53-9d1e-3c0e8d2f7a10",
    )
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(family_name="Lowe").count() == 1


def test_an_idempotency_key_reused_for_a_different_person_is_refused(client, issue_token):
    _, header = issue_token(["persons:read", "persons:write"])
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    client.post(LIST, NEW_PERSON, content_type="application/json", HTTP_AUTHORIZATION=header, **key)
    response = client.post(
        LIST, {**NEW_PERSON, "given_names": "Beth"}, content_type="application/json", HTTP_AUTHORIZATION=header, **key
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert not Person.objects.filter(given_names="Beth").exists()


def test_a_rejected_create_does_not_use_up_its_idempotency_key(client, issue_token):
    _, header = issue_token(["persons:read", "persons:write"])
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-2"}
    bad = client.post(
        LIST, {**NEW_PERSON, "nhs_number": "123"}, content_type="application/json", HTTP_AUTHORIZATION=header, **key
    )
    assert bad.status_code == 422
    good = client.post(LIST, NEW_PERSON, content_type="application/json", HTTP_AUTHORIZATION=header, **key)
    assert good.status_code == 201


def test_without_an_idempotency_key_each_create_records_a_person(client, issue_token):
    _, header = issue_token(["persons:read", "persons:write"])
    for _ in range(2):
        client.post(LIST, NEW_PERSON, content_type="application/json", HTTP_AUTHORIZATION=header)
    assert Person.objects.filter(family_name="Lowe").count() == 2


def test_idempotency_keys_belong_to_one_account(client, issue_token, agencies):
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    other = make_user("mis@school.example", agencies["school"], Role.PRACTITIONER, is_service_account=True, enrol=False)
    _, mine = issue_token(["persons:write"])
    _, theirs = issue_token(["persons:write"], account=other)
    for header in (mine, theirs):
        response = client.post(
            LIST,
            NEW_PERSON,
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
            HTTP_IDEMPOTENCY_KEY="shared-key",
        )
        assert response.status_code == 201
    assert Person.objects.filter(family_name="Lowe").count() == 2
