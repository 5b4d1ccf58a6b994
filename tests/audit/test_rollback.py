"""What someone saw or tried is audited even when the transaction it was
recorded in rolls back; a change that rolled back leaves no event, because it
never happened. Real transactions, committed and rolled back, on the test's
database (SQLite or PostgreSQL), through the project's whole middleware."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hoth.access.models import BreakGlass
from hoth.audit import log
from hoth.audit.models import AuditEvent, AuditEventPerson
from hoth.audit.views import what_happened
from hoth.people.models import Involvement, Person

from .rollback_urls import PageFailed

REASON = "Police called: child reported missing, need the school and address now"


@pytest.fixture
def person(transactional_db):
    return Person.objects.create(given_names="Kayleigh", family_name="Moss")


@pytest.fixture
def coordinator(transactional_db, users):
    return users["coordinator"]


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_break_glass_that_fails_part_way_is_still_audited(
    transactional_db, users, verified_client, person, monkeypatch
):
    """The project's own emergency-access page: the grant, the event and the
    lead professionals' notes are one transaction, and telling them fails."""

    def notification_store_down(*args, **kwargs):
        raise ConnectionError("notification store unavailable")

    monkeypatch.setattr("hoth.notifications.services.notify", notification_store_down)
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    client = verified_client(users["school_practitioner"])
    client.raise_request_exception = False
    response = client.post(f"/people/{person.reference}/emergency-access/", {"reason": REASON})
    assert response.status_code == 500
    assert not BreakGlass.objects.exists()  # the grant rolled back: no access was given
    event = AuditEvent.objects.get(action="break_glass")
    assert (event.user_id, event.person_id, event.reason) == (users["school_practitioner"].pk, person.pk, REASON)
    assert "first_written_at" in event.detail["rolled_back"]
    assert list(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)) == [person.pk]
    assert what_happened(event, person.pk) == "Asked for break-glass access, which failed before it was given"
    assert log.verify().intact


@pytest.mark.urls("tests.audit.rollback_urls")
def test_a_page_that_fails_keeps_its_view_and_loses_its_change(coordinator, verified_client, person):
    client = verified_client(coordinator)
    client.raise_request_exception = False
    response = client.get(f"/shown-then-failed/{person.pk}/")
    assert response.status_code == 500
    assert Person.objects.get(pk=person.pk).family_name == "Moss"
    assert actions() == ["view"]
    event = AuditEvent.objects.get()
    assert (event.user_id, event.person_id, event.object_type) == (coordinator.pk, person.pk, "people.Person")
    assert AuditEventPerson.objects.get().person_id == person.pk
    result = log.verify()
    assert result.intact, result.problem


@pytest.mark.urls("tests.audit.rollback_urls")
def test_a_view_rolled_back_inside_a_transaction_that_commits_is_written_once_after_it(
    coordinator, verified_client, person
):
    response = verified_client(coordinator).get(f"/part-refused/{person.pk}/")
    assert response.status_code == 200
    assert actions() == ["list", "view"]
    listed, viewed = AuditEvent.objects.order_by("id")
    assert "rolled_back" not in listed.detail
    assert viewed.detail["rolled_back"]["first_written_at"]
    assert viewed.previous_hash == listed.hash  # a fresh place at the end of the chain
    assert log.verify().intact


@pytest.mark.urls("tests.audit.rollback_urls")
def test_an_event_whose_transaction_committed_is_not_written_twice(coordinator, verified_client, person):
    client = verified_client(coordinator)
    for _ in range(3):
        assert client.get(f"/shown/{person.pk}/").status_code == 200
    assert actions() == ["view"] * 3
    assert not any("rolled_back" in event.detail for event in AuditEvent.objects.all())


def test_a_job_keeps_what_it_exported_when_its_transaction_rolls_back(coordinator, person):
    with log.surviving_rollback():
        with pytest.raises(PageFailed), transaction.atomic():
            log.record("export", user=coordinator, detail={"format": "csv"}, people=[person])
            log.record("create", user=coordinator, obj=person)
            raise PageFailed("the export's file could not be written")
        # Written again only once the job's work is over and every transaction has ended.
        assert actions() == []
    assert actions() == ["export"]
    assert AuditEvent.objects.get().detail["person_ids"] == [person.pk]


def test_nested_uses_write_once_when_the_outermost_ends(coordinator, person):
    with log.surviving_rollback():
        with log.surviving_rollback():
            with pytest.raises(PageFailed), transaction.atomic():
                log.record("search", user=coordinator, detail={"query": "Moss"}, people=[person])
                raise PageFailed("the search page failed")
        assert actions() == []
    assert actions() == ["search"]


def test_each_kind_of_event_that_records_a_change_vanishes_with_its_transaction(coordinator, person):
    changes = ["create", "update", "delete", "admin", "mfa_enrolled", "password_reset"]
    assert not set(changes) & log.SURVIVES_ROLLBACK
    with log.surviving_rollback():
        with pytest.raises(PageFailed), transaction.atomic():
            for action in changes:
                log.record(action, user=coordinator, obj=person)
            raise PageFailed("refused")
    assert actions() == []


def test_every_kind_of_sight_attempt_and_sign_in_survives(coordinator, person):
    kept = [
        "view",
        "list",
        "search",
        "export",
        "print",
        "access_denied",
        "break_glass",
        "sign_in",
        "sign_in_failed",
        "lockout",
        "sign_out",
        "mfa_failed",
        "token_used",
    ]
    assert set(kept) == log.SURVIVES_ROLLBACK
    with log.surviving_rollback():
        with pytest.raises(PageFailed), transaction.atomic():
            for action in kept:
                log.record(action, user=coordinator, obj=person)
            raise PageFailed("refused")
    assert actions() == kept  # in the order they happened
    assert log.verify().intact


def test_outside_a_request_or_job_an_event_rolls_back_with_its_transaction_as_before(coordinator, person):
    with pytest.raises(PageFailed), transaction.atomic():
        log.record("view", user=coordinator, obj=person)
        raise PageFailed("no surviving_rollback() around this")
    assert actions() == []


def test_keeping_events_through_a_rollback_costs_no_query_when_all_commits(coordinator, person):
    def queries(keeping):
        with CaptureQueriesContext(connection) as captured:
            if keeping:
                with log.surviving_rollback(), transaction.atomic():
                    log.record("view", user=coordinator, obj=person)
            else:
                with transaction.atomic():
                    log.record("view", user=coordinator, obj=person)
        return len(captured.captured_queries)

    log.record("sign_in", user=coordinator)  # the user's agency and roles, read once
    assert queries(keeping=True) == queries(keeping=False)
