"""The referrals API: the same checks and the same one referral as the
pages, problem documents naming each field, and retries that send once."""

import pytest
from django.urls import reverse

from hoth.audit.models import AuditEvent
from hoth.contexts.models import Context
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.referrals import reference
from hoth.referrals.models import Referral

LIST = "/api/v1/referrals/"
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def harm_types(db):
    reference.load()


@pytest.fixture
def tyler(register, service_account):
    Involvement.objects.create(person=register["mine"], user=service_account, kind=Involvement.Kind.ASSIGNED)
    return register["mine"]


def body(person=None, **changes):
    data = {
        "subject": "child",
        "person": person.reference if person else "",
        "harm_types": ["cce"],
        "what_happened": "Found in Crewe station with £600 and two phones.",
        "happened_on": "2026-11-01",
        "child_words": "I was just holding it for someone.",
        "associates": [
            {"kind": "person", "name": "Dee", "details": "Older male, black BMW"},
            {"kind": "place", "name": "Crewe station"},
        ],
        "immediate_danger": False,
        "referrer_role": "Youth worker",
        "referrer_phone": "07700 900982",
        "consent": "refused",
        "lawful_basis": "public_task",
        "consent_reason": "Mum refused; risk is high",
    }
    data.update(changes)
    return data


def post(client, header, data, **headers):
    return client.post(LIST, data, content_type="application/json", HTTP_AUTHORIZATION=header, **headers)


def test_a_partner_system_sends_a_referral_about_a_child_it_works_with(client, issue_token, tyler, service_account):
    _, header = issue_token(["referrals:write", "referrals:read"])
    response = post(client, header, body(tyler))
    assert response.status_code == 201, response.json()
    sent = Referral.objects.get()
    assert response["Location"] == reverse("api:referral-detail", args=[sent.reference])
    data = response.json()
    assert data["status"] == "submitted" and data["source"] == "api" and data["person"] == tyler.reference
    assert data["harm_types"] == ["cce"] and len(data["associates"]) == 2 and data["screen_by"]
    assert sent.referrer == service_account and sent.referrer_phone == "+447700900982"
    assert SharingDecision.objects.get(person=tyler).lawful_basis == "public_task"
    assert (
        AuditEvent.objects.filter(action="create", object_type="referrals.Referral", object_id=str(sent.pk)).count()
        == 1
    )


def test_a_new_child_is_recorded_with_the_referral(client, issue_token, service_account):
    _, header = issue_token(["referrals:write"])
    response = post(
        client, header, body(new_person={"given_names": "Ruby", "family_name": "Hale", "date_of_birth": "2011-02-03"})
    )
    assert response.status_code == 201, response.json()
    ruby = Person.objects.get(family_name="Hale")
    assert Referral.objects.get().person == ruby
    assert Person.objects.visible_to(service_account).filter(pk=ruby.pk).exists()


def test_a_referral_about_a_new_place(client, issue_token):
    _, header = issue_token(["referrals:write"])
    response = post(
        client,
        header,
        body(
            subject="context",
            new_context={
                "kind": "place",
                "name": "Chicken shop, Mill Street",
                "place_type": "takeaway",
                "town": "Crewe",
            },
        ),
    )
    assert response.status_code == 201, response.json()
    assert Referral.objects.get().context == Context.objects.get(name="Chicken shop, Mill Street")
    assert not SharingDecision.objects.exists()


def problems(response, status=422):
    """The fields named: 422 when the body keeps to the schema but breaks a
    rule (the default here), 400 when it breaks the schema."""
    assert response.status_code == status and response["Content-Type"] == PROBLEM
    data = response.json()
    assert [p["name"] for p in data["invalid-params"]] == [e["field"] for e in data["errors"]]
    return {e["field"]: e["detail"] for e in data["errors"]}


def test_missing_answers_are_each_named_and_nothing_is_saved(client, issue_token):
    _, header = issue_token(["referrals:write"])
    response = post(
        client,
        header,
        {"subject": "child", "new_person": {"given_names": "Ruby", "family_name": "Hale"}, "consent": "refused"},
    )
    assert problems(response) == {
        "harm_types": "Select at least one type of harm you are worried about",
        "what_happened": "Describe what happened",
        "immediate_danger": "Say whether anyone is in immediate danger",
        "referrer_role": "Enter your role",
        "referrer_phone": "Enter a phone number the front door can call you on",
        "lawful_basis": "Select the lawful basis for sharing without consent",
        "consent_reason": "Say why consent was refused and why you are sharing anyway",
    }
    # Not even the new child: the whole request is refused.
    assert not Referral.objects.exists() and not Person.objects.filter(family_name="Hale").exists()


