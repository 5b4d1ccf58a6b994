"""Each request's audit context: its events carry the client's address and
one request id, which the response gives back (X-Request-ID), and a service
called with a context writes it without ever seeing the request."""

import pytest

from hoth.audit import log
from hoth.audit.context import AuditContext, ip_address
from hoth.audit.models import AuditEvent


@pytest.mark.urls("tests.audit.rollback_urls")
def test_one_requests_events_share_its_id_and_the_response_names_it(transactional_db, users, verified_client):
    from hoth.people.models import Person

    person = Person.objects.create(given_names="Ruby", family_name="Moss")
    client = verified_client(users["coordinator"])
    before = AuditEvent.objects.count()
    response = client.get(f"/part-refused/{person.pk}/", REMOTE_ADDR="::ffff:10.1.2.3")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["list", "view"]
    assert {e.request_id for e in events} == {response["X-Request-ID"]}
    assert len(response["X-Request-ID"]) == 32
    assert {e.ip_address for e in events} == {"10.1.2.3"}
    assert log.verify().intact


def test_a_service_writes_the_context_it_was_given(db, users):
    event = log.record("view", audit=AuditContext(ip="192.0.2.7", request_id="a" * 32), user=users["analyst"])
    event.refresh_from_db()
    assert (event.ip_address, event.request_id) == ("192.0.2.7", "a" * 32)
    outside = log.record("view", user=users["analyst"])  # a job or a command: no request
    assert (outside.ip_address, outside.request_id) == (None, None)
    assert log.verify().intact


def test_the_request_id_is_part_of_what_the_chain_protects(db, users):
    event = log.record("view", audit=AuditContext(request_id="b" * 32), user=users["analyst"])
    assert log.keyed_hash(event, b"k") != log.keyed_hash(
        AuditEvent(
            **{**{f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields}, "request_id": None}
        ),
        b"k",
    )


def test_addresses_are_written_as_the_database_prints_them():
    assert ip_address("::ffff:10.0.0.1") == "10.0.0.1"
    assert ip_address("fe80::1%eth0") == "fe80::1"
    assert ip_address("not an address") is None
