"""The hash chain: every event is hashed with the one before it, and each value
hashes the same when read back from SQLite or PostgreSQL."""

import threading
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.test import RequestFactory

from hoth.audit import log
from hoth.audit.models import AuditEvent, AuditEventPerson
from hoth.people.models import Person


def test_a_fresh_log_verifies_with_nothing_to_check(db):
    result = log.verify()
    assert result.intact
    assert result.checked == 0


def test_each_event_carries_the_hash_of_the_one_before(users):
    first = log.record("sign_in", user=users["practitioner"])
    second = log.record("sign_out", user=users["practitioner"])
    assert first.previous_hash == log.GENESIS
    assert second.previous_hash == first.hash
    assert log.verify().checked == 2


def test_many_events_from_many_users_verify_on_this_database(users):
    people = [Person.objects.create(given_names=f"Child{i}", family_name="Test") for i in range(5)]
    for i in range(300):
        user = list(users.values())[i % len(users)]
        log.record(
            ["view", "search", "update", "export"][i % 4],
            user=user,
            obj=people[i % 5] if i % 4 != 1 else None,
            people=people[:3] if i % 4 == 1 else (),
            reason=f"Reason {i}" if i % 7 == 0 else "",
            detail={"query": f"test {i}", "page": i % 3},
        )
    result = log.verify(batch_size=64)  # several batches, so the hand-over between them is checked too
    assert result.intact, result.problem
    assert result.checked == 300


def test_values_that_change_shape_in_the_database_still_verify(users):
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.7")
    weird = log.record(
        "view",
        request=request,
        user=users["analyst"],
        person=str(Person.objects.create(given_names="Amy", family_name="Shaw").pk),
        reason="Line one\r\nline two – with “quotes” and é",
        detail={
            "when": date(2026, 3, 27),
            "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "score": Decimal("0.75"),
            "whole": 100.0,
            "huge": 1e20,
            "small": 1e-7,
            "tuple": (3, 1, 2),
            7: "integer key",
            "nul": "a\x00b",
        },
    )
    ipv6 = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0:0:1:0:0:1")
    log.record("sign_in_failed", actor="x\x00" + "y" * 400, request=ipv6)
    log.record("sign_in_failed", actor="bad address", request=RequestFactory().get("/", REMOTE_ADDR="not-an-ip"))
    stored = AuditEvent.objects.get(pk=weird.pk)
    assert stored.ip_address == "192.0.2.7"
    assert log.keyed_hash(stored, settings.AUDIT_KEYS[stored.key_id]) == stored.hash
    assert log.verify().intact, log.verify().problem
    assert AuditEvent.objects.order_by("-id").first().ip_address is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),  # clocks go forward; no microseconds
        datetime(2026, 10, 25, 1, 30, 0, 999999, tzinfo=UTC),  # clocks go back
        datetime(2026, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    ],
)
def test_timestamps_hash_the_same_when_read_back(users, monkeypatch, moment):
    monkeypatch.setattr(log.timezone, "now", lambda: moment)
    event = log.record("view", user=users["coordinator"])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.at == moment
    assert log.keyed_hash(stored, settings.AUDIT_KEYS[stored.key_id]) == event.hash


def test_a_search_indexes_every_person_it_showed(users):
    shown = [Person.objects.create(given_names=f"P{i}", family_name="Shown") for i in range(3)]
    event = log.record("search", user=users["coordinator"], detail={"query": "Shown"}, people=[p.pk for p in shown])
    assert event.detail["person_ids"] == sorted(p.pk for p in shown)
    assert set(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)) == {
        p.pk for p in shown
    }


def test_the_person_an_event_is_about_is_indexed_too(users):
    person = Person.objects.create(given_names="Jade", family_name="Pritchard")
    event = log.record("view", user=users["coordinator"], obj=person)
    assert list(AuditEvent.objects.filter(people__person_id=person.pk)) == [event]


def test_person_ids_given_in_detail_are_indexed_like_people(users):
    person = Person.objects.create(given_names="Jade", family_name="Pritchard")
    event = log.record("list", user=users["coordinator"], detail={"person_ids": [str(person.pk)]})
    assert event.detail["person_ids"] == [person.pk]
    assert AuditEvent.objects.filter(people__person_id=person.pk).get() == event


def test_the_database_refuses_a_second_event_after_the_same_one(users):
    """A fork: two events that both claim the same predecessor."""
    first = log.record("sign_in", user=users["practitioner"])
    fork = AuditEvent(
        at=first.at, actor="forger", action="view", previous_hash=first.previous_hash, hash="f" * 64, detail={}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
def test_concurrent_writers_never_fork_the_chain(transactional_db, users):
    """SQLite serialises writers itself (BEGIN IMMEDIATE); PostgreSQL needs record()'s advisory lock."""
    writers, per_writer = 6, 25
    start = threading.Barrier(writers)
    errors = []

    def write(user):
        try:
            start.wait()
            for i in range(per_writer):
                log.record("view", user=user, detail={"n": i})
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    user_list = list(users.values())[:writers]
    threads = [threading.Thread(target=write, args=(u,)) for u in user_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = log.verify()
    assert result.intact, result.problem
    assert result.checked == writers * per_writer
