import pytest
from django.db import connection

from hoth.accounts.models import Role
from hoth.audit.models import AuditEvent
from hoth.notifications.services import notify
from hoth.people.models import Involvement, Person


@pytest.mark.parametrize("role", [r.value for r in Role] + ["school_practitioner"])
def test_every_role_has_a_home_page_of_what_needs_attention(role, users, verified_client):
    key = {"coordinator": "coordinator"}.get(role, role)
    user = users[key]
    response = verified_client(user).get("/")
    assert response.status_code == 200
    assert b"What needs your attention" in response.content
    assert b"Notifications" in response.content


def test_managers_home_shows_counts_and_never_names(users, verified_client):
    Person.objects.create(given_names="Kayleigh", family_name="Brennan")
    response = verified_client(users["manager"]).get("/")
    assert b"Kayleigh" not in response.content
    assert b"Brennan" not in response.content


def test_practitioners_home_lists_only_the_children_they_work_with(users, verified_client):
    mine = Person.objects.create(given_names="Tyler", family_name="Okafor")
    Person.objects.create(given_names="Jade", family_name="Pritchard")
    Involvement.objects.create(person=mine, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    content = verified_client(users["practitioner"]).get("/").content.decode()
    assert "Tyler Okafor" in content
    assert "Pritchard" not in content


def test_home_page_query_count_does_not_grow_with_caseload(users, verified_client, django_assert_max_num_queries):
    client = verified_client(users["practitioner"])
    for i in range(20):
        person = Person.objects.create(given_names=f"Child{i}", family_name="Test")
        Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
        notify(users["practitioner"], f"Note {i}")
    # 21 for the page (its jobs panel included), 3 for its one audit event naming the children it lists,
    # and on PostgreSQL 1 more for the audit chain's lock.
    with django_assert_max_num_queries(25 if connection.vendor == "postgresql" else 24):
        client.get("/")
    event = AuditEvent.objects.filter(action="list").last()
    assert event.detail["page"] == "home" and len(event.detail["person_ids"]) == 8


def test_notifications_are_private_to_their_user(users, verified_client):
    note = notify(users["coordinator"], "A new referral needs screening", url="/")
    client = verified_client(users["practitioner"])
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_it(users, verified_client):
    note = notify(users["coordinator"], "A new referral needs screening", url="/people/")
    response = verified_client(users["coordinator"]).get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == "/people/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_notification_email_carries_no_detail_about_a_child(users, mailoutbox):
    notify(users["practitioner"], "Record opened under break-glass", body="Child: Tyler Okafor")
    assert len(mailoutbox) == 1
    assert "Tyler" not in mailoutbox[0].body
