"""Input a partner system should never send, and the service must survive:
each gets a problem document saying what is wrong, and changes nothing."""

import pytest

from hoth.people.models import Person
from hoth.referrals.models import Referral

PROBLEM = "application/problem+json"
PERSONS = "/api/v1/persons/"
REFERRALS = "/api/v1/referrals/"
EVALUATE = "/api/v1/screenings/evaluate"

DEEP = "[" * 50_000 + "]" * 50_000


@pytest.fixture
def api(users, verified_client):
    return verified_client(users["coordinator"])


@pytest.mark.parametrize("url", [PERSONS, REFERRALS, EVALUATE])
@pytest.mark.parametrize(
    "body, why",
    [
        (DEEP, "The JSON is nested more than 32 levels deep"),
        ('{"given_names": "Amy", "family_name": "Lowe", "x": ' + DEEP + "}", "nested more than 32 levels"),
        ('{"given_names": "Amy", "family_name": "Lowe", "x": NaN}', "NaN is not a number JSON allows"),
        ('{"given_names": "Amy", "family_name": "Lowe", "x": 1' + "0" * 400 + "}", "is too large"),
        ('{"given_names": "Amy", "family_name": "Lowe", "x": 1e400}', "The number 1e400 is too large"),
    ],
)
def test_json_the_service_cannot_hold_is_a_bad_request_that_changes_nothing(api, url, body, why):
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == PROBLEM
    assert why in response.json()["detail"]
    assert Person.objects.count() == 0 and Referral.objects.count() == 0


def test_a_body_over_the_limit_is_a_problem_document(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"given_names": "Amy", "family_name": "Lowe", "notes": "' + "x" * 20_000 + '"}'
    response = api.post(PERSONS, body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "The request is too large"
    assert Person.objects.count() == 0


def test_a_form_encoded_body_is_refused_because_the_api_reads_json_only(api):
    response = api.post(PERSONS, {"given_names": "Amy", "family_name": "Lowe"})
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM
    assert Person.objects.count() == 0
