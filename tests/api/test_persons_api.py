"""The persons API shows each caller exactly what the pages would, and no more."""

import pytest

from hoth.people.models import Person

LIST = "/api/v1/persons/"
PROBLEM = "application/problem+json"


def detail_url(person):
    return f"/api/v1/persons/{person.reference}/"


def references(response):
    return {row["reference"] for row in response.json()["results"]}


def test_practitioner_lists_only_the_children_they_work_with(users, register, verified_client):
    response = verified_client(users["practitioner"]).get(LIST)
    assert response.status_code == 200
    assert references(response) == {register["mine"].reference}


def test_coordinator_lists_everyone_in_the_partnership(users, register, verified_client):
    response = verified_client(users["coordinator"]).get(LIST)
    assert references(response) == {p.reference for p in register.values()}


def test_analyst_lists_only_people_named_in_intelligence(users, register, verified_client):
    response = verified_client(users["analyst"]).get(LIST)
    assert references(response) == {register["adult"].reference}


def test_school_practitioner_sees_nobody_they_do_not_work_with(users, register, verified_client):
    response = verified_client(users["school_practitioner"]).get(LIST)
    assert response.status_code == 200
    assert references(response) == set()


@pytest.mark.parametrize("role", ["manager", "auditor", "agency_admin", "system_admin"])
def test_roles_without_casework_cannot_list_people(role, users, register, verified_client):
    response = verified_client(users[role]).get(LIST)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 403


@pytest.mark.parametrize("role", ["practitioner", "school_practitioner", "coordinator", "analyst", "panel_chair"])
def test_a_list_never_shows_what_the_detail_would_refuse(role, users, register, verified_client):
    client = verified_client(users[role])
    for reference in references(client.get(LIST)):
        assert client.get(f"/api/v1/persons/{reference}/").status_code == 200


def test_practitioner_reads_a_child_they_work_with(users, register, verified_client):
    response = verified_client(users["practitioner"]).get(detail_url(register["mine"]))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == register["mine"].reference
    assert body["identifiers"] == [{"scheme": "nhs", "value": "9434765919"}]
    assert body["addresses"][0]["postcode"] == "CW1 2AB"
    assert "sensitive_notes" not in body


def test_a_child_out_of_scope_is_not_found_exactly_like_one_that_does_not_exist(users, register, verified_client):
    client = verified_client(users["practitioner"])
    hidden = client.get(detail_url(register["other"]))
    missing = client.get("/api/v1/persons/P-NOSUCH1/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden["Content-Type"] == missing["Content-Type"] == PROBLEM
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(hidden.json()) == strip(missing.json())


@pytest.mark.parametrize("role", ["manager", "auditor", "agency_admin", "system_admin"])
def test_roles_without_casework_cannot_read_anyone(role, users, register, verified_client):
    assert verified_client(users[role]).get(detail_url(register["mine"])).status_code == 404


def test_search_finds_only_matches_the_caller_may_see(users, register, verified_client):
    response = verified_client(users["practitioner"]).get(LIST, {"name": "Tyler Okafor"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["reference"] for r in rows] == [register["mine"].reference]
    assert rows[0]["match"]["score"] > 0.5
    assert rows[0]["match"]["reasons"]


def test_coordinator_search_ranks_the_closest_match_first(users, register, verified_client):
    response = verified_client(users["coordinator"]).get(LIST, {"name": "Tyler Okafor", "date_of_birth": "2010-03-27"})
    rows = response.json()["results"]
    assert rows[0]["reference"] == register["mine"].reference
    assert register["other"].reference in {r["reference"] for r in rows}


def test_search_by_identifier_and_postcode(users, register, verified_client):
    client = verified_client(users["coordinator"])
    assert references(client.get(LIST, {"identifier": "943 476 5919"})) == {register["mine"].reference}
    assert references(client.get(LIST, {"postcode": "cw2 6aa"})) == {register["other"].reference}


def test_bad_search_parameters_are_problems_naming_each_parameter(users, register, verified_client):
    response = verified_client(users["coordinator"]).get(LIST, {"date_of_birth": "2999-01-01", "postcode": "XX1 1XX"})
    assert response.status_code == 422  # they keep to the schema but break a rule
    assert response["Content-Type"] == PROBLEM
    fields = {e["field"]: e["detail"] for e in response.json()["errors"]}
    assert fields == {
        "date_of_birth": "The date of birth must be today or in the past",
        "postcode": "Enter a real postcode, like CW1 2AB",
    }


def test_anonymous_callers_get_a_problem_asking_for_credentials(client, register):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get(detail_url(register["mine"])).status_code == 401


def test_a_session_without_the_second_factor_cannot_use_the_api(client, users, register):
    client.force_login(users["coordinator"])
    for url in (LIST, detail_url(register["mine"])):
        response = client.get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM
        assert "second factor" in response.json()["detail"]
    assert (
        client.post(LIST, {"given_names": "Amy", "family_name": "Lowe"}, content_type="application/json").status_code
        == 401
    )
    assert not Person.objects.filter(family_name="Lowe").exists()


def test_pages_are_paginated(users, register, verified_client):
    response = verified_client(users["coordinator"]).get(LIST, {"limit": 2})
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