def test_a_lawful_basis_missing_when_consent_is_refused(client, issue_token, tyler):
    _, header = issue_token(["referrals:write"])
    assert problems(post(client, header, body(tyler, lawful_basis=""))) == {
        "lawful_basis": "Select the lawful basis for sharing without consent"
    }
    assert not Referral.objects.exists()


def test_a_future_date_no_harm_type_and_no_subject_are_each_named(client, issue_token, tyler):
    _, header = issue_token(["referrals:write"])
    assert problems(post(client, header, body(tyler, happened_on="2999-01-01"))) == {
        "happened_on": "The date it happened must be today or in the past"
    }
    assert problems(post(client, header, body(tyler, harm_types=[]))) == {
        "harm_types": "Select at least one type of harm you are worried about"
    }
    assert "subject" in problems(post(client, header, body(tyler, subject="")), status=400)
    assert problems(post(client, header, body(tyler, harm_types=["cce", "gangs"]))) == {
        "harm_types": "Unknown harm type: gangs"
    }
    assert not Referral.objects.exists()


def test_a_child_the_system_may_not_see_is_not_found(client, issue_token, register):
    _, header = issue_token(["referrals:write"])
    assert problems(post(client, header, body(register["other"]))) == {
        "person": "There is no person with this reference that you may see"
    }


def test_the_same_idempotency_key_sends_one_referral(client, issue_token, tyler):
    _, header = issue_token(["referrals:write"])
    first = post(client, header, body(tyler), HTTP_IDEMPOTENCY_KEY="ref-1")
    again = post(client, header, body(tyler), HTTP_IDEMPOTENCY_KEY="ref-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["reference"] == first.json()["reference"]
    assert Referral.objects.count() == 1 and SharingDecision.objects.count() == 1
    different = post(client, header, body(tyler, what_happened="Something else"), HTTP_IDEMPOTENCY_KEY="ref-1")
    assert different.status_code == 422 and different["Content-Type"] == PROBLEM
    assert Referral.objects.count() == 1


def test_writing_needs_the_write_scope(client, issue_token, tyler):
    _, header = issue_token(["referrals:read"])
    assert post(client, header, body(tyler)).status_code == 403
    assert not Referral.objects.exists()


def test_reading_lists_only_referrals_the_caller_may_see(client, issue_token, tyler, users, register):
    _, writer = issue_token(["referrals:write", "referrals:read"])
    mine = post(client, writer, body(tyler)).json()["reference"]
    other = Referral.objects.create(
        referrer=users["school_practitioner"],
        referrer_agency=users["school_practitioner"].agency,
        person=register["other"],
        status="submitted",
    )
    listed = {r["reference"] for r in client.get(LIST, HTTP_AUTHORIZATION=writer).json()["results"]}
    assert listed == {mine}
    assert client.get(f"{LIST}{mine}/", HTTP_AUTHORIZATION=writer).status_code == 200
    assert client.get(f"{LIST}{other.reference}/", HTTP_AUTHORIZATION=writer).status_code == 404
    _, no_read = issue_token(["referrals:write"])
    assert client.get(LIST, HTTP_AUTHORIZATION=no_read).status_code == 403


def test_the_schema_describes_the_referrals_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/referrals/"])
    assert "get" in schema["paths"]["/api/v1/referrals/{reference}/"]
    assert "NewReferralRequest" in schema["components"]["schemas"]


def test_simultaneous_retries_with_one_idempotency_key_send_one_referral(
    transactional_db, issue_token, register, service_account
):
    import threading

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time, so nothing here can race")
    reference.load()
    Involvement.objects.create(person=register["mine"], user=service_account, kind=Involvement.Kind.ASSIGNED)
    _, header = issue_token(["referrals:write"])
    start = threading.Barrier(4)
    answers = []

    def send():
        try:
            start.wait()
            response = post(Client(), header, body(register["mine"]), HTTP_IDEMPOTENCY_KEY="race-1")
            answers.append((response.status_code, response.json().get("reference")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Referral.objects.count() == 1 and SharingDecision.objects.count() == 1
    assert {status for status, _ in answers} <= {201, 409}
    assert len({ref for status, ref in answers if status == 201}) == 1
