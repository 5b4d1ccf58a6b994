"""Every API call writes one audit event, and bad input changes nothing."""

import pytest

from hoth.audit.models import AuditEvent
from hoth.people.models import Person

LIST = "/api/v1/persons/"
PROBLEM = "application/problem+json"


@pytest.fixture
def new_events():
    """new_events() -> the audit events written since the fixture was made."""
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: list(AuditEvent.objects.filter(id__gt=start).order_by("id"))


def test_a_list_is_audited_once_with_the_people_shown(users, register, verified_client, new_events):
    client = verified_client(users["coordinator"])
    before = new_events()
    client.get(LIST)
    events = new_events()[len(before) :]
    assert [e.action for e in events] == ["list"]
    assert sorted(events[0].detail["person_ids"]) == sorted(p.pk for p in register.values())
    assert events[0].user == users["coordinator"]
    assert events[0].detail["via"] == "api"


def test_a_search_is_audited_once_with_the_query_and_the_people_shown(users, register, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    client.get(LIST, {"name": "Tyler Okafor"})
    events = new_events()[len(before) :]
    assert [e.action for e in events] == ["search"]
    assert events[0].detail["query"] == {"name": "Tyler Okafor"}
    assert events[0].detail["person_ids"] == [register["mine"].pk]


def test_reading_a_record_is_audited_once_against_the_person(users, register, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    client.get(f"/api/v1/persons/{register['mine'].reference}/")
    events = new_events()[len(before) :]
    assert [(e.action, e.person_id) for e in events] == [("view", register["mine"].pk)]


def test_a_token_call_is_audited_once_naming_the_token(client, issue_token, register, new_events):
    token, header = issue_token(["persons:read"])
    client.get(LIST, HTTP_AUTHORIZATION=header)
    events = new_events()
    assert [e.action for e in events] == ["list"]
    assert events[0].detail["token"] == token.prefix
    assert events[0].user == token.account


def test_recording_a_person_is_audited_once(users, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    response = client.post(LIST, {"given_names": "Amy", "family_name": "Lowe"}, content_type="application/json")
    assert response.status_code == 201
    events = new_events()[len(before) :]
    person = Person.objects.get(reference=response.json()["reference"])
    assert [(e.action, e.person_id) for e in events] == [("create", person.pk)]


def test_a_refused_record_is_audited_once_as_access_denied(users, register, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    client.get(f"/api/v1/persons/{register['other'].reference}/")
    events = new_events()[len(before) :]
    assert [e.action for e in events] == ["access_denied"]
    assert events[0].person_id is None


def test_a_wrong_token_secret_is_audited_against_the_token(client, issue_token, new_events):
    token, header = issue_token(["persons:read"])
    client.get(LIST, HTTP_AUTHORIZATION=header + "x")
    events = new_events()
    assert [(e.action, e.user_id, e.object_id) for e in events] == [("access_denied", token.account.pk, str(token.pk))]


def test_invalid_person_is_a_problem_naming_every_field_and_records_nothing(users, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    people = Person.objects.count()
    response = client.post(
        LIST,
        {
            "given_names": "",
            "family_name": "Lowe",
            "date_of_birth": "2999-01-01",
            "nhs_number": "943 476 5918",
            "upn": "A12345678901",
            "phone_numbers": ["07700 900982", "not a phone"],
            "address": {"line1": "4 Mill Street", "town": "", "postcode": "XX1 1XX"},
            "sex": "X",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400 and body["type"] == "/api/problems/invalid-request"
    errors = {e["field"]: e["detail"] for e in body["errors"]}
    assert errors["given_names"] == "Enter their first name"
    assert errors["date_of_birth"] == "The date of birth must be today or in the past"
    assert errors["nhs_number"] == "The NHS number is not valid: check each digit has been typed correctly"
    assert errors["upn"] == "A unique pupil number must be 13 characters"
    assert "phone_numbers.1" in errors and "phone_numbers.0" not in errors
    assert errors["address.town"] == "Enter the town or city"
    assert errors["address.postcode"] == "Enter a real postcode, like CW1 2AB"
    assert "sex" in errors
    assert Person.objects.count() == people
    assert new_events()[len(before) :] == []


def test_malformed_json_is_a_problem(users, verified_client):
    response = verified_client(users["practitioner"]).post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_a_missing_family_name_is_named(users, verified_client):
    response = verified_client(users["practitioner"]).post(
        LIST, {"given_names": "Amy"}, content_type="application/json"
    )
    assert {e["field"]: e["detail"] for e in response.json()["errors"]} == {"family_name": "Enter their family name"}


def test_a_replayed_create_is_audited_once_as_a_view(users, verified_client, new_events):
    client = verified_client(users["practitioner"])
    before = new_events()
    for _ in range(2):
        response = client.post(
            LIST,
            {"given_names": "Amy", "family_name": "Lowe"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="case-42",
        )
    person = Person.objects.get(reference=response.json()["reference"])
    events = new_events()[len(before) :]
    assert [(e.action, e.person_id) for e in events] == [("create", person.pk), ("view", person.pk)]
