"""Keying the chain migrates a database that already holds events: its
append-only tables are only added to, its events keep verifying as the legacy
start of the chain, and the triggers are still there afterwards."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hoth.audit import log
from hoth.audit.models import AuditEvent

BEFORE = [("audit", "0003_people_index_and_fork_guard")]
# Forward to the latest migration, so that every later one is shown to keep the triggers too.
AFTER = [("audit", "0005_request_id")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def write_as_before(apps, **fields):
    """An event as record() wrote it before this migration."""
    Event = apps.get_model("audit", "AuditEvent")
    event = Event(at=timezone.now(), detail={}, **fields)
    event.previous_hash = Event.objects.order_by("-id").values_list("hash", flat=True).first() or log.GENESIS
    event.key_id = None  # not a column yet: what legacy_hash reads
    event.hash = log.legacy_hash(event)
    event.save(force_insert=True)
    return event


def test_a_log_written_before_the_keys_migrates_and_goes_on_verifying(transactional_db, users, key_1):
    try:
        old = migrate(BEFORE)
        written = [
            write_as_before(old, actor="prac@council.example", action="sign_in"),
            write_as_before(
                old,
                actor="prac@council.example",
                action="view",
                person_id=7,
                object_type="people.Person",
                object_id="7",
            ),
            write_as_before(old, actor="prac@council.example", action="sign_out"),
        ]
        old.get_model("audit", "AuditEventPerson").objects.create(event_id=written[1].pk, person_id=7)
    finally:
        migrate(AFTER)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [(e.hash, e.key_id) for e in stored] == [(e.hash, None) for e in written]
    after = log.record("view", user=users["practitioner"])
    assert (after.previous_hash, after.key_id) == (written[-1].hash, "k1")
    result = log.verify()
    assert result.intact, result.problem
    assert result.checked == 4
    # The migration did not cost the tables their triggers.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=written[0].pk).update(actor="someone@else.example")
