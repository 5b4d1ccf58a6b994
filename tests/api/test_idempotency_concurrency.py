"""Two copies of one create arriving together still record the person once."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from hoth.people.models import Person

BODY = {"given_names": "Amy", "family_name": "Lowe", "date_of_birth": "2011-05-04"}


def test_simultaneous_retries_with_one_idempotency_key_record_the_person_once(transactional_db, issue_token):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time, so nothing here can race")
    _, header = issue_token(["persons:read", "persons:write"])
    start = threading.Barrier(4)
    answers = []

    def send():
        try:
            start.wait()
            response = Client().post(
                "/api/v1/persons/",
                BODY,
                content_type="application/json",
                HTTP_AUTHORIZATION=header,
                HTTP_IDEMPOTENCY_KEY="race-1",
            )
            answers.append((response.status_code, response.json().get("reference")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Person.objects.filter(family_name="Lowe").count() == 1
    assert {status for status, _ in answers} <= {201, 409}
    assert len({reference for status, reference in answers if status == 201}) == 1
