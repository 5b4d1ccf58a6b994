"""The person's record page, editing through services, and the field-level
history of every change."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.audit.models import AuditEvent
from hoth.people.models import Address, Alias, FieldChange, Identifier, Involvement, PhoneNumber


@pytest.fixture
def child(users, make_person):
    return make_person("Leah", "Owens", date(2009, 7, 8), involved=[users["practitioner"]])


def test_the_record_shows_names_addresses_references_and_who_is_involved(users, verified_client, child):
    Alias.objects.create(person=child, name="Lee", kind=Alias.Kind.NICKNAME)
    Address.objects.create(
        person=child,
        line1="1 Mill St",
        town="Crewe",
        postcode="CW1 2AB",
        valid_from=date(2020, 1, 1),
        valid_to=date(2023, 1, 1),
    )
    Address.objects.create(
        person=child, line1="9 New Rd", town="Nantwich", postcode="CW5 5AA", valid_from=date(2023, 1, 2)
    )
    Identifier.objects.create(person=child, scheme="nhs", value="9434765919")
    response = verified_client(users["practitioner"]).get(f"/people/{child.reference}/")
    content = response.content.decode()
    for text in [
        "Leah Owens",
        "8 July 2009",
        "Lee",
        "Current address",
        "9 New Rd",
        "Previous address",
        "1 Mill St",
        "9434765919",
        "Prac",
    ]:
        assert text in content
    assert content.index("9 New Rd") < content.index("1 Mill St")
    assert AuditEvent.objects.filter(action="view", person_id=child.pk).count() == 1


def test_who_has_seen_this_record_is_linked_only_for_those_the_policy_allows(users, verified_client, child):
    Involvement.objects.create(person=child, user=users["coordinator"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    lead_page = verified_client(users["coordinator"]).get(f"/people/{child.reference}/").content.decode()
    practitioner_page = verified_client(users["practitioner"]).get(f"/people/{child.reference}/").content.decode()
    assert "Who has seen this record" not in practitioner_page
    try:
        from django.urls import reverse

        url = reverse("audit:person-access", args=[child.reference])
    except Exception:
        pytest.skip("the audit app's access page is not there yet")
    assert url in lead_page


def test_the_record_page_costs_the_same_queries_however_much_is_recorded(
    users, verified_client, child, django_assert_max_num_queries
):
    client = verified_client(users["practitioner"])

    def page_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/people/{child.reference}/").status_code == 200
        return len(context.captured_queries)

    small = page_queries()
    for n in range(10):
        Address.objects.create(
            person=child,
            line1=f"{n} High St",
            town="Crewe",
            postcode="CW1 2AB",
            valid_from=date(2010 + n, 1, 1),
            valid_to=date(2011 + n, 1, 1),
        )
        Alias.objects.create(person=child, name=f"Alias {n}")
        PhoneNumber.objects.create(person=child, e164=f"+4477009009{n:02d}")
        Identifier.objects.create(person=child, scheme="police", value=f"CC-{n}")
        Involvement.objects.create(person=child, user=users["coordinator"], kind=Involvement.Kind.TEAM)
    with django_assert_max_num_queries(small):
        client.get(f"/people/{child.reference}/")
    # The record also shows the child's case, missing episodes and latest
    # screening, each asking the access gate once.
    assert small <= 34


def test_editing_records_each_changed_field_with_before_and_after(users, verified_client, child):
    client = verified_client(users["practitioner"])
    response = client.post(
        f"/people/{child.reference}/edit/",
        {
            "given_names": "Leah",
            "family_name": "Owen",
            "date_of_birth_0": "8",
            "date_of_birth_1": "7",
            "date_of_birth_2": "2009",
            "dob_precision": "exact",
            "sex": "F",
            "ethnicity": "NK",
            "first_language": "English",
            "care_status": "cpp",
            "sensitive_notes": "Moved to foster carers",
        },
    )
    assert response.status_code == 302
    changes = {c.field: (c.before, c.after) for c in FieldChange.objects.filter(person=child)}
    assert changes == {
        "family_name": ("Owens", "Owen"),
        "sex": ("U", "F"),
        "care_status": ("", "cpp"),
        "sensitive_notes": ("", "Moved to foster carers"),
    }
    assert all(c.changed_by == users["practitioner"] for c in FieldChange.objects.all())
    event = AuditEvent.objects.get(action="update")
    assert sorted(event.detail["fields"]) == ["care_status", "family_name", "sensitive_notes", "sex"]
    history = client.get(f"/people/{child.reference}/history/").content.decode()
    assert "family_name" in history and "Owens" in history and "Owen" in history


def test_change_history_values_are_encrypted_at_rest(users, verified_client, child):
    verified_client(users["practitioner"]).post(
        f"/people/{child.reference}/names/add/", {"name": "Little Lee", "kind": "nickname"}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT after FROM people_fieldchange WHERE field = 'name'")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("fernet:") and "Lee" not in stored


def test_moving_house_closes_the_old_address_the_day_before(users, verified_client, child):
    old = Address.objects.create(
        person=child, line1="1 Mill St", town="Crewe", postcode="CW1 2AB", valid_from=date(2020, 1, 1)
    )
    moved = date.today() - timedelta(days=10)
    response = verified_client(users["practitioner"]).post(
        f"/people/{child.reference}/addresses/add/",
        {
            "line1": "9 New Rd",
            "town": "Nantwich",
            "postcode": "cw55aa",
            "valid_from_0": moved.day,
            "valid_from_1": moved.month,
            "valid_from_2": moved.year,
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.valid_to == moved - timedelta(days=1)
    assert child.addresses.get(valid_to__isnull=True).postcode == "CW5 5AA"
    assert FieldChange.objects.filter(model="address", object_id=str(old.pk), field="valid_to").exists()


def test_adding_a_wrong_identifier_is_refused_and_changes_nothing(users, verified_client, child):
    response = verified_client(users["practitioner"]).post(
        f"/people/{child.reference}/references/add/", {"scheme": "nhs", "value": "9434765918"}
    )
    assert "The NHS number is not valid" in response.content.decode()
    assert not Identifier.objects.exists() and not FieldChange.objects.exists()


def test_removing_a_phone_number_keeps_it_in_the_history(users, verified_client, child):
    phone = PhoneNumber.objects.create(person=child, e164="+447700900982")
    client = verified_client(users["practitioner"])
    assert client.get(f"/people/{child.reference}/remove/phone/{phone.pk}/").status_code == 200
    client.post(f"/people/{child.reference}/remove/phone/{phone.pk}/")
    assert not PhoneNumber.objects.exists()
    assert FieldChange.objects.get(field="e164").before == "+447700900982"


def test_a_practitioner_cannot_edit_someone_they_do_not_work_with(users, verified_client, make_person):
    other = make_person("Sam", "Hill")
    client = verified_client(users["practitioner"])
    assert (
        client.post(f"/people/{other.reference}/names/add/", {"name": "Sammy", "kind": "nickname"}).status_code == 403
    )
    assert client.get(f"/people/{other.reference}/history/").status_code == 403
    assert not Alias.objects.exists()


def test_a_change_of_school_is_recorded_by_name(users, verified_client, child, agencies):
    verified_client(users["practitioner"]).post(
        f"/people/{child.reference}/edit/",
        {
            "given_names": "Leah",
            "family_name": "Owens",
            "date_of_birth_0": "8",
            "date_of_birth_1": "7",
            "date_of_birth_2": "2009",
            "dob_precision": "exact",
            "sex": "U",
            "ethnicity": "NK",
            "first_language": "English",
            "school": agencies["school"].pk,
        },
    )
    change = FieldChange.objects.get(person=child)
    assert (change.field, change.before, change.after) == ("school", "", "Crewe High School")
    child.refresh_from_db()
    assert child.school == agencies["school"]
