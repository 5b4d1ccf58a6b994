"""Auditors search the audit log; nobody else can; every search and export is
itself written to the log."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hoth.audit import log, views
from hoth.audit.models import AuditEvent
from hoth.people.models import Person

SEARCH = "/audit/"


def rows_of(response):
    return [row["event"] for row in response.context["rows"]]


@pytest.fixture
def auditor_client(users, verified_client):
    return verified_client(users["auditor"])


@pytest.fixture
def history(users):
    """A few days of activity by different people in different agencies."""
    person = Person.objects.create(given_names="Kayleigh", family_name="Brennan")
    other = Person.objects.create(given_names="Jade", family_name="Pritchard")
    return {
        "person": person,
        "other": other,
        "view": log.record("view", user=users["coordinator"], obj=person),
        "break_glass": log.record(
            "break_glass", user=users["analyst"], obj=person, reason="Missing overnight, police need the address"
        ),
        "search": log.record("search", user=users["practitioner"], detail={"query": "Jade"}, people=[other]),
        "failed": log.record("sign_in_failed", actor="someone@unknown.example"),
        "other_view": log.record("view", user=users["school_practitioner"], obj=other),
    }


def test_url_names_are_the_ones_other_pages_link_to():
    assert reverse("audit:search") == "/audit/"
    assert reverse("audit:export") == "/audit/export/"
    assert reverse("audit:person-access", args=["P-ABCDEFG"]) == "/audit/people/P-ABCDEFG/"


def test_an_auditor_sees_the_log_newest_first(auditor_client, history):
    response = auditor_client.get(SEARCH)
    assert response.status_code == 200
    events = rows_of(response)
    assert events == sorted(events, key=lambda e: -e.pk)
    assert history["failed"] in events
    assert "someone@unknown.example" in response.content.decode()


@pytest.mark.parametrize("role", ["practitioner", "coordinator", "analyst", "manager", "system_admin"])
def test_only_auditors_may_search_the_audit_log(role, users, verified_client, history):
    client = verified_client(users[role])
    assert client.get(SEARCH).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_the_home_pages_break_glass_link_lists_only_break_glass(auditor_client, history):
    events = rows_of(auditor_client.get(SEARCH, {"action": "break_glass"}))
    assert events == [history["break_glass"]]


def test_filter_by_user_email_or_name(auditor_client, history, users):
    assert rows_of(auditor_client.get(SEARCH, {"actor": "analyst@police"})) == [history["break_glass"]]
    by_name = rows_of(auditor_client.get(SEARCH, {"actor": users["school_practitioner"].full_name}))
    assert by_name == [history["other_view"]]


def test_filter_by_agency(auditor_client, history):
    events = rows_of(auditor_client.get(SEARCH, {"agency": "Crewe High School"}))
    assert events == [history["other_view"]]


def test_filter_by_type_of_record(auditor_client, history):
    events = rows_of(auditor_client.get(SEARCH, {"object_type": "people.Person"}))
    assert set(events) == {history["view"], history["break_glass"], history["other_view"]}


def test_filter_by_person_reference_includes_searches_that_showed_them(auditor_client, history):
    events = rows_of(auditor_client.get(SEARCH, {"person": history["other"].reference.lower()}))
    assert events == [history["other_view"], history["search"]]


def test_filter_by_words_in_the_reason(auditor_client, history):
    assert rows_of(auditor_client.get(SEARCH, {"text": "overnight"})) == [history["break_glass"]]


def test_filter_by_date_range_includes_both_days(auditor_client, history):
    today = timezone.localdate()
    day = {
        "date_from_0": today.day,
        "date_from_1": today.month,
        "date_from_2": today.year,
        "date_to_0": today.day,
        "date_to_1": today.month,
        "date_to_2": today.year,
    }
    assert len(rows_of(auditor_client.get(SEARCH, day))) == 5
    tomorrow = today + timedelta(days=1)
    later = {"date_from_0": tomorrow.day, "date_from_1": tomorrow.month, "date_from_2": tomorrow.year}
    response = auditor_client.get(SEARCH, later)
    assert rows_of(response) == []
    assert "No events match your filters" in response.content.decode()


def test_an_end_date_before_the_start_date_is_explained_and_nothing_is_searched(auditor_client, history):
    before = AuditEvent.objects.count()
    response = auditor_client.get(
        SEARCH,
        {
            "date_from_0": "10",
            "date_from_1": "3",
            "date_from_2": "2026",
            "date_to_0": "9",
            "date_to_1": "3",
            "date_to_2": "2026",
        },
    )
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "The end date must be the same as or after the start date" in content
    assert 'href="#id_date_to_0"' in content
    assert response.context["rows"] == []
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "params, message",
    [
        ({"action": "reboot"}, "Select an action from the list"),
        ({"agency": "Nowhere Police"}, "Select an agency from the list"),
        ({"person": "P-ZZZZZZZ"}, "There is no person with the reference P-ZZZZZZZ"),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"}, "The start date must be a real date"),
        ({"date_to_0": "1", "date_to_2": "2026"}, "The end date must include a month"),
    ],
)
def test_bad_filters_get_a_govuk_error_summary(auditor_client, history, params, message):
    content = auditor_client.get(SEARCH, params).content.decode()
    assert "There is a problem" in content
    assert message in content


def test_each_search_is_itself_audited_with_its_filters_and_the_ids_shown(auditor_client, users, history):
    response = auditor_client.get(SEARCH, {"action": "view", "person": history["person"].reference})
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.action == "search"
    assert audit.user == users["auditor"]
    assert audit.detail["area"] == "audit log"
    assert audit.detail["filters"] == {"action": "view", "person": history["person"].reference}
    assert audit.detail["ids"] == [e.pk for e in rows_of(response)] == [history["view"].pk]
    assert audit.person_id == history["person"].pk
    assert log.verify().intact


def test_results_are_paginated_and_pages_keep_the_filters(auditor_client, users, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    for i in range(25):
        log.record("view", user=users["coordinator"], detail={"n": i})
    first = auditor_client.get(SEARCH, {"action": "view"})
    assert first.context["page"].paginator.count == 25
    assert len(rows_of(first)) == 10
    assert "action=view" in first.context["next_url"] and "page=2" in first.context["next_url"]
    third = auditor_client.get(SEARCH + first.context["next_url"].replace("page=2", "page=3"))
    assert len(rows_of(third)) == 5
    assert rows_of(third)[-1].detail == {"n": 0}


@pytest.mark.parametrize("page_size", [5, 100])
def test_the_search_page_makes_the_same_few_queries_however_long_the_page(
    page_size, auditor_client, users, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(views, "PAGE_SIZE", page_size)
    people = [Person.objects.create(given_names=f"C{i}", family_name="Test") for i in range(10)]
    for i in range(120):
        log.record("view", user=list(users.values())[i % 9], obj=people[i % 10], reason="Checking")
    # Session, user, device, roles, agencies, count, page, references, the
    # user's agency, and the audit write (with PostgreSQL's lock): none per row.
    with django_assert_max_num_queries(17):
        response = auditor_client.get(SEARCH, {"object_type": "people.Person"})
    assert len(rows_of(response)) == page_size


def export(client, params=None):
    response = client.get(reverse("audit:export"), params or {})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return response, list(csv.reader(io.StringIO(text)))


def test_an_auditor_can_export_the_filtered_events_as_csv(auditor_client, history):
    response, rows = export(auditor_client, {"person": history["person"].reference})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *body = rows
    assert header[0] == "Event"
    assert [int(r[0]) for r in body] == [history["break_glass"].pk, history["view"].pk]
    assert body[0][9] == history["person"].reference
    assert body[0][10] == "Missing overnight, police need the address"


def test_the_export_is_itself_audited(auditor_client, users, history):
    _, rows = export(auditor_client, {"action": "view"})
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.action == "export"
    assert audit.user == users["auditor"]
    assert audit.detail["filters"] == {"action": "view"}
    assert audit.detail["count"] == len(rows) - 1 == 2
    assert audit.detail["up_to_id"] == audit.pk - 1


def test_the_export_cannot_smuggle_a_spreadsheet_formula(auditor_client, users):
    log.record("break_glass", user=users["analyst"], reason='=HYPERLINK("http://evil.example","click")')
    _, rows = export(auditor_client, {"action": "break_glass"})
    assert rows[1][10].startswith("'=")


def test_bad_export_filters_show_the_error_and_export_nothing(auditor_client, history):
    before = AuditEvent.objects.count()
    response = auditor_client.get(reverse("audit:export"), {"action": "reboot"})
    assert "Select an action from the list" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_long_export_holds_every_matching_event_once_newest_first(auditor_client, users, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_CHUNK", 3)
    made = [log.record("view", user=users["coordinator"], detail={"n": i}) for i in range(10)]
    _, rows = export(auditor_client, {"action": "view"})
    assert [int(r[0]) for r in rows[1:]] == [e.pk for e in reversed(made)]
    assert json.loads(rows[1][12]) == {"n": 9}
