"""Who has seen this record: every event about a person, for their lead
professional, coordinators and auditors, and nobody else."""

import pytest
from django.urls import reverse

from hoth.access import policy
from hoth.audit import log, views
from hoth.audit.models import AuditEvent
from hoth.people.models import Involvement, Person


def page_of(person):
    return reverse("audit:person-access", args=[person.reference])


def rows_of(response):
    return response.context["rows"]


@pytest.fixture
def seen(users, child):
    """A child's record as others have met it."""
    other = Person.objects.create(given_names="Jade", family_name="Pritchard")
    return {
        "view": log.record("view", user=users["coordinator"], obj=child),
        "search": log.record("search", user=users["panel_chair"], detail={"query": "Ok"}, people=[child, other]),
        "break_glass": log.record(
            "break_glass", user=users["analyst"], obj=child, reason="Missing overnight; police need the address"
        ),
        "update": log.record("update", user=users["coordinator"], obj=child, detail={"fields": ["school"]}),
        "export": log.record("export", user=users["coordinator"], detail={"report": "panel list"}, people=[child]),
        "elsewhere": log.record("view", user=users["coordinator"], obj=other),
    }


def test_the_lead_professional_sees_who_has_seen_their_child(lead_professional, verified_client, child, seen, users):
    response = verified_client(lead_professional).get(page_of(child))
    assert response.status_code == 200
    events = [row["event"] for row in rows_of(response)]
    assert events == [seen["export"], seen["update"], seen["break_glass"], seen["search"], seen["view"]]
    what = {row["event"].pk: row["what"] for row in rows_of(response)}
    assert what[seen["view"].pk] == "Viewed the record"
    assert what[seen["search"].pk] == "Searched, and this person was shown in the results"
    assert what[seen["break_glass"].pk] == "Opened the record with break-glass access"
    assert what[seen["update"].pk] == "Changed the record"
    assert what[seen["export"].pk] == "Exported a list that included this person"
    content = response.content.decode()
    assert users["analyst"].full_name in content
    assert "Cheshire Constabulary" in content
    assert "Analyst" in content


def test_break_glass_rows_are_highlighted_with_their_reason(lead_professional, verified_client, child, seen):
    response = verified_client(lead_professional).get(page_of(child))
    content = response.content.decode()
    assert response.context["break_glass_count"] == 1
    assert "opened with break-glass access 1 time" in content
    assert '<tr class="govuk-table__row hoth-break-glass">' in content
    assert content.count("hoth-break-glass") == 1
    assert "<strong>Missing overnight; police need the address</strong>" in content
    assert [row["break_glass"] for row in rows_of(response)] == [False, False, True, False, False]


def test_a_practitioner_not_working_with_the_child_is_refused(users, verified_client, child, seen):
    response = verified_client(users["school_practitioner"]).get(page_of(child))
    assert response.status_code == 403


def test_a_practitioner_working_with_the_child_but_not_leading_is_refused(users, verified_client, child, seen):
    Involvement.objects.create(person=child, user=users["school_practitioner"], kind=Involvement.Kind.ASSIGNED)
    assert policy.can(users["school_practitioner"], "person.view", child)
    assert verified_client(users["school_practitioner"]).get(page_of(child)).status_code == 403


def test_a_former_lead_professional_is_refused(users, verified_client, child, lead_professional):
    from django.utils import timezone

    Involvement.objects.filter(user=lead_professional).update(ended_at=timezone.now())
    assert verified_client(lead_professional).get(page_of(child)).status_code == 403


@pytest.mark.parametrize("role", ["manager", "system_admin", "agency_admin"])
def test_roles_that_never_read_records_are_refused(role, users, verified_client, child):
    assert verified_client(users[role]).get(page_of(child)).status_code == 403


def test_an_auditor_sees_the_history_without_the_childs_name(users, verified_client, child, seen):
    response = verified_client(users["auditor"]).get(page_of(child))
    assert response.status_code == 200
    assert len(rows_of(response)) == 5
    content = response.content.decode()
    assert child.reference in content
    assert "Okafor" not in content


def test_a_coordinator_sees_the_history(users, verified_client, child, seen):
    response = verified_client(users["coordinator"]).get(page_of(child))
    assert response.status_code == 200
    assert "Tyler Okafor" in response.content.decode()


def test_an_unknown_reference_is_not_found(users, verified_client, db):
    response = verified_client(users["auditor"]).get(reverse("audit:person-access", args=["P-ZZZZZZZ"]))
    assert response.status_code == 404


def test_looking_at_the_history_is_itself_recorded_and_shows_up_next_time(
    lead_professional, verified_client, child, seen
):
    client = verified_client(lead_professional)
    first = client.get(page_of(child))
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.action == "view"
    assert audit.user == lead_professional
    assert audit.person_id == child.pk
    assert audit.detail["area"] == "access history"
    assert audit.detail["ids"] == [row["event"].pk for row in rows_of(first)]
    second = client.get(page_of(child))
    assert rows_of(second)[0]["event"] == audit
    assert rows_of(second)[0]["what"] == "Looked at who has seen this record"
    assert log.verify().intact


def test_a_refused_look_writes_nothing_about_the_child(users, verified_client, child, seen):
    before = AuditEvent.objects.filter(people__person_id=child.pk).count()
    verified_client(users["school_practitioner"]).get(page_of(child))
    assert AuditEvent.objects.filter(people__person_id=child.pk).count() == before


def test_the_history_is_paginated_newest_first(users, verified_client, child, lead_professional, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    for _ in range(23):
        log.record("view", user=users["coordinator"], obj=child)
    client = verified_client(lead_professional)
    first = client.get(page_of(child))
    assert first.context["page"].paginator.count == 23
    last = client.get(page_of(child), {"page": 3})
    assert len(rows_of(last)) == 4  # 23 views and the first visit to this page
    assert rows_of(first)[0]["event"].pk > rows_of(last)[-1]["event"].pk


def test_the_history_page_makes_the_same_few_queries_however_many_events(
    users, verified_client, child, lead_professional, django_assert_max_num_queries
):
    for i in range(60):
        log.record("view", user=list(users.values())[i % 9], obj=child)
    client = verified_client(lead_professional)
    # Sign-in, the access decision, count, page, the break-glass count, and
    # the audit write (with PostgreSQL's lock): none per row.
    with django_assert_max_num_queries(23):
        response = client.get(page_of(child))
    assert len(rows_of(response)) == views.PAGE_SIZE
