"""The audit log can only grow: the database refuses changes and deletions,
and if someone with the rights to lift that refusal changes a row anyway,
verify_audit finds exactly which."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from hoth.audit import log, triggers
from hoth.audit.models import AuditEvent, AuditEventPerson
from hoth.people.models import Person

REFUSED = "append-only"


@pytest.fixture
def events(users):
    # The triggers are the ones the migrations installed: nothing here puts them in.
    person = Person.objects.create(given_names="Kayleigh", family_name="Brennan")
    coordinator = users["coordinator"]
    return [
        log.record("sign_in", user=coordinator),
        log.record("view", user=coordinator, obj=person),
        log.record("update", user=coordinator, obj=person, reason="New address from school"),
        log.record("search", user=coordinator, detail={"query": "Brennan"}, people=[person]),
        log.record("sign_out", user=coordinator),
    ]


def refused():
    """The database's refusal, inside a savepoint so that PostgreSQL can carry on."""

    class Refused:
        def __enter__(self):
            self.raises = pytest.raises(DatabaseError, match=REFUSED)
            self.raises.__enter__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            suppress_atomic = self.atomic.__exit__(*exc)
            return self.raises.__exit__(*exc) or suppress_atomic

    return Refused()


def tamper(sql, params):
    """What an attacker with database administrator rights would do: lift the
    triggers, change the table, put the triggers back."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


# ---------------------------------------------------------------- the database refuses


def test_saving_a_changed_event_through_the_orm_is_refused(events):
    event = events[2]
    event.reason = "Something else"
    with refused():
        event.save()


def test_updating_events_through_a_queryset_is_refused(events):
    with refused():
        AuditEvent.objects.filter(pk=events[2].pk).update(reason="Something else")
    assert AuditEvent.objects.get(pk=events[2].pk).reason == "New address from school"


def test_deleting_an_event_through_the_orm_is_refused(events):
    with refused():
        events[0].delete()
    with refused():
        AuditEvent.objects.filter(pk=events[4].pk).delete()
    assert AuditEvent.objects.count() == 5


def test_deleting_an_event_about_a_person_is_refused_before_it_reaches_the_database(events):
    with pytest.raises(ProtectedError), transaction.atomic():
        events[1].delete()


def test_raw_sql_update_and_delete_are_refused(events):
    with refused(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", events[2].pk])
    with refused(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    assert AuditEvent.objects.count() == 5


def test_the_index_of_people_is_append_only_too(events):
    link = AuditEventPerson.objects.filter(event=events[3]).first()
    with refused(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditeventperson SET person_id = 0 WHERE id = %s", [link.pk])
    with refused(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditeventperson WHERE id = %s", [link.pk])
    with refused():
        AuditEventPerson.objects.filter(pk=link.pk).update(person_id=0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncating_the_log_is_refused(events):
    with connection.cursor() as cursor:
        # Settle this test's own pending foreign-key checks, which would refuse first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with refused(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
    with refused(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditeventperson")


# ---------------------------------------------------------------- tampering is found


def test_an_intact_log_verifies(events):
    result = log.verify()
    assert result.intact
    assert result.checked == 5


def test_a_reason_altered_in_the_database_is_found_and_named(events):
    target = events[2]
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Routine check", target.pk])
    result = log.verify()
    assert not result.intact
    assert result.first_broken.pk == target.pk
    assert result.kind == "altered"
    assert result.checked == 2


def test_an_object_id_altered_in_the_database_is_found_and_named(events):
    target = events[1]
    tamper("UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["999", target.pk])
    result = log.verify()
    assert result.first_broken.pk == target.pk
    assert result.kind == "altered"


def test_a_deleted_middle_event_is_found_at_the_gap(events):
    tamper("DELETE FROM audit_auditeventperson WHERE event_id = %s", [events[2].pk])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = log.verify()
    assert result.first_broken.pk == events[3].pk
    assert result.kind == "removed"
    assert f"#{events[1].pk}" in result.problem


def test_swapped_events_are_found(events):
    """Reordering: two events' contents exchanged, each still matching its own hash."""
    a, b = AuditEvent.objects.get(pk=events[0].pk), AuditEvent.objects.get(pk=events[4].pk)
    columns = ["at", "actor", "action", "previous_hash", "hash"]
    sql = "UPDATE audit_auditevent SET " + ", ".join(f"{c} = %s" for c in columns) + " WHERE id = %s"
    tamper("UPDATE audit_auditevent SET hash = %s, previous_hash = %s WHERE id = %s", ["x" * 64, "y" * 64, b.pk])
    tamper(sql, [b.at, b.actor, b.action, b.previous_hash, b.hash, a.pk])
    result = log.verify()
    assert result.first_broken.pk == a.pk
    assert result.kind == "removed"


def test_a_person_removed_from_the_index_is_found(events):
    tamper("DELETE FROM audit_auditeventperson WHERE event_id = %s", [events[3].pk])
    result = log.verify()
    assert result.first_broken.pk == events[3].pk
    assert result.kind == "index"


# ---------------------------------------------------------------- the command


def run_verify_audit():
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_verify_audit_exits_0_and_counts_an_intact_log(events):
    code, out, err = run_verify_audit()
    assert code == 0
    assert "intact: 5 events checked" in out
    assert events[4].hash in out
    # No checkpoint in this test (see test_checkpoints.py): a warning, not a failure.
    assert err.startswith("Warning: No audit checkpoint") and err.count("\n") == 1


def test_verify_audit_exits_1_and_names_the_altered_event(events):
    target = events[2]
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Routine check", target.pk])
    code, out, err = run_verify_audit()
    assert code == 1
    assert f"event #{target.pk} at {target.at:%Y-%m-%d %H:%M:%S} UTC" in err
    assert "by coord@council.example" in err
    assert "action 'update'" in err
    assert "Problem: altered" in err
    assert "intact" not in out


def test_verify_audit_exits_1_and_names_the_event_after_a_removed_one(events):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])  # the first: about nobody
    code, out, err = run_verify_audit()
    assert code == 1
    assert f"event #{events[1].pk}" in err
    assert "Problem: removed or reordered" in err
    assert "the events before it were removed" in err


def test_verify_audit_refuses_a_batch_size_that_would_check_nothing(events):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 or more"):
        call_command("verify_audit", "--batch-size", "0")
