"""Limits a partner system meets: page sizes, how fast it may call, how many
wrong tokens an address may try; and that nothing it is shown is cached."""

import pytest

from hoth.people.models import Involvement, Person

PROBLEM = "application/problem+json"
PERSONS = "/api/v1/persons/"


@pytest.fixture
def api(users, verified_client):
    return verified_client(users["coordinator"])


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"limit": "201"}, "limit", "Limit must be a whole number between 1 and 200"),
        ({"limit": "0"}, "limit", "Limit must be a whole number between 1 and 200"),
        ({"limit": "null"}, "limit", "Limit must be a whole number between 1 and 200"),
        ({"offset": "null"}, "offset", "Offset must be a whole number between 0 and 1,000,000,000"),
        ({"offset": "-1"}, "offset", "Offset must be a whole number between 0 and 1,000,000,000"),
        ({"offset": "9" * 40}, "offset", "Offset must be a whole number between 0 and 1,000,000,000"),
    ],
)
@pytest.mark.parametrize("url", [PERSONS, "/api/v1/referrals/"])
def test_a_page_size_or_offset_out_of_range_is_a_bad_request(api, url, query, field, message):
    response = api.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert {e["field"]: e["detail"] for e in response.json()["errors"]} == {field: message}


def test_the_largest_page_is_200(api, users):
    for number in range(205):
        person = Person.objects.create(given_names="Child", family_name=f"Number {number}")
        Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    body = api.get(PERSONS, {"limit": "200"}).json()
    assert body["count"] == 205 and len(body["results"]) == 200


def test_each_token_has_its_own_allowance(client, issue_token, settings):
    settings.HOTH_API_RATE = "3/min"
    _, first = issue_token(["persons:read"])
    _, second = issue_token(["persons:read"])
    answers = [client.get(PERSONS, HTTP_AUTHORIZATION=first).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(PERSONS, HTTP_AUTHORIZATION=first)
    assert refused["Content-Type"] == PROBLEM and refused.json()["title"] == "Too many requests"
    assert "Retry-After" in refused
    assert client.get(PERSONS, HTTP_AUTHORIZATION=second).status_code == 200


def test_an_address_that_keeps_sending_wrong_tokens_is_refused_even_with_a_right_one(client, issue_token, settings):
    settings.HOTH_API_BAD_TOKEN_LIMIT = 3
    token, good = issue_token(["persons:read"])
    wrong = [client.get(PERSONS, HTTP_AUTHORIZATION=f"Bearer {token.prefix}.guess{n}").status_code for n in range(3)]
    assert wrong == [401, 401, 401]
    refused = client.get(PERSONS, HTTP_AUTHORIZATION=good)
    assert refused.status_code == 429 and refused["Content-Type"] == PROBLEM
    assert "Too many requests with a token that is not valid" in refused.json()["detail"]
    # Another address is not refused.
    assert client.get(PERSONS, HTTP_AUTHORIZATION=good, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize("url", ["/", "/people/", PERSONS, "/account/"])
def test_nothing_a_signed_in_person_is_shown_may_be_stored_by_a_browser_or_proxy(api, url):
    assert api.get(url)["Cache-Control"] == "no-store, private"


def test_a_token_answer_may_not_be_stored_either(client, issue_token):
    _, header = issue_token(["persons:read"])
    assert client.get(PERSONS, HTTP_AUTHORIZATION=header)["Cache-Control"] == "no-store, private"
